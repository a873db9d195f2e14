package sparse

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/git-backfill/git-backfill/internal/gittest"
)

// These tests compare the matcher with git itself: they write a
// sparse-checkout file, let git apply it, and read back which files git
// marked skip-worktree.

// apply writes file as the sparse-checkout, has git apply it and returns
// the files git kept in the worktree, and git's stderr.
func apply(t *testing.T, r *gittest.Repo, file string, cone bool) ([]string, string) {
	t.Helper()
	r.Must("config", "core.sparseCheckout", "true")
	r.Must("config", "core.sparseCheckoutCone", map[bool]string{true: "true", false: "false"}[cone])
	if err := os.WriteFile(filepath.Join(r.Dir, ".git", "info", "sparse-checkout"), []byte(file), 0o644); err != nil {
		t.Fatal(err)
	}
	_, stderr, err := r.Run("sparse-checkout", "reapply")
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	return checkedOut(t, r), stderr
}

// checkedOut lists the files git does not mark skip-worktree.
func checkedOut(t *testing.T, r *gittest.Repo) []string {
	t.Helper()
	out := r.Must("ls-files", "-t", "-z")
	var files []string
	for _, entry := range strings.Split(strings.TrimSuffix(out, "\x00"), "\x00") {
		if strings.HasPrefix(entry, "H ") {
			files = append(files, entry[2:])
		}
	}
	slices.Sort(files)
	return files
}

func sparseFile(t *testing.T, r *gittest.Repo) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(r.Dir, ".git", "info", "sparse-checkout"))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// ours lists the files p includes.
func ours(p *Patterns) []string {
	var files []string
	for _, f := range treeFiles() {
		if p.File(f) {
			files = append(files, f)
		}
	}
	slices.Sort(files)
	return files
}

func compareWithGit(t *testing.T, r *gittest.Repo, file string, cone bool) {
	t.Helper()
	want, stderr := apply(t, r, file, cone)
	p, err := Parse(strings.NewReader(file), cone)
	if err != nil {
		t.Fatal(err)
	}
	if got := ours(p); !slices.Equal(got, want) {
		t.Errorf("cone=%v, file %q:\n ours %q\n  git %q", cone, file, got, want)
	}
	gitWarned := strings.Contains(stderr, "disabling cone pattern matching")
	reason, _, _ := strings.Cut(p.Warning, "; ")
	if gitWarned != (p.Warning != "") || (gitWarned && !strings.Contains(stderr, "warning: "+reason+"\n")) {
		t.Errorf("cone=%v, file %q: our warning %q, git's stderr %q", cone, file, p.Warning, stderr)
	}
	checkDirsConsistent(t, p)
}

func TestCasesAgainstGit(t *testing.T) {
	r := gittest.New(t, treeFiles())
	for _, c := range sparseCases {
		compareWithGit(t, r, c.file, c.cone)
	}
	for _, c := range coneFallbackCases {
		compareWithGit(t, r, c.file, true)
	}
}

// TestSparseCheckoutSetAgainstGit lets "git sparse-checkout set" write the
// file, then checks that we read it as git applies it.
func TestSparseCheckoutSetAgainstGit(t *testing.T) {
	r := gittest.New(t, treeFiles())
	for _, args := range [][]string{
		{"--cone"},
		{"--cone", "d"},
		{"--cone", "a/b"},
		{"--cone", "a/b/c", "d/f"},
		{"--no-cone", "**/file.1.txt"},
		{"--no-cone", "**/file*", "!**/file.1.txt"},
		{"--no-cone", "/d/"},
		{"--no-cone", "/a/b/", "!/a/b/c/", "/file.2.txt"},
	} {
		r.Must(append([]string{"sparse-checkout", "set"}, args...)...)
		want := checkedOut(t, r)
		p, err := Parse(strings.NewReader(sparseFile(t, r)), args[0] == "--cone")
		if err != nil {
			t.Fatal(err)
		}
		if got := ours(p); !slices.Equal(got, want) {
			t.Errorf("sparse-checkout set %q:\n ours %q\n  git %q", args, got, want)
		}
		if args[0] == "--cone" && !p.Cone() {
			t.Errorf("sparse-checkout set %q: not read in cone mode: %s", args, p.Warning)
		}
	}
}

// TestRandomPatternsAgainstGit compares random non-cone (and broken cone)
// files with git.
func TestRandomPatternsAgainstGit(t *testing.T) {
	r := gittest.New(t, treeFiles())
	pieces := []string{
		"/*", "!/*/", "/a/", "!/a/b/", "/a/*/", "!/a/*/", "/a/b/c/", "d/", "!d/f/",
		"*.txt", "file.1.txt", "!file.2*", "b", "!c", "**/c", "a/**", "!a/**/file.3.txt",
		"d/f/file.?.txt", "a**/file.3.txt", "/a/b/c", "**/b/**", "[ab]/", "!**/file.[2-3].txt",
		"file.4.txt/", "*/file.1.txt", "/*/*/file.2.txt", "!/d", "\\!x", "/d/f/*", "a/b",
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 60 {
		var lines []string
		for range 1 + rng.IntN(4) {
			lines = append(lines, pieces[rng.IntN(len(pieces))])
		}
		file := strings.Join(lines, "\n") + "\n"
		compareWithGit(t, r, file, rng.IntN(4) == 0)
	}
}

// TestRandomConeAgainstGit shuffles cone-form lines, so that some files
// are valid cone files (with or without their parent lines) and others
// make git fall back to non-cone matching.
func TestRandomConeAgainstGit(t *testing.T) {
	r := gittest.New(t, treeFiles())
	pieces := []string{
		"/*", "!/*/", "/a/", "!/a/*/", "/a/b/", "!/a/b/*/", "/a/b/c/", "/d/", "!/d/*/", "/d/f/",
	}
	rng := rand.New(rand.NewPCG(7, 8))
	cone := 0
	for range 60 {
		var lines []string
		for range 1 + rng.IntN(6) {
			lines = append(lines, pieces[rng.IntN(len(pieces))])
		}
		file := strings.Join(lines, "\n") + "\n"
		compareWithGit(t, r, file, true)
		if p, _ := Parse(strings.NewReader(file), true); p.Cone() {
			cone++
		}
	}
	t.Logf("%d of 60 files were in cone form", cone)
}
