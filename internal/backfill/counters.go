package backfill

import "sync/atomic"

// Counters are updated while a backfill runs, for a progress display to
// sample from another goroutine.
type Counters struct {
	Commits  atomic.Int64 // commits whose snapshots are walked
	Paths    atomic.Int64 // file paths the walk has visited
	Missing  atomic.Int64 // missing blobs the walk has found
	Queued   atomic.Int64 // objects handed to fetch requests so far
	Fetched  atomic.Int64 // objects that arrived
	Bytes    atomic.Int64 // bytes received, as git's progress reports them
	WalkDone atomic.Bool  // Queued is final
}
