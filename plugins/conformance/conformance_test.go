// Package conformance_test runs the exporter conformance suite
// (exporters/exportertest) over the real plugin boundary: each exporter
// runs in a plugin process (this test binary, re-executed as git-backfill
// re-executes itself for a built-in) and the suite talks to it through the
// host's gRPC client, so ordering, empty exports, records over gRPC's
// default 4 MiB message limit, Configure errors, a broken destination and
// Abort under cancellation all cross the protocol. Every error must arrive
// named "exporter <name>: ...".
package conformance_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/git-backfill/git-backfill/exporters"
	"github.com/git-backfill/git-backfill/exporters/archive"
	"github.com/git-backfill/git-backfill/exporters/exportertest"
	"github.com/git-backfill/git-backfill/exporters/files"
	"github.com/git-backfill/git-backfill/exporters/s3"
	"github.com/git-backfill/git-backfill/exporters/stdout"
	"github.com/git-backfill/git-backfill/exporters/tar"
	"github.com/git-backfill/git-backfill/plugins"
	"github.com/git-backfill/git-backfill/plugins/plugintest"
)

func TestMain(m *testing.M) {
	plugintest.Main(m, map[string]exporters.Factory{
		"stdout": stdout.New,
		"tar":    tar.New,
		"files":  files.New,
		"s3":     s3.New,
		"faulty": newFaulty,
	})
}

// named is an exporter whose errors must start "exporter <name>: ", as the
// host's errors for a plugin do. It passes errors through unchanged.
type named struct {
	t    *testing.T
	name string
	e    exporters.Exporter
}

func start(t *testing.T, typ string, stdout io.Writer) (*plugins.Plugin, exporters.Exporter) {
	p := plugintest.Start(t, typ, stdout)
	return p, &named{t, typ, p}
}

func (n *named) check(err error) error {
	if err != nil && !strings.HasPrefix(err.Error(), "exporter "+n.name+": ") {
		n.t.Errorf("error does not name exporter %s: %v", n.name, err)
	}
	return err
}

// Manifest passes on to the plugin (which refuses it if its exporter
// keeps no manifest).
func (n *named) Manifest(ctx context.Context) (exporters.Manifest, error) {
	return n.e.(exporters.Incremental).Manifest(ctx)
}

func (n *named) Configure(ctx context.Context, options map[string]string) error {
	return n.check(n.e.Configure(ctx, options))
}

func (n *named) Begin(ctx context.Context, meta exporters.Metadata) error {
	return n.check(n.e.Begin(ctx, meta))
}

func (n *named) Write(ctx context.Context, records [][]byte) error {
	return n.check(n.e.Write(ctx, records))
}

func (n *named) End(ctx context.Context, summary exporters.Summary) (exporters.Result, error) {
	res, err := n.e.End(ctx, summary)
	return res, n.check(err)
}

func (n *named) Abort(ctx context.Context, reason string) error {
	return n.check(n.e.Abort(ctx, reason))
}

func TestStdout(t *testing.T) {
	var p *plugins.Plugin
	var out *bytes.Buffer
	exportertest.Run(t, exportertest.Config{
		New: func(t *testing.T) (exporters.Exporter, map[string]string) {
			out = new(bytes.Buffer)
			var e exporters.Exporter
			p, e = start(t, "stdout", out)
			return e, map[string]string{"type": "stdout"}
		},
		Read: func(t *testing.T, res exporters.Result) [][]byte {
			p.Close() // the plugin's standard output is complete once it is closed
			if res.Location != "stdout" || res.Bytes != int64(out.Len()) {
				t.Errorf("Result %+v for %d bytes of output", res, out.Len())
			}
			return lines(t, out.Bytes())
		},
		BadOptions: map[string]map[string]string{"unknown": {"output": "x"}},
	})
}

