package cli

import (
	"math"
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

// After the first collection the default pacing is back: a large run must
// not stay pinned at the lazy limit, collecting all the time.
func TestDeferGCRestoresPacingAfterFirstCollection(t *testing.T) {
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	defer restoreGC()
	deferGC()
	if got := debug.SetGCPercent(-1); got != -1 {
		t.Fatalf("GC percent before any collection = %d, want -1 (off)", got)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		runtime.GC()
		if debug.SetMemoryLimit(-1) == math.MaxInt64 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("memory limit still set 10s after collections began")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if got := debug.SetGCPercent(100); got != 100 {
		t.Fatalf("GC percent after the first collection = %d, want 100", got)
	}
}

func TestDeferGCLeavesUserSettingsAlone(t *testing.T) {
	t.Setenv("GOGC", "50")
	defer restoreGC()
	before := debug.SetGCPercent(100)
	debug.SetGCPercent(before)
	deferGC()
	if got := debug.SetGCPercent(before); got != before {
		t.Fatalf("GC percent = %d with GOGC set, want it untouched (%d)", got, before)
	}
}
