// Package gittest builds throw-away git repositories for tests that compare
// this module's matching with git itself. Every git it runs has a clean
// environment (see CleanEnv), so neither the caller's GIT_* variables nor
// user or system configuration can change what git does.
//
// It is test support only: import it from _test.go files.
package gittest

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Repo is a repository in a temporary directory that the test removes when
// it ends. Its methods may be called from the test's goroutine only.
type Repo struct {
	// Dir is the worktree; the repository is Dir/.git.
	Dir string

	t   testing.TB
	env []string
}

// New makes a repository holding files, each a slash-separated path whose
// content is the path and a newline, all added and committed. It skips the
// test under -short, and fails it if git is not on PATH: git is a hard
// requirement, and a skip would hide that.
func New(t testing.TB, files []string) *Repo {
	t.Helper()
	if testing.Short() {
		t.Skip("runs git")
	}
	if _, err := exec.LookPath("git"); err != nil {
		t.Fatalf("git is required: %v", err)
	}
	tmp := t.TempDir()
	home := filepath.Join(tmp, "home")
	if err := os.MkdirAll(home, 0o755); err != nil {
		t.Fatal(err)
	}
	r := &Repo{Dir: filepath.Join(tmp, "repo"), t: t, env: CleanEnv(home)}
	for _, f := range files {
		path := filepath.Join(r.Dir, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(f+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// Dir may not exist yet if files is empty; "git init" creates it.
	if err := os.MkdirAll(r.Dir, 0o755); err != nil {
		t.Fatal(err)
	}
	r.Must("init", "-q")
	r.Must("add", "-A")
	// HOME is empty, so there is no identity unless it is given here.
	r.Must("-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-q", "--allow-empty", "-m", "tree")
	return r
}

// Env is the clean environment the repository's git processes run with,
// for code under test that starts git itself.
func (r *Repo) Env() []string { return append([]string{}, r.env...) }

// Run runs git with args in Dir and returns what it wrote. err, non-nil if
// git could not start or exited with a failure, names the command; git's
// explanation is in stderr. To run git in a subdirectory, pass "-C", sub.

func (r *Repo) Run(args ...string) (stdout, stderr string, err error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = r.Dir
	cmd.Env = r.env
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		return out.String(), errOut.String(), fmt.Errorf("git %s: %w", strings.Join(args, " "), err)
	}
	return out.String(), errOut.String(), nil
}

// Must is Run for commands that have to succeed: it returns git's stdout,
// and if git fails it fails the test with git's stderr.
func (r *Repo) Must(args ...string) string {
	r.t.Helper()
	stdout, stderr, err := r.Run(args...)
	if err != nil {
		r.t.Fatalf("%v\n%s", err, stderr)
	}
	return stdout
}

// CleanEnv returns the process environment made safe for running git in a
// test: every GIT_* variable dropped (GIT_DIR, or the one that makes
// pathspecs globs, would change what git does), HOME set to home and
// XDG_CONFIG_HOME below it so that no user configuration is read,
// GIT_CONFIG_NOSYSTEM=1 so that no system configuration is either, and LC_ALL=C so that messages are in
// English. home need not exist.
func CleanEnv(home string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "GIT_") && !strings.HasPrefix(kv, "HOME=") && !strings.HasPrefix(kv, "XDG_CONFIG_HOME=") {
			env = append(env, kv)
		}
	}
	return append(env, "HOME="+home, "XDG_CONFIG_HOME="+filepath.Join(home, ".config"),
		"GIT_CONFIG_NOSYSTEM=1", "LC_ALL=C")
}
