package gittest

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestNew(t *testing.T) {
	// GIT_DIR from the caller would point every command elsewhere.
	t.Setenv("GIT_DIR", t.TempDir())
	r := New(t, []string{"a.txt", "d/e f.txt"})
	if got := r.Must("ls-files", "-z"); got != "a.txt\x00d/e f.txt\x00" {
		t.Errorf("ls-files: %q", got)
	}
	if got := r.Must("show", "HEAD:d/e f.txt"); got != "d/e f.txt\n" {
		t.Errorf("content: %q", got)
	}
	if got := r.Must("-C", "d", "rev-parse", "--show-prefix"); got != "d/\n" {
		t.Errorf("-C d: prefix %q", got)
	}
	_, stderr, err := r.Run("rev-parse", "--verify", "-q", "no-such-ref^{commit}")
	if err == nil || !strings.Contains(err.Error(), "git rev-parse") {
		t.Errorf("failing command: err %v, stderr %q", err, stderr)
	}
}

func TestNewEmpty(t *testing.T) {
	r := New(t, nil)
	if got := r.Must("ls-files"); got != "" {
		t.Errorf("ls-files: %q", got)
	}
}

func TestCleanEnv(t *testing.T) {
	t.Setenv("GIT_DIR", "/elsewhere/.git")
	t.Setenv("HOME", "/elsewhere")
	home := filepath.Join(t.TempDir(), "home")
	env := CleanEnv(home)
	for _, kv := range env {
		if strings.HasPrefix(kv, "GIT_") && kv != "GIT_CONFIG_NOSYSTEM=1" {
			t.Errorf("kept %q", kv)
		}
	}
	for _, want := range []string{"HOME=" + home, "XDG_CONFIG_HOME=" + filepath.Join(home, ".config"), "GIT_CONFIG_NOSYSTEM=1", "LC_ALL=C"} {
		if !slices.Contains(env, want) {
			t.Errorf("no %q in %q", want, env)
		}
	}
	if slices.Contains(env, "HOME=/elsewhere") {
		t.Errorf("kept the caller's HOME")
	}
}
