package plugins_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/git-backfill/git-backfill/plugins"
)

// A plugin that writes 50 MiB without a newline and then hangs, on its
// standard output (copied to the host's through a pipe) or its standard
// error (read by go-plugin line by line), fails the call at its deadline
// and is gone, not a zombie, seconds after Close. The host reads the whole
// flood as it comes (the plugin, blocked on a full pipe otherwise, gets to
// the end of it) without waiting for a newline. On stderr the flood is
// 8 MiB: go-plugin reads it in 64 KiB pieces, 128 of them without a
// newline already, and under the race detector at some 15 MB/s.
func TestFloodWithoutNewline(t *testing.T) {
	defer plugins.SetKillGrace(500 * time.Millisecond)()
	defer plugins.SetAbortTimeout(500 * time.Millisecond)()
	for stream, mib := range map[string]int64{"stdout": 50, "stderr": 8} {
		t.Run(stream, func(t *testing.T) {
			var out, errOut countingWriter
			cmd, err := plugins.BuiltinCommand("fake")
			if err != nil {
				t.Fatal(err)
			}
			cmd.Stdout, cmd.Stderr = &out, &errOut
			p, err := plugins.Start(t.Context(), "fake", cmd)
			if err != nil {
				t.Fatal(err)
			}
			defer p.Close()
			p.SetTimeout(500 * time.Millisecond)
			opts := newFiles(t).options()
			opts["flood"], opts["floodmib"] = stream, strconv.FormatInt(mib, 10)
			flooded := filepath.Join(t.TempDir(), "flooded")
			opts["flooded"] = flooded
			if err := p.Configure(t.Context(), opts); err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			err = p.Begin(t.Context(), meta)
			var limit *plugins.StageTimeoutError
			if !errors.As(err, &limit) || limit.Stage != "Begin" {
				t.Fatalf("Begin: %v after %v, want the stage's timeout", err, time.Since(start))
			}
			for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
				if _, err := os.Stat(flooded); err == nil {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("the plugin did not get to the end of its flood: the host stopped reading its %s", stream)
				}
			}
			start = time.Now()
			p.Close()
			if took := time.Since(start); took > 10*time.Second {
				t.Errorf("Close took %v", took)
			}
			waitGone(t, p.Pid())
			got := map[string]int64{"stdout": out.n.Load(), "stderr": errOut.n.Load()}[stream]
			if got != mib<<20 {
				t.Errorf("the host's %s got %d bytes of the flood, want all %d", stream, got, mib<<20)
			}
		})
	}
}

// countingWriter counts the flood's bytes it is given and keeps none.
type countingWriter struct{ n atomic.Int64 }

func (w *countingWriter) Write(p []byte) (int, error) {
	w.n.Add(int64(bytes.Count(p, []byte("x"))))
	return len(p), nil
}
