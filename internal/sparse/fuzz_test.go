package sparse

import (
	"github.com/git-backfill/git-backfill/internal/pathwalk"

	"strings"
	"testing"
)

// FuzzParse checks that no file makes Parse or the matchers panic, and
// that Dir never promises more than File delivers.
func FuzzParse(f *testing.F) {
	for _, c := range sparseCases {
		f.Add(c.file, c.cone, "a/b/file.1.txt")
	}
	f.Add("/a\\*b/\n!/a\\*b/*/\n", true, "a*b/c/x")
	f.Fuzz(func(t *testing.T, file string, cone bool, path string) {
		p, err := Parse(strings.NewReader(file), cone)
		if err != nil {
			t.Fatal(err)
		}
		if p.Cone() && p.Warning != "" {
			t.Fatalf("cone mode with warning %q", p.Warning)
		}
		if strings.ContainsRune(p.Warning, '\n') {
			t.Fatalf("warning spans lines: %q", p.Warning)
		}
		checkDirsConsistent(t, p)
		// The fuzzed path, and each of its directories.
		path = strings.Trim(path, "/")
		if path == "" || strings.Contains(path, "//") || strings.Count(path, "/") > 16 {
			return
		}
		in := p.File(path)
		for dir, ok := parent(path); ok; dir, ok = parent(dir) {
			if m := p.Dir(dir); (m == pathwalk.Excluded && in) || (m == pathwalk.Included && !in) {
				t.Fatalf("Dir(%q) = %v, but File(%q) = %v", dir, m, path, in)
			}
		}
		if m := p.Dir(""); (m == pathwalk.Excluded && in) || (m == pathwalk.Included && !in) {
			t.Fatalf("Dir(\"\") = %v, but File(%q) = %v", m, path, in)
		}
	})
}
