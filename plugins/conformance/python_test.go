package conformance_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/git-backfill/git-backfill/exporters"
	"github.com/git-backfill/git-backfill/exporters/exportertest"
	"github.com/git-backfill/git-backfill/plugins"
)

// TestPython runs the Python exporter of docs/writing-an-exporter.md, built
// from the doc's own code blocks, over the plugin boundary: the
// conformance suite, and a shutdown that must not cost go-plugin's 2 s
// grace and SIGKILL.
//
// Of the suite, Broken is left out: the exporter holds its file open from
// Configure on, and nothing done to the path afterwards makes its writes
// fail. The exporter keeps no manifest, so Incremental checks that it
// refuses Manifest.
func TestPython(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Python plugin processes")
	}
	prog := buildPythonProgram(t, "jsonl")

	t.Run("Conformance", func(t *testing.T) {
		var file string
		exportertest.Run(t, exportertest.Config{
			New: func(t *testing.T) (exporters.Exporter, map[string]string) {
				file = filepath.Join(t.TempDir(), "records.jsonl")
				return startPython(t, prog).named, map[string]string{"file": file}
			},
			Read: func(t *testing.T, res exporters.Result) [][]byte {
				b, err := os.ReadFile(file)
				if err != nil {
					t.Fatal(err)
				}
				if res.Location != file || res.Bytes != int64(len(b)) {
					t.Errorf("Result %+v for %d bytes in %s", res, len(b), file)
				}
				return lines(t, b)
			},
			// The file is the destination, which an appending exporter
			// cannot take back: after Abort it keeps the records written,
			// as the files exporter keeps its complete files. A torn last
			// record is left over, since the next export would append to
			// it; so is anything beside the file.
			Leftovers: func(t *testing.T, res exporters.Result) []string {
				return entries(t, filepath.Dir(file), func(p string) bool {
					if p != file {
						return true
					}
					b, err := os.ReadFile(p)
					return err == nil && len(b) > 0 && b[len(b)-1] != '\n'
				})
			},
			BadOptions: map[string]map[string]string{
				"no file":           {},
				"missing directory": {"file": "/nonexistent/records.jsonl"},
				"a directory":       {"file": "/"},
			},
		})
	})

	t.Run("Shutdown", func(t *testing.T) {
		py := startPython(t, prog)
		info, err := py.p.Describe(t.Context())
		if err != nil || info.Name != "jsonl" || info.ProtocolVersion != 1 {
			t.Fatalf("Describe = %+v, %v; want jsonl, protocol version 1", info, err)
		}
		file := filepath.Join(t.TempDir(), "records.jsonl")
		if err := export(t.Context(), py.named, map[string]string{"file": file}, exportertest.Records(0, 10)); err != nil {
			t.Fatal(err)
		}
		t.Logf("Close took %v", py.close(t))
	})
}

// pythonPlugin is a running Python exporter.
type pythonPlugin struct {
	p      *plugins.Plugin
	named  *named
	cmd    *exec.Cmd
	stderr syncBuffer
	once   sync.Once
	took   time.Duration
}

// startPython starts prog as exporter "jsonl" and closes it when the test
// ends, failing the test if the close was not a clean exit.
func startPython(t *testing.T, prog pythonProgram) *pythonPlugin {
	t.Helper()
	py := &pythonPlugin{cmd: prog.command()}
	py.cmd.Stderr = &py.stderr
	p, err := plugins.Start(context.Background(), "jsonl", py.cmd)
	if err != nil {
		t.Fatal(err)
	}
	py.p, py.named = p, &named{t, "jsonl", p}
	t.Cleanup(func() { py.close(t) })
	return py
}

// close closes the plugin, once, and checks that the process exited by
// itself with status 0: go-plugin v1.8.0's Client.Kill calls
// plugin.GRPCController/Shutdown, ignores its error, then gives the
// process 2 s to exit before SIGKILL, so a plugin whose handler fails or
// never exits costs those 2 s and ends "signal: killed". It returns how
// long Close took (logged, not asserted: a busy machine is slow).
func (py *pythonPlugin) close(t *testing.T) time.Duration {
	py.once.Do(func() {
		begun := time.Now()
		py.p.Close()
		py.took = time.Since(begun)
		if st := py.cmd.ProcessState; st == nil || st.ExitCode() != 0 {
			t.Errorf("Close took %v and the plugin ended with %v; want exit status 0 "+
				"(is its plugin.GRPCController/Shutdown handler called?)", py.took, st)
		}
		if s := py.stderr.String(); s != "" {
			t.Logf("plugin stderr:\n%s", s)
		}
	})
	return py.took
}

// syncBuffer is a bytes.Buffer for the plugin's stderr, which go-plugin
// writes from its own goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
