// Package plugintest runs exporters over the real plugin boundary in tests:
// the test binary re-executes itself as the plugin, the way git-backfill
// serves its built-in exporters. A package's hookup:
//
//	func TestMain(m *testing.M) {
//		plugintest.Main(m, map[string]exporters.Factory{"tar": tar.New})
//	}
//
//	func TestOverGRPC(t *testing.T) {
//		e := plugintest.Start(t, "tar", nil)
//		... // e is an exporters.Exporter in another process
//	}
package plugintest

import (
	"context"
	"io"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/git-backfill/git-backfill/exporters"
	"github.com/git-backfill/git-backfill/plugins"
)

// Main serves a built-in exporter of builtins when the test binary was
// started as one (by Start), and otherwise runs the tests. It does not
// return.
func Main(m *testing.M, builtins map[string]exporters.Factory) {
	if plugins.ServeBuiltin(os.Args[1:], builtins) {
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// Start starts the test binary as the plugin serving exporter typ (one of
// Main's builtins) and closes it when the test ends. The plugin's standard
// output goes to stdout (nil: none), complete once the plugin is closed
// (Close may be called early), and its standard error to the test log.
func Start(t testing.TB, typ string, stdout io.Writer) *plugins.Plugin {
	t.Helper()
	cmd, err := plugins.BuiltinCommand(typ)
	if err != nil {
		t.Fatal(err)
	}
	// A race-enabled plugin would sleep a second on exit.
	cmd.Env = append(os.Environ(), "GORACE="+strings.TrimSpace(os.Getenv("GORACE")+" atexit_sleep_ms=0"))
	log := &logWriter{t: t}
	cmd.Stdout, cmd.Stderr = stdout, log
	p, err := plugins.Start(context.Background(), typ, cmd)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		p.Close()
		log.close()
	})
	return p
}

// logWriter writes to the test log until the test ends.
type logWriter struct {
	mu   sync.Mutex
	t    testing.TB
	done bool
}

func (w *logWriter) Write(b []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if s := strings.TrimSpace(string(b)); s != "" && !w.done {
		w.t.Logf("plugin stderr: %s", s)
	}
	return len(b), nil
}

func (w *logWriter) close() {
	w.mu.Lock()
	w.done = true
	w.mu.Unlock()
}
