package plugins_test

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/git-backfill/git-backfill/plugins"
)

// program writes an exporter program (a shell script) called name in dir.
func program(t *testing.T, dir, name string, mode os.FileMode) string {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, plugins.ProgramPrefix+name)
	if err := os.WriteFile(p, []byte("#!/bin/sh\nexit 1\n"), mode); err != nil {
		t.Fatal(err)
	}
	return p
}

// searchDirs are one directory per search step, and the options naming them.
type searchDirs struct {
	config, plug1, plug2, data, exe, path1, path2 string
	env                                           map[string]string
}

func newSearchDirs(t *testing.T) *searchDirs {
	root := t.TempDir()
	d := &searchDirs{
		config: filepath.Join(root, "config"),
		plug1:  filepath.Join(root, "plug1"),
		plug2:  filepath.Join(root, "plug2"),
		data:   filepath.Join(root, "data"),
		exe:    filepath.Join(root, "exe"),
		path1:  filepath.Join(root, "path1"),
		path2:  filepath.Join(root, "path2"),
	}
	d.env = map[string]string{
		"GIT_BACKFILL_PLUGIN_PATH": d.plug1 + ":relative:" + d.plug2,
		"XDG_DATA_HOME":            d.data,
		"HOME":                     filepath.Join(root, "home"),
		"PATH":                     d.path1 + "::.:" + d.path2,
	}
	return d
}

func (d *searchDirs) opts(configured map[string]string) plugins.FindOptions {
	return plugins.FindOptions{
		Getenv:     func(k string) string { return d.env[k] },
		ExeDir:     d.exe,
		Configured: configured,
	}
}

func TestFindOrder(t *testing.T) {
	d := newSearchDirs(t)
	dataDir := filepath.Join(d.data, "git-backfill", "plugins")
	steps := []struct{ dir, where string }{
		{d.plug1, plugins.WherePluginPath},
		{d.plug2, plugins.WherePluginPath},
		{dataDir, plugins.WhereData},
		{d.exe, plugins.WhereBinary},
		{d.path1, plugins.WherePath},
		{d.path2, plugins.WherePath},
	}
	// Each step, from the last, gets the program; Find must then choose it
	// over every later step.
	for i := len(steps) - 1; i >= 0; i-- {
		want := program(t, steps[i].dir, "x", 0o755)
		path, where, err := plugins.Find("x", d.opts(nil))
		if err != nil || path != want || where != steps[i].where {
			t.Fatalf("step %d: Find = %q, %q, %v; want %q, %q", i, path, where, err, want, steps[i].where)
		}
	}
	// A configured path beats them all.
	cfg := program(t, d.config, "y", 0o755)
	path, where, err := plugins.Find("x", d.opts(map[string]string{"x": cfg}))
	if err != nil || path != cfg || where != plugins.WhereConfig {
		t.Fatalf("configured: Find = %q, %q, %v", path, where, err)
	}
	// A configured path that is not executable is an error, not a fallback.
	bad := program(t, d.config, "z", 0o644)
	if _, _, err := plugins.Find("x", d.opts(map[string]string{"x": bad})); err == nil || !strings.Contains(err.Error(), "not executable") {
		t.Fatalf("non-executable configured path: err = %v", err)
	}
}

func TestFindSkips(t *testing.T) {
	d := newSearchDirs(t)
	program(t, d.plug1, "x", 0o644)                                                               // not executable
	if err := os.MkdirAll(filepath.Join(d.plug2, plugins.ProgramPrefix+"x"), 0o755); err != nil { // a directory
		t.Fatal(err)
	}
	// Relative PATH entries (".", "") never find a program in the current directory.
	t.Chdir(t.TempDir())
	program(t, ".", "x", 0o755)
	want := program(t, d.path2, "x", 0o755)
	path, where, err := plugins.Find("x", d.opts(nil))
	if err != nil || path != want || where != plugins.WherePath {
		t.Fatalf("Find = %q, %q, %v; want %q", path, where, err, want)
	}
}

func TestFindXDGDefault(t *testing.T) {
	d := newSearchDirs(t)
	delete(d.env, "XDG_DATA_HOME")
	want := program(t, filepath.Join(d.env["HOME"], ".local", "share", "git-backfill", "plugins"), "x", 0o755)
	path, where, err := plugins.Find("x", d.opts(nil))
	if err != nil || path != want || where != plugins.WhereData {
		t.Fatalf("Find = %q, %q, %v; want %q", path, where, err, want)
	}
}

func TestFindNotFound(t *testing.T) {
	d := newSearchDirs(t)
	_, _, err := plugins.Find("nope", d.opts(nil))
	var nf *plugins.NotFoundError
	if !errors.As(err, &nf) {
		t.Fatalf("err = %v, want a NotFoundError", err)
	}
	msg := err.Error()
	for _, dir := range []string{d.plug1, d.plug2, d.data, d.exe, d.path1, d.path2, "git-backfill-exporter-nope"} {
		if !strings.Contains(msg, dir) {
			t.Errorf("error %q does not name %s", msg, dir)
		}
	}
	if strings.Contains(msg, "relative") {
		t.Errorf("error %q names a relative directory", msg)
	}
	if _, _, err := plugins.Find("../x", d.opts(nil)); err == nil {
		t.Error("Find accepted a name with a slash")
	}
}

func TestList(t *testing.T) {
	d := newSearchDirs(t)
	a := program(t, d.plug2, "a", 0o755)
	program(t, d.path1, "a", 0o755) // shadowed
	b := program(t, d.path1, "b", 0o755)
	program(t, d.exe, "c", 0o644) // not executable
	cfg := program(t, d.config, "whatever", 0o755)
	missing := filepath.Join(d.config, "missing")
	program(t, d.path2, "m", 0o755) // shadowed by the broken configured m
	got := plugins.List(d.opts(map[string]string{"conf": cfg, "m": missing}))
	want := []plugins.Found{
		{Name: "a", Path: a, Where: plugins.WherePluginPath},
		{Name: "b", Path: b, Where: plugins.WherePath},
		{Name: "conf", Path: cfg, Where: plugins.WhereConfig},
		{Name: "m", Path: missing, Where: plugins.WhereConfig},
	}
	if len(got) != len(want) {
		t.Fatalf("List = %+v", got)
	}
	for i := range want {
		g := got[i]
		if g.Name != want[i].Name || g.Path != want[i].Path || g.Where != want[i].Where {
			t.Errorf("List[%d] = %+v, want %+v", i, g, want[i])
		}
		if (g.Err != nil) != (g.Name == "m") {
			t.Errorf("List[%d].Err = %v", i, g.Err)
		}
	}
}

func TestCheckSHA256(t *testing.T) {
	p := program(t, t.TempDir(), "x", 0o755)
	data, _ := os.ReadFile(p)
	sum := sha256.Sum256(data)
	good := hex.EncodeToString(sum[:])
	if err := plugins.CheckSHA256(p, strings.ToUpper(good)); err != nil {
		t.Fatal(err)
	}
	bad := strings.Repeat("0", 64)
	err := plugins.CheckSHA256(p, bad)
	if !errors.Is(err, plugins.ErrDigestMismatch) {
		t.Fatalf("err = %v, want a mismatch", err)
	}
	for _, s := range []string{p, good, bad} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q does not name %s", err, s)
		}
	}
}
