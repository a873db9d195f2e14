package cli

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/git-backfill/git-backfill/config"
	"github.com/git-backfill/git-backfill/exporters/stdout"
	"github.com/git-backfill/git-backfill/plugins"
)

// TestMain lets the test binary serve the built-in exporters, as
// git-backfill does, and act as an external exporter plugin when it is
// run through a link named git-backfill-exporter-<name>.
func TestMain(m *testing.M) {
	if plugins.ServeBuiltin(os.Args[1:], BuiltinExporters) {
		os.Exit(0)
	}
	if strings.HasPrefix(filepath.Base(os.Args[0]), plugins.ProgramPrefix) {
		plugins.Serve(stdout.New)
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// pluginDirs sets up a plugin directory holding "demo" (this test binary,
// a real plugin) and "script" (a shell script, not a plugin, that creates
// the file ran when run), and a command whose environment searches it.
func pluginDirs(t *testing.T) (c *command, dir, ran string, out *bytes.Buffer) {
	t.Helper()
	dir = t.TempDir()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(exe, filepath.Join(dir, plugins.ProgramPrefix+"demo")); err != nil {
		t.Fatal(err)
	}
	ran = filepath.Join(t.TempDir(), "ran")
	script := "#!/bin/sh\necho started > " + ran + "\necho 'not a plugin'\n"
	if err := os.WriteFile(filepath.Join(dir, plugins.ProgramPrefix+"script"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	home := t.TempDir()
	out = &bytes.Buffer{}
	c = &command{
		dir: home,
		environ: []string{
			"PATH=" + os.Getenv("PATH"),
			"HOME=" + home,
			"XDG_DATA_HOME=" + filepath.Join(home, "data"),
			"GIT_CEILING_DIRECTORIES=" + filepath.Dir(home),
			"GIT_BACKFILL_PLUGIN_PATH=" + dir,
			"GORACE=atexit_sleep_ms=0",
		},
		stdout: out, stderr: io.Discard,
	}
	t.Setenv("GORACE", "atexit_sleep_ms=0") // plugins inherit the test's environment
	return c, dir, ran, out
}

func sha256File(t *testing.T, path string) string {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

func TestLaunchDiscovered(t *testing.T) {
	c, dir, _, _ := pluginDirs(t)
	ctx := context.Background()
	prog := filepath.Join(dir, plugins.ProgramPrefix+"demo")
	for _, cfg := range []config.ExporterConfig{
		{Name: "demo", Type: "demo"},
		{Name: "pinned", Type: "demo", SHA256: strings.ToUpper(sha256File(t, prog))},
		{Name: "bypath", Type: "tar", Path: prog}, // a path beats the built-in type
	} {
		exp, stop, err := c.launchExporter(ctx, cfg)
		if err != nil {
			t.Fatalf("%s: %v", cfg.Name, err)
		}
		info, err := exp.(*plugins.Plugin).Describe(ctx)
		stop()
		if err != nil || info.Name != "demo" || info.ProtocolVersion != plugins.ProtocolVersion {
			t.Fatalf("%s: Describe = %+v, %v", cfg.Name, info, err)
		}
	}
}

func TestLaunchErrors(t *testing.T) {
	c, dir, ran, _ := pluginDirs(t)
	ctx := context.Background()
	script := filepath.Join(dir, plugins.ProgramPrefix+"script")
	bad := strings.Repeat("ab", 32)

	// A pinned digest that differs: refused before the program runs.
	for _, cfg := range []config.ExporterConfig{
		{Name: "s", Type: "script", SHA256: bad},
		{Name: "s", Type: "stdout", Path: script, SHA256: bad},
	} {
		_, _, err := c.launchExporter(ctx, cfg)
		if err == nil {
			t.Fatal("a program whose sha256 differs was started")
		}
		for _, s := range []string{script, bad, sha256File(t, script), "backfill.exporter.s.sha256"} {
			if !strings.Contains(err.Error(), s) {
				t.Errorf("error %q does not name %s", err, s)
			}
		}
		if _, err := os.Stat(ran); err == nil {
			t.Fatal("the program ran despite the sha256 mismatch")
		}
	}

	// Not a plugin: named in the error.
	_, _, err := c.launchExporter(ctx, config.ExporterConfig{Name: "s", Type: "script"})
	if err == nil || !strings.Contains(err.Error(), script) || !strings.Contains(err.Error(), "not a git-backfill exporter plugin") {
		t.Errorf("not a plugin: err = %v", err)
	}

	// Not found: where it looked.
	_, _, err = c.launchExporter(ctx, config.ExporterConfig{Name: "n", Type: "nope"})
	if err == nil || !strings.Contains(err.Error(), "git-backfill-exporter-nope not found") || !strings.Contains(err.Error(), dir) {
		t.Errorf("not found: err = %v", err)
	}
}

func TestExportersCommand(t *testing.T) {
	c, dir, _, out := pluginDirs(t)
	if err := c.dispatch(context.Background(), []string{"exporters"}); err != nil {
		t.Fatal(err)
	}
	exe, _ := os.Executable()
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	want := [][]string{
		{"buildkite", "built in", exe, "1"},
		{"parquet", "built in", exe, "1"},
		{"s3", "built in", exe, "1"},
		{"stdout", "built in", exe, "1"},
		{"tar", "built in", exe, "1"},
		{"demo", plugins.WherePluginPath, filepath.Join(dir, plugins.ProgramPrefix+"demo"), "1"},
		{"script", plugins.WherePluginPath, filepath.Join(dir, plugins.ProgramPrefix+"script"), "-", "error: "},
	}
	if len(lines) < len(want) {
		t.Fatalf("output:\n%s", out)
	}
	for i, w := range want {
		f := strings.Split(lines[i], "\t")
		if len(f) != 5 || strings.Join(f[:4], "\t") != strings.Join(w[:4], "\t") {
			t.Errorf("line %d = %q, want %q", i, lines[i], w)
		}
		if len(w) == 5 && !strings.HasPrefix(f[4], w[4]) {
			t.Errorf("line %d = %q, want an error", i, lines[i])
		}
	}
	// Anything after is on the test machine's PATH.
	out.Reset()
	if err := c.dispatch(context.Background(), []string{"exporters", "-h"}); err != errHelpShown {
		t.Errorf("-h: err = %v", err)
	}
	if !strings.Contains(out.String(), "usage: git backfill exporters") {
		t.Errorf("-h: %q", out)
	}
}
