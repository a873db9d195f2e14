//go:build unix

package trace2

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A trace target that nobody reads, or whose reader stopped, must not stop
// the run: git would wait for ever there, and no signal would end it.
func TestTargetsThatBlockAreDropped(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	env := []string{"GIT_TRACE2_EVENT=" + fifo}

	t.Run("no reader", func(t *testing.T) {
		within(t, 2*time.Second, func() {
			if tr := Open(env, Options{}); tr != nil {
				tr.Start([]string{"git-backfill"})
				tr.Exit(0)
			}
		})
	})

	t.Run("a reader that never reads", func(t *testing.T) {
		r, err := os.OpenFile(fifo, os.O_RDONLY|syscall.O_NONBLOCK, 0)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		tr := Open(env, Options{})
		if tr == nil {
			t.Fatal("no trace for a FIFO with a reader")
		}
		// Far more than a pipe holds.
		long := strings.Repeat("x", 1<<20)
		within(t, 3*writeTimeout, func() {
			tr.Start([]string{"git-backfill", long})
			for range 10 {
				tr.CmdName("backfill")
			}
			tr.Exit(0)
		})
	})
}

func within(t *testing.T, d time.Duration, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		f()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(d):
		t.Fatalf("still writing the trace after %v", d)
	}
}
