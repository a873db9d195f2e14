package conformance_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/git-backfill/git-backfill/exporters"
	"github.com/git-backfill/git-backfill/exporters/exportertest"
)

// faulty is an exporter that fails, or blocks until its context is done,
// at the stage its options name: "fail" and "block" are configure, begin,
// write or end. A blocked call that sees its context end writes the file
// named by "cancelled", so a test sees that cancellation crossed the
// plugin boundary.
type faulty struct{ fail, block, cancelled string }

func newFaulty() exporters.Exporter { return &faulty{} }

func (f *faulty) stage(ctx context.Context, stage string) error {
	if f.block == stage {
		<-ctx.Done()
		if err := os.WriteFile(f.cancelled, []byte(stage), 0o644); err != nil {
			return err
		}
		return ctx.Err()
	}
	if f.fail == stage {
		return fmt.Errorf("%s failed on purpose", stage)
	}
	return nil
}

func (f *faulty) Configure(ctx context.Context, options map[string]string) error {
	f.fail, f.block, f.cancelled = options["fail"], options["block"], options["cancelled"]
	return f.stage(ctx, "configure")
}

func (f *faulty) Begin(ctx context.Context, meta exporters.Metadata) error {
	return f.stage(ctx, "begin")
}

func (f *faulty) Write(ctx context.Context, records [][]byte) error {
	return f.stage(ctx, "write")
}

func (f *faulty) End(ctx context.Context, summary exporters.Summary) (exporters.Result, error) {
	if err := f.stage(ctx, "end"); err != nil {
		return exporters.Result{}, err
	}
	return exporters.Result{Location: "nowhere"}, nil
}

func (f *faulty) Abort(ctx context.Context, reason string) error { return nil }

// export runs an export of recs to the end or the first error.
func export(ctx context.Context, e exporters.Exporter, opts map[string]string, recs [][]byte) error {
	if err := e.Configure(ctx, opts); err != nil {
		return err
	}
	if err := e.Begin(ctx, exportertest.Metadata()); err != nil {
		return err
	}
	if err := e.Write(ctx, recs); err != nil {
		return err
	}
	_, err := e.End(ctx, exportertest.Summary(recs))
	return err
}

// TestStageErrors checks that an error from each stage reaches the host
// with the plugin's message and name: a Write error at the latest at End.
func TestStageErrors(t *testing.T) {
	for _, stage := range []string{"configure", "begin", "write", "end"} {
		t.Run(stage, func(t *testing.T) {
			_, e := start(t, "faulty", nil)
			err := export(t.Context(), e, map[string]string{"fail": stage}, exportertest.Records(0, 10))
			if want := "exporter faulty: " + stage + " failed on purpose"; err == nil || err.Error() != want {
				t.Fatalf("got %v, want %s", err, want)
			}
			exportertest.CheckError(t, err)
			if err := e.Abort(t.Context(), "failed"); err != nil {
				t.Errorf("Abort: %v", err)
			}
		})
	}
}

// TestCancel cancels a call that the plugin is blocked in: the host's call
// returns the cancellation, named, the plugin's call sees its context end,
// and Abort still works.
func TestCancel(t *testing.T) {
	for _, stage := range []string{"configure", "begin", "end"} {
		t.Run(stage, func(t *testing.T) {
			_, e := start(t, "faulty", nil)
			marker := filepath.Join(t.TempDir(), "cancelled")
			ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
			defer cancel()
			begun := time.Now()
			err := export(ctx, e, map[string]string{"block": stage, "cancelled": marker}, exportertest.Records(0, 10))
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("got %v, want the deadline", err)
			}
			if d := time.Since(begun); d > 5*time.Second {
				t.Errorf("cancelled call returned after %v", d)
			}
			for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
				if b, err := os.ReadFile(marker); err == nil && string(b) == stage {
					break
				}
				if time.Now().After(deadline) {
					t.Fatal("the plugin's call did not see the cancellation")
				}
			}
			if err := e.Abort(t.Context(), "cancelled"); err != nil {
				t.Errorf("Abort: %v", err)
			}
		})
	}
}
