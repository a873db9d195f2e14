package pathspec

import (
	"github.com/git-backfill/git-backfill/internal/pathwalk"

	"fmt"
	"slices"
	"strings"
	"testing"
)

// testFiles is the tree the tests match against: file.1.txt ... file.4.txt
// in six directories, and a few awkward names.
func testFiles() []string {
	var files []string
	for _, dir := range []string{"", "a/", "a/b/", "a/b/c/", "d/", "d/f/"} {
		for n := 1; n <= 4; n++ {
			files = append(files, fmt.Sprintf("%sfile.%d.txt", dir, n))
		}
	}
	return append(files, "ab/file.1.txt", "dx", "d.txt", "A/File.1.TXT", "a*b", "e f/g h.txt", "a/[x]")
}

var matchCases = []struct {
	name   string
	specs  []string
	prefix string
	want   []string // matched files
	dirs   map[string]pathwalk.Match
}{
	{
		name:  "leading directories",
		specs: []string{"d/f", "a"},
		want:  []string{"a/file.1.txt", "a/file.2.txt", "a/file.3.txt", "a/file.4.txt", "a/b/file.1.txt", "a/b/file.2.txt", "a/b/file.3.txt", "a/b/file.4.txt", "a/b/c/file.1.txt", "a/b/c/file.2.txt", "a/b/c/file.3.txt", "a/b/c/file.4.txt", "d/f/file.1.txt", "d/f/file.2.txt", "d/f/file.3.txt", "d/f/file.4.txt", "a/[x]"},
		dirs:  map[string]pathwalk.Match{"": pathwalk.Partial, "d": pathwalk.Partial, "d/f": pathwalk.Included, "a": pathwalk.Included, "a/b": pathwalk.Included, "b": pathwalk.Excluded, "ab": pathwalk.Excluded},
	},
	{
		name:  "wildcard filters blobs",
		specs: []string{"d/file.*.txt"},
		want:  []string{"d/file.1.txt", "d/file.2.txt", "d/file.3.txt", "d/file.4.txt"},
		dirs:  map[string]pathwalk.Match{"d": pathwalk.Partial, "a": pathwalk.Excluded, "d/f": pathwalk.Excluded},
	},
	{
		name:  "star matches slashes without glob magic",
		specs: []string{"*.1.txt"},
		want:  []string{"file.1.txt", "a/file.1.txt", "a/b/file.1.txt", "a/b/c/file.1.txt", "d/file.1.txt", "d/f/file.1.txt", "ab/file.1.txt"},
		dirs:  map[string]pathwalk.Match{"a": pathwalk.Partial, "a/b/c": pathwalk.Partial},
	},
	{
		name:  "glob magic",
		specs: []string{":(glob)**/b/*.1.txt", ":(glob)d/*"},
		want:  []string{"a/b/file.1.txt", "d/file.1.txt", "d/file.2.txt", "d/file.3.txt", "d/file.4.txt"},
		dirs:  map[string]pathwalk.Match{"a": pathwalk.Partial, "d": pathwalk.Partial, "d/f": pathwalk.Partial},
	},
	{
		name:  "glob everything below",
		specs: []string{":(glob)a/**"},
		dirs:  map[string]pathwalk.Match{"a": pathwalk.Included, "a/b": pathwalk.Included, "d": pathwalk.Excluded},
		want:  []string{"a/file.1.txt", "a/file.2.txt", "a/file.3.txt", "a/file.4.txt", "a/b/file.1.txt", "a/b/file.2.txt", "a/b/file.3.txt", "a/b/file.4.txt", "a/b/c/file.1.txt", "a/b/c/file.2.txt", "a/b/c/file.3.txt", "a/b/c/file.4.txt", "a/[x]"},
	},
	{
		name:   "relative to the current directory",
		specs:  []string{"file.1.txt", "../../d/f"},
		prefix: "a/b/",
		want:   []string{"a/b/file.1.txt", "d/f/file.1.txt", "d/f/file.2.txt", "d/f/file.3.txt", "d/f/file.4.txt"},
		dirs:   map[string]pathwalk.Match{"a": pathwalk.Partial, "a/b/c": pathwalk.Excluded, "d/f": pathwalk.Included},
	},
	{
		name:   "dot is the current directory",
		specs:  []string{"."},
		prefix: "d/",
		want:   []string{"d/file.1.txt", "d/file.2.txt", "d/file.3.txt", "d/file.4.txt", "d/f/file.1.txt", "d/f/file.2.txt", "d/f/file.3.txt", "d/f/file.4.txt"},
		dirs:   map[string]pathwalk.Match{"d": pathwalk.Included, "a": pathwalk.Excluded},
	},
	{
		name:   "top magic",
		specs:  []string{":/file.1.txt", ":(top)d/f/file.2.txt"},
		prefix: "a/b/",
		want:   []string{"file.1.txt", "d/f/file.2.txt"},
		dirs:   map[string]pathwalk.Match{"a": pathwalk.Excluded, "d": pathwalk.Partial},
	},
	{
		name:  "excludes only",
		specs: []string{":!a", ":^d/f", ":(exclude)*.2.txt"},
		want:  []string{"file.1.txt", "file.3.txt", "file.4.txt", "d/file.1.txt", "d/file.3.txt", "d/file.4.txt", "ab/file.1.txt", "dx", "d.txt", "A/File.1.TXT", "a*b", "e f/g h.txt"},
		dirs:  map[string]pathwalk.Match{"a": pathwalk.Excluded, "d/f": pathwalk.Excluded, "d": pathwalk.Partial, "e f": pathwalk.Partial},
	},
	{
		name:  "include minus exclude",
		specs: []string{"a", ":!a/b/c", ":!*.[34].txt"},
		want:  []string{"a/file.1.txt", "a/file.2.txt", "a/b/file.1.txt", "a/b/file.2.txt", "a/[x]"},
		dirs:  map[string]pathwalk.Match{"a": pathwalk.Partial, "a/b/c": pathwalk.Excluded, "d": pathwalk.Excluded},
	},
	{
		name:  "icase",
		specs: []string{":(icase)a/FILE.1.txt", ":(icase)a"},
		want:  []string{"a/file.1.txt", "a/file.2.txt", "a/file.3.txt", "a/file.4.txt", "a/b/file.1.txt", "a/b/file.2.txt", "a/b/file.3.txt", "a/b/file.4.txt", "a/b/c/file.1.txt", "a/b/c/file.2.txt", "a/b/c/file.3.txt", "a/b/c/file.4.txt", "A/File.1.TXT", "a/[x]"},
		dirs:  map[string]pathwalk.Match{"A": pathwalk.Included, "a": pathwalk.Included, "d": pathwalk.Excluded},
	},
	{
		name:   "icase does not fold the current directory",
		specs:  []string{":(icase)file.1.txt"},
		prefix: "A/",
		want:   []string{"A/File.1.TXT"},
		dirs:   map[string]pathwalk.Match{"a": pathwalk.Excluded, "A": pathwalk.Partial},
	},
	{
		name:  "literal magic and literal names",
		specs: []string{":(literal)a*b", "a/[x]"},
		want:  []string{"a*b", "a/[x]"},
		dirs:  map[string]pathwalk.Match{"a": pathwalk.Partial, "ab": pathwalk.Excluded},
	},
	{
		name:  "spaces and trailing slash",
		specs: []string{"e f/", "d/f/"},
		want:  []string{"e f/g h.txt", "d/f/file.1.txt", "d/f/file.2.txt", "d/f/file.3.txt", "d/f/file.4.txt"},
		dirs:  map[string]pathwalk.Match{"e f": pathwalk.Included, "d": pathwalk.Partial},
	},
	{
		name:  "no pathspecs",
		specs: nil,
		want:  testFiles(),
		dirs:  map[string]pathwalk.Match{"": pathwalk.Included, "a": pathwalk.Included},
	},
}

