package cli

import (
	"math"
	"os"
	"runtime"
	"runtime/debug"
)

// lazyHeap is the memory a run may use before its first garbage collection.
const lazyHeap = 64 << 20

// deferGC leaves the garbage collector off until the process first holds
// lazyHeap. Most runs (a small repository, a re-run with nothing missing,
// a help text) end before that, and collecting a heap of a few MiB over
// and over cost them several percent of their time. The first collection
// restores the default pacing, so a large run keeps its usual footprint.
// GOGC or GOMEMLIMIT set by the user win.
func deferGC() {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(lazyHeap)
	sentinel := new(gcSentinel)
	runtime.AddCleanup(sentinel, func(struct{}) { restoreGC() }, struct{}{})
}

// gcSentinel is unreachable from the start: the first collection frees it.
// It holds a pointer so that it is not batched with other tiny objects.
type gcSentinel struct{ _ *int }

func restoreGC() {
	debug.SetGCPercent(100)
	debug.SetMemoryLimit(math.MaxInt64)
}