func TestTar(t *testing.T) {
	var dir string
	exportertest.Run(t, exportertest.Config{
		New: func(t *testing.T) (exporters.Exporter, map[string]string) {
			dir = t.TempDir()
			_, e := start(t, "tar", nil)
			return e, map[string]string{"output": dir, "compressionLevel": "1"}
		},
		Read: func(t *testing.T, res exporters.Result) [][]byte { return readArchive(t, res.Location) },
		Leftovers: func(t *testing.T, res exporters.Result) []string {
			return entries(t, dir, func(p string) bool { return p != res.Location })
		},
		BadOptions: map[string]map[string]string{
			"unknown key":       {"outptu": "x"},
			"missing directory": {"output": "/nonexistent/a.tar.gz"},
			"compression level": {"compressionLevel": "11"},
		},
		Break:       func(t *testing.T) func() { os.RemoveAll(dir); return nil },
		Incremental: true,
	})
}

// TestFiles runs the example exporter as a plugin; exporters/files runs
// the suite on it in-process.
func TestFiles(t *testing.T) {
	var dir string
	exportertest.Run(t, exportertest.Config{
		New: func(t *testing.T) (exporters.Exporter, map[string]string) {
			dir = filepath.Join(t.TempDir(), "commits")
			_, e := start(t, "files", nil)
			return e, map[string]string{"dir": dir}
		},
		Read: func(t *testing.T, res exporters.Result) [][]byte { return readFiles(t, dir, res) },
		Leftovers: func(t *testing.T, res exporters.Result) []string {
			// Complete .json files are kept, also after Abort.
			return entries(t, dir, func(p string) bool {
				base := filepath.Base(p)
				return strings.HasPrefix(base, ".") || !strings.HasSuffix(base, ".json")
			})
		},
		BadOptions: map[string]map[string]string{
			"no dir":        {},
			"unknown key":   {"dir": "x", "dri": "y"},
			"dir is a file": {"dir": "/dev/null"},
			"unwritable":    {"dir": "/proc"},
		},
		Break: func(t *testing.T) func() { os.RemoveAll(dir); return nil },
	})
}

// lines splits JSON Lines, each of which must end in a newline.
func lines(t *testing.T, b []byte) [][]byte {
	t.Helper()
	if len(b) == 0 {
		return nil
	}
	if b[len(b)-1] != '\n' {
		t.Fatalf("output does not end in a newline")
	}
	return bytes.Split(b[:len(b)-1], []byte("\n"))
}

// readArchive returns the records of the archive at path.
func readArchive(t *testing.T, path string) [][]byte {
	t.Helper()
	records, err := archive.ReadRecords(path)
	if err != nil {
		t.Fatal(err)
	}
	return records
}

// readFiles returns the records of dir's <commit_sha>.json files in name
// order, which is the suite's record order.
func readFiles(t *testing.T, dir string, res exporters.Result) [][]byte {
	t.Helper()
	if res.Location != dir {
		t.Errorf("Location %q, want %q", res.Location, dir)
	}
	var recs [][]byte
	var size int64
	for _, p := range entries(t, dir, func(string) bool { return true }) { // sorted
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		size += int64(len(b))
		r := lines(t, b)
		sha := strings.TrimSuffix(filepath.Base(p), ".json")
		if len(r) != 1 || !bytes.Contains(r[0], []byte(`"commit_sha":"`+sha+`"`)) {
			t.Fatalf("%s does not hold one line with commit %s", p, sha)
		}
		recs = append(recs, r[0])
	}
	if res.Bytes != size {
		t.Errorf("Result %+v for %d bytes of files", res, size)
	}
	return recs
}

// entries lists the paths in dir (none if it is gone) that keep accepts.
func entries(t *testing.T, dir string, keep func(path string) bool) []string {
	t.Helper()
	des, err := os.ReadDir(dir)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	var paths []string
	for _, e := range des {
		if p := filepath.Join(dir, e.Name()); keep(p) {
			paths = append(paths, p)
		}
	}
	return paths
}