func TestMatchFileAndDir(t *testing.T) {
	for _, c := range matchCases {
		t.Run(c.name, func(t *testing.T) {
			s, err := Parse(c.specs, c.prefix)
			if err != nil {
				t.Fatal(err)
			}
			if got := s.Empty(); got != (len(c.specs) == 0) {
				t.Errorf("Empty() = %v", got)
			}
			got := matched(s, testFiles())
			want := slices.Sorted(slices.Values(c.want))
			if !slices.Equal(got, want) {
				t.Errorf("matched files:\n got %q\nwant %q", got, want)
			}
			for dir, m := range c.dirs {
				if got := s.Dir(dir); got != m {
					t.Errorf("Dir(%q) = %v, want %v", dir, got, m)
				}
			}
			checkDirsConsistent(t, s, testFiles())
		})
	}
}

func matched(s *Set, files []string) []string {
	var got []string
	for _, f := range files {
		if s.File(f) {
			got = append(got, f)
		}
	}
	slices.Sort(got)
	return got
}

// checkDirsConsistent checks that Dir never claims more than File
// bears out, for every directory of files.
func checkDirsConsistent(t *testing.T, s *Set, files []string) {
	t.Helper()
	dirs := map[string]bool{"": true}
	for _, f := range files {
		for i := range len(f) {
			if f[i] == '/' {
				dirs[f[:i]] = true
			}
		}
	}
	for dir := range dirs {
		m := s.Dir(dir)
		for _, f := range files {
			if dir != "" && !strings.HasPrefix(f, dir+"/") {
				continue
			}
			in := s.File(f)
			if (m == pathwalk.Excluded && in) || (m == pathwalk.Included && !in) {
				t.Errorf("Dir(%q) = %v, but File(%q) = %v", dir, m, f, in)
			}
		}
	}
}

func BenchmarkMatchFile(b *testing.B) {
	s, err := Parse([]string{"d/f", "*.1.txt", ":(glob)a/**/file.[23].txt", ":!a/b/c"}, "")
	if err != nil {
		b.Fatal(err)
	}
	files := testFiles()
	for b.Loop() {
		for _, f := range files {
			s.File(f)
		}
	}
}
