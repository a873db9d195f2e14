package sparse

import (
	"bytes"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// These tests compare the matcher with git itself: they write a
// sparse-checkout file, let git apply it, and read back which files git
// marked skip-worktree.

// gitRepo is a throw-away repository holding the test tree.
type gitRepo struct {
	t   *testing.T
	dir string
	env []string
}

func newGitRepo(t *testing.T) *gitRepo {
	t.Helper()
	if testing.Short() {
		t.Skip("runs git")
	}
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not found")
	}
	tmp := t.TempDir()
	home := filepath.Join(tmp, "home")
	r := &gitRepo{t: t, dir: filepath.Join(tmp, "repo")}
	// A clean environment: no GIT_* variables from the caller, no user
	// or system configuration.
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "GIT_") && !strings.HasPrefix(kv, "HOME=") && !strings.HasPrefix(kv, "XDG_CONFIG_HOME=") {
			r.env = append(r.env, kv)
		}
	}
	r.env = append(r.env, "HOME="+home, "XDG_CONFIG_HOME="+filepath.Join(home, ".config"),
		"GIT_CONFIG_NOSYSTEM=1", "LC_ALL=C")
	for _, f := range treeFiles() {
		path := filepath.Join(r.dir, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(f+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(home, 0o755); err != nil {
		t.Fatal(err)
	}
	r.git("init", "-q")
	r.git("add", "-A")
	r.git("-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-q", "-m", "tree")
	return r
}

// git runs git in the repository and returns its stdout and stderr.
func (r *gitRepo) git(args ...string) (string, string) {
	r.t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = r.dir
	cmd.Env = r.env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		r.t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return stdout.String(), stderr.String()
}

// apply writes file as the sparse-checkout, has git apply it and returns
// the files git kept in the worktree, and git's stderr.
func (r *gitRepo) apply(file string, cone bool) ([]string, string) {
	r.t.Helper()
	r.git("config", "core.sparseCheckout", "true")
	r.git("config", "core.sparseCheckoutCone", map[bool]string{true: "true", false: "false"}[cone])
	if err := os.WriteFile(filepath.Join(r.dir, ".git", "info", "sparse-checkout"), []byte(file), 0o644); err != nil {
		r.t.Fatal(err)
	}
	_, stderr := r.git("sparse-checkout", "reapply")
	return r.checkedOut(), stderr
}

// checkedOut lists the files git does not mark skip-worktree.
func (r *gitRepo) checkedOut() []string {
	r.t.Helper()
	out, _ := r.git("ls-files", "-t", "-z")
	var files []string
	for _, entry := range strings.Split(strings.TrimSuffix(out, "\x00"), "\x00") {
		if strings.HasPrefix(entry, "H ") {
			files = append(files, entry[2:])
		}
	}
	slices.Sort(files)
	return files
}

func (r *gitRepo) sparseFile() string {
	r.t.Helper()
	data, err := os.ReadFile(filepath.Join(r.dir, ".git", "info", "sparse-checkout"))
	if err != nil {
		r.t.Fatal(err)
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

func compareWithGit(t *testing.T, r *gitRepo, file string, cone bool) {
	t.Helper()
	want, stderr := r.apply(file, cone)
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
	r := newGitRepo(t)
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
	r := newGitRepo(t)
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
		r.git(append([]string{"sparse-checkout", "set"}, args...)...)
		want := r.checkedOut()
		p, err := Parse(strings.NewReader(r.sparseFile()), args[0] == "--cone")
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
	r := newGitRepo(t)
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
	r := newGitRepo(t)
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
