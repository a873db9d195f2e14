package config

import (
	"os"
	"path/filepath"
	"testing"
)

func TestDefaultTOMLPath(t *testing.T) {
	root := t.TempDir()
	gitDir := filepath.Join(root, "repo", ".git")
	home := filepath.Join(root, "home")
	xdg := filepath.Join(root, "xdg")
	for _, d := range []string{gitDir, home, xdg} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write := func(path string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	env := func(vars map[string]string) func(string) string {
		return func(k string) string { return vars[k] }
	}
	repoFile := filepath.Join(gitDir, "backfill.toml")
	homeFile := filepath.Join(home, ".config", "git-backfill", "config.toml")
	xdgFile := filepath.Join(xdg, "git-backfill", "config.toml")

	check := func(name, gitDir string, vars map[string]string, want string) {
		t.Helper()
		if got := DefaultTOMLPath(gitDir, env(vars)); got != want {
			t.Errorf("%s: got %q, want %q", name, got, want)
		}
	}
	check("nothing exists", gitDir, map[string]string{"HOME": home}, "")
	write(homeFile)
	check("home default", gitDir, map[string]string{"HOME": home}, homeFile)
	check("relative XDG ignored", gitDir, map[string]string{"HOME": home, "XDG_CONFIG_HOME": "rel"}, homeFile)
	check("XDG without file", gitDir, map[string]string{"HOME": home, "XDG_CONFIG_HOME": xdg}, "")
	write(xdgFile)
	check("XDG", gitDir, map[string]string{"HOME": home, "XDG_CONFIG_HOME": xdg}, xdgFile)
	check("outside a repository", "", map[string]string{"XDG_CONFIG_HOME": xdg}, xdgFile)
	write(repoFile)
	check("git dir first", gitDir, map[string]string{"HOME": home, "XDG_CONFIG_HOME": xdg}, repoFile)
	check("no HOME", filepath.Join(root, "none"), map[string]string{}, "")

	// A directory where the file should be is not a config file.
	dirGit := filepath.Join(root, "dirrepo")
	if err := os.MkdirAll(filepath.Join(dirGit, "backfill.toml"), 0o755); err != nil {
		t.Fatal(err)
	}
	check("directory skipped", dirGit, map[string]string{}, "")
}
