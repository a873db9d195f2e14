package sparse

import (
	"github.com/git-backfill/git-backfill/internal/pathwalk"

	"fmt"
	"slices"
	"strings"
	"testing"
)

// treeDirs and treeFiles are the test tree: file.1.txt ... file.4.txt in
// each directory.
var treeDirs = []string{"", "a", "a/b", "a/b/c", "d", "d/f"}

func treeFiles() []string {
	var files []string
	for _, dir := range treeDirs {
		for n := 1; n <= 4; n++ {
			name := fmt.Sprintf("file.%d.txt", n)
			if dir != "" {
				name = dir + "/" + name
			}
			files = append(files, name)
		}
	}
	return files
}

// filesIn lists the tree's files directly in the given directories.
func filesIn(dirs ...string) []string {
	var files []string
	for _, f := range treeFiles() {
		dir, _ := parent(f)
		if slices.Contains(dirs, dir) {
			files = append(files, f)
		}
	}
	return files
}

// sparseCases are checked here and, in git_test.go, against git itself.
var sparseCases = []struct {
	name     string
	cone     bool
	file     string
	want     []string                  // included files; nil means "compute from wantDirs"
	wantDirs []string                  // directories whose files are all included
	dirs     map[string]pathwalk.Match // expected Dir results
}{
	{
		name:     "cone root only",
		cone:     true,
		file:     "/*\n!/*/\n",
		wantDirs: []string{""},
		dirs:     map[string]pathwalk.Match{"a": pathwalk.Excluded, "a/b": pathwalk.Excluded, "d": pathwalk.Excluded},
	},
	{
		name:     "cone d",
		cone:     true,
		file:     "/*\n!/*/\n/d/\n",
		wantDirs: []string{"", "d", "d/f"},
		dirs:     map[string]pathwalk.Match{"a": pathwalk.Excluded, "d": pathwalk.Included, "d/f": pathwalk.Included},
	},
	{
		name:     "cone a/b",
		cone:     true,
		file:     "/*\n!/*/\n/a/\n!/a/*/\n/a/b/\n",
		wantDirs: []string{"", "a", "a/b", "a/b/c"},
		dirs:     map[string]pathwalk.Match{"": pathwalk.Partial, "a": pathwalk.Partial, "a/b": pathwalk.Included, "d": pathwalk.Excluded},
	},
	{
		name:     "cone a/b/c and d/f",
		cone:     true,
		file:     "/*\n!/*/\n/a/\n!/a/*/\n/a/b/\n!/a/b/*/\n/a/b/c/\n/d/\n!/d/*/\n/d/f/\n",
		wantDirs: []string{"", "a", "a/b", "a/b/c", "d", "d/f"},
		dirs:     map[string]pathwalk.Match{"a": pathwalk.Partial, "a/b": pathwalk.Partial, "a/b/c": pathwalk.Included, "d": pathwalk.Partial},
	},
	{
		// Checkout never looks inside a/b: it is not matched.
		name:     "cone without its parent lines",
		cone:     true,
		file:     "/*\n!/*/\n/a/b/c/\n",
		wantDirs: []string{""},
		dirs:     map[string]pathwalk.Match{"a": pathwalk.Partial, "a/b": pathwalk.Excluded, "a/b/c": pathwalk.Excluded},
	},
	{
		name:     "cone without its parent line",
		cone:     true,
		file:     "/a/b/\n",
		wantDirs: []string{"", "a/b", "a/b/c"},
		dirs:     map[string]pathwalk.Match{"a": pathwalk.Partial, "a/b": pathwalk.Included, "d": pathwalk.Excluded},
	},
	{
		// Git's set keeps both "/d/" lines and "!/d/*/" removes one.
		name:     "cone repeated line stays recursive",
		cone:     true,
		file:     "/*\n!/*/\n/d/\n/d/\n!/d/*/\n",
		wantDirs: []string{"", "d", "d/f"},
		dirs:     map[string]pathwalk.Match{"d": pathwalk.Included, "a": pathwalk.Excluded},
	},
	{
		name:     "cone full",
		cone:     true,
		file:     "/*\n",
		wantDirs: treeDirs,
		dirs:     map[string]pathwalk.Match{"a": pathwalk.Included},
	},
	{
		name:     "cone empty file",
		cone:     true,
		file:     "",
		wantDirs: []string{""},
		dirs:     map[string]pathwalk.Match{"a": pathwalk.Excluded},
	},
	{
		name: "cone falls back on a non-cone line",
		cone: true,
		file: "/*\n!/*/\n**/file.1.txt\n",
		want: []string{"file.1.txt", "file.2.txt", "file.3.txt", "file.4.txt", "a/file.1.txt", "a/b/file.1.txt", "a/b/c/file.1.txt", "d/file.1.txt", "d/f/file.1.txt"},
		dirs: map[string]pathwalk.Match{"a": pathwalk.Partial},
	},
	{
		name: "non-cone **/file.1.txt",
		file: "**/file.1.txt\n",
		want: []string{"file.1.txt", "a/file.1.txt", "a/b/file.1.txt", "a/b/c/file.1.txt", "d/file.1.txt", "d/f/file.1.txt"},
		dirs: map[string]pathwalk.Match{"a": pathwalk.Partial, "d/f": pathwalk.Partial},
	},
	{
		name: "non-cone negation",
		file: "**/file*\n!**/file.1.txt\n",
		want: slices.DeleteFunc(treeFiles(), func(f string) bool { return strings.HasSuffix(f, "file.1.txt") }),
		dirs: map[string]pathwalk.Match{"a": pathwalk.Partial},
	},
	{
		name:     "non-cone directory pattern",
		file:     "/d/\n",
		wantDirs: []string{"d", "d/f"},
		dirs:     map[string]pathwalk.Match{"": pathwalk.Partial, "a": pathwalk.Excluded, "a/b": pathwalk.Excluded, "d": pathwalk.Included, "d/f": pathwalk.Included},
	},
	{
		name:     "non-cone written like cone",
		file:     "/*\n!/*/\n/d/\n",
		wantDirs: []string{"", "d", "d/f"},
		dirs:     map[string]pathwalk.Match{"a": pathwalk.Excluded, "d": pathwalk.Included},
	},
	{
		name:     "non-cone base name directory",
		file:     "b\n",
		wantDirs: []string{"a/b", "a/b/c"},
		dirs:     map[string]pathwalk.Match{"a": pathwalk.Partial, "a/b": pathwalk.Included},
	},
	{
		name:     "non-cone directory then excluded subdirectory",
		file:     "/a/\n!/a/b/c/\n",
		wantDirs: []string{"a", "a/b"},
		dirs:     map[string]pathwalk.Match{"a": pathwalk.Partial, "a/b": pathwalk.Partial, "a/b/c": pathwalk.Excluded, "d": pathwalk.Excluded},
	},
	{
		name: "non-cone anchored wildcard",
		file: "/a/*/file.[12].txt\n",
		want: []string{"a/b/file.1.txt", "a/b/file.2.txt"},
		dirs: map[string]pathwalk.Match{"a": pathwalk.Partial, "a/b": pathwalk.Partial, "a/b/c": pathwalk.Excluded, "d": pathwalk.Excluded},
	},
	{
		name: "non-cone literal prefix splits the pattern",
		file: "a**/file.1.txt\n",
		want: []string{"a/file.1.txt", "a/b/file.1.txt", "a/b/c/file.1.txt"},
		dirs: map[string]pathwalk.Match{"d": pathwalk.Excluded, "a/b": pathwalk.Partial},
	},
	{
		name: "non-cone comments, blanks, CRLF and spaces",
		file: "\ufeff# comment\n\n/d/f/   \r\n/\\#x\n",
		want: filesIn("d/f"),
		dirs: map[string]pathwalk.Match{"d": pathwalk.Partial, "d/f": pathwalk.Included, "a": pathwalk.Excluded},
	},
	{
		name: "non-cone empty",
		file: "",
		want: []string{},
		dirs: map[string]pathwalk.Match{"": pathwalk.Excluded, "a": pathwalk.Excluded},
	},
}

