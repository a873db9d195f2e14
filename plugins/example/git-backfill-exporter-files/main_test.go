package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/git-backfill/git-backfill/exporters/exportertest"
	"github.com/git-backfill/git-backfill/plugins"
)

// TestMain runs main when the test binary is started as the plugin: the
// host sets the handshake's cookie.
func TestMain(m *testing.M) {
	if os.Getenv(plugins.Handshake.MagicCookieKey) != "" {
		main()
		return
	}
	os.Exit(m.Run())
}

// start starts this program's main as a plugin under the program's
// installed name, as discovery would.
func start(t *testing.T) *plugins.Plugin {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe)
	cmd.Args[0] = plugins.ProgramPrefix + "files" // the name Serve reports
	// A race-enabled plugin would sleep a second on exit.
	cmd.Env = append(os.Environ(), "GORACE="+strings.TrimSpace(os.Getenv("GORACE")+" atexit_sleep_ms=0"))
	p, err := plugins.Start(context.Background(), "files", cmd)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

func TestDescribe(t *testing.T) {
	info, err := start(t).Describe(t.Context())
	if err != nil || info.Name != "files" || info.ProtocolVersion != plugins.ProtocolVersion {
		t.Errorf("Describe = %+v, %v", info, err)
	}
}

// TestExport exports through the program: one file per commit.
func TestExport(t *testing.T) {
	ctx := t.Context()
	p := start(t)
	dir := filepath.Join(t.TempDir(), "commits")
	if err := p.Configure(ctx, map[string]string{"dir": dir}); err != nil {
		t.Fatal(err)
	}
	if err := p.Begin(ctx, exportertest.Metadata()); err != nil {
		t.Fatal(err)
	}
	recs := append(exportertest.Records(0, 3), exportertest.Record(3, 5<<20))
	if err := p.Write(ctx, recs); err != nil {
		t.Fatal(err)
	}
	res, err := p.End(ctx, exportertest.Summary(recs))
	if err != nil {
		t.Fatal(err)
	}
	if res.Location != dir || res.Records != int64(len(recs)) {
		t.Errorf("Result %+v", res)
	}
	for i, r := range recs {
		name := filepath.Join(dir, strings.Repeat("0", 39)+string("0123"[i])+".json")
		if b, err := os.ReadFile(name); err != nil || string(b) != string(r)+"\n" {
			t.Errorf("%s: %d bytes, %v; want record %d", name, len(b), err, i)
		}
	}
}

// TestErrorNamesPlugin checks that the exporter's errors reach the host
// named.
func TestErrorNamesPlugin(t *testing.T) {
	err := start(t).Configure(t.Context(), map[string]string{})
	if want := "exporter files: option dir is required"; err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("Configure without dir: %v, want %s...", err, want)
	}
}
