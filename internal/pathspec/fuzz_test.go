package pathspec

import (
	"github.com/git-backfill/git-backfill/internal/pathwalk"

	"slices"
	"strings"
	"testing"
)

// FuzzParse checks that no pathspec makes Parse or the matchers panic,
// that resolved pathspecs stay inside the repository, and that Dir never
// promises more than File delivers.
func FuzzParse(f *testing.F) {
	for _, c := range matchCases {
		for _, spec := range c.specs {
			f.Add(spec, c.prefix, "a/b/file.1.txt")
		}
	}
	f.Add(":(top,icase,exclude)**/X", "a/b/", "a/x")
	f.Add("../../..", "a/b/", "file.1.txt")
	f.Fuzz(func(t *testing.T, spec, prefix, path string) {
		s, err := Parse([]string{spec}, prefix)
		if err != nil {
			return
		}
		for _, it := range slices.Concat(s.includes, s.excludes) {
			if strings.HasPrefix(spec, ":") {
				continue // top magic keeps the path as given
			}
			for _, part := range strings.Split(it.match, "/") {
				if part == "." || part == ".." {
					t.Fatalf("Parse(%q, %q) kept %q in %q", spec, prefix, part, it.match)
				}
			}
			if strings.Contains(it.match, "//") || strings.HasPrefix(it.match, "/") {
				t.Fatalf("Parse(%q, %q) = %q, not normalised", spec, prefix, it.match)
			}
		}
		path = strings.Trim(path, "/")
		if path == "" || strings.Contains(path, "//") || strings.Count(path, "/") > 16 {
			return
		}
		in := s.File(path)
		dir := path
		for {
			i := strings.LastIndexByte(dir, '/')
			if i < 0 {
				dir = ""
			} else {
				dir = dir[:i]
			}
			if m := s.Dir(dir); (m == pathwalk.Excluded && in) || (m == pathwalk.Included && !in) {
				t.Fatalf("Parse(%q, %q): Dir(%q) = %v, but File(%q) = %v", spec, prefix, dir, m, path, in)
			}
			if dir == "" {
				break
			}
		}
	})
}