func expectedFiles(want, wantDirs []string) []string {
	if want != nil {
		return want
	}
	return filesIn(wantDirs...)
}

func TestIncludesFileAndDir(t *testing.T) {
	for _, c := range sparseCases {
		t.Run(c.name, func(t *testing.T) {
			p, err := Parse(strings.NewReader(c.file), c.cone)
			if err != nil {
				t.Fatal(err)
			}
			want := expectedFiles(c.want, c.wantDirs)
			var got []string
			for _, f := range treeFiles() {
				if p.File(f) {
					got = append(got, f)
				}
			}
			slices.Sort(got)
			want = slices.Sorted(slices.Values(want))
			if !slices.Equal(got, want) {
				t.Errorf("included files:\n got %q\nwant %q", got, want)
			}
			for dir, m := range c.dirs {
				if got := p.Dir(dir); got != m {
					t.Errorf("Dir(%q) = %v, want %v", dir, got, m)
				}
			}
			checkDirsConsistent(t, p)
		})
	}
}

// checkDirsConsistent checks that Dir never claims more than File
// bears out on the test tree.
func checkDirsConsistent(t *testing.T, p *Patterns) {
	t.Helper()
	for _, dir := range treeDirs {
		m := p.Dir(dir)
		for _, f := range treeFiles() {
			if dir != "" && !strings.HasPrefix(f, dir+"/") {
				continue
			}
			in := p.File(f)
			if (m == pathwalk.Excluded && in) || (m == pathwalk.Included && !in) {
				t.Errorf("Dir(%q) = %v, but File(%q) = %v", dir, m, f, in)
			}
		}
	}
}

func BenchmarkIncludesFile(b *testing.B) {
	for _, c := range []struct {
		name string
		cone bool
		file string
	}{
		{"cone", true, "/*\n!/*/\n/a/\n!/a/*/\n/a/b/\n"},
		{"non-cone", false, "**/file*\n!**/file.1.txt\n/d/\n"},
	} {
		p, err := Parse(strings.NewReader(c.file), c.cone)
		if err != nil {
			b.Fatal(err)
		}
		files := treeFiles()
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				for _, f := range files {
					p.File(f)
				}
			}
		})
	}
}
