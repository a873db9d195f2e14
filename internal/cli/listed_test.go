//go:build unix

package cli

import (
	"context"
	"errors"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/git-backfill/git-backfill/internal/pipeline"
)

// --commits-from naming a FIFO no one writes to: opening it waits for a
// writer, and Ctrl-C (the context) still ends the run at once.
func TestCommitsFromFIFOIsInterruptible(t *testing.T) {
	dir := t.TempDir()
	if err := syscall.Mkfifo(filepath.Join(dir, "list"), 0o644); err != nil {
		t.Fatal(err)
	}
	c := &command{dir: dir}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, done, err := c.listed(ctx, pipeline.Request{}, "list")
	done()
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 5*time.Second {
		t.Fatalf("%v after %v: want the context's end at once", err, time.Since(start))
	}
}
