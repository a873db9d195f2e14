package backfill

import (
	"context"
	"encoding/hex"
	"errors"
	"sync/atomic"

	"github.com/git-backfill/git-backfill/internal/git"
	"github.com/git-backfill/git-backfill/internal/pathwalk"
	"github.com/git-backfill/git-backfill/internal/trace2"
)

// newFetcher sets up the pipelined fetcher for one phase.
func (b *Backfiller) newFetcher(ctx context.Context, req Request, filter string) *fetcher {
	f := &fetcher{
		fetch: func(ctx context.Context, ids []git.OID, again bool, progress func(git.FetchProgress)) error {
			return b.Git.FetchObjects(ctx, req.Remote, ids, git.FetchOptions{
				Filter: filter, StallTimeout: req.StallTimeout, Progress: progress,
				ObjectsDir: b.Repo.ObjectsDir, Again: again})
		},
		probe: func(ctx context.Context) error {
			return b.Git.ProbeRemote(ctx, req.Remote, req.ProbeTimeout)
		},
		remote: req.Remote, retries: req.Retries, backoff: req.Backoff,
		silence: req.SilenceTimeout, waitingForUser: b.Git.WaitingForUser, counters: req.Counters,
	}
	f.start(ctx, req.Jobs)
	// How to reach the remote is found out while the walk runs: waiting
	// for the first missing blob left a small repository's only fetch
	// waiting for it. A run with nothing missing pays a few processes in
	// the background.
	b.Git.PrepareFetch(f.ctx, req.Remote)
	return f
}

// walker returns a path walker over the run's trees that skips trees not
// in the object store.
func (r *run) walker() *pathwalk.Walker {
	return &pathwalk.Walker{Trees: r.trees, Filter: r.req.Filter, Has: r.objects.Has,
		Paths: &r.req.Counters.Paths}
}

// walkBlobs walks the trees by path from the roots next hands out and
// fetches the missing blobs in batches while the walk goes on: a blob is
// missing when the object store's indexes do not hold it, and it is
// fetched under the first path the walk meets it at. Missing trees met on
// the way (a dry run in a treeless clone) are skipped and counted, unless
// stopAtMissingRoot asks the walk to end with pathwalk.ErrRootMissing as
// soon as a root tree is missing, before anything is fetched.
func (r *run) walkBlobs(next func() (git.OID, bool, error), stopAtMissingRoot bool) error {
	req, st := r.req, r.st
	var f *fetcher
	send := func(bt batch) error {
		req.Counters.Queued.Add(int64(len(bt.ids)))
		if req.DryRun {
			return writePlan(req.Plan, "blobs", bt)
		}
		return f.submit(bt)
	}
	if !req.DryRun {
		f = r.b.newFetcher(r.ctx, req, "blob:none")
	}
	bt := &batcher{min: req.MinBatchSize, max: req.MaxBatchSize, send: send}
	w := r.walker()
	w.StopAtMissingRoot = stopAtMissingRoot
	w.OnMissingTree = func(string, []byte) {
		st.TreesUnknown++
		st.Missing++
	}
	// The paths walked, for trace2: the directories read and the file
	// paths with a blob not met before (see docs/tracing.md).
	var dirs atomic.Int64
	if trace2.Enabled(r.ctx) {
		w.Dirs = &dirs // an atomic add per directory otherwise spent for nothing
	}
	files := 0
	walkCtx, leaveWalk := trace2.Region(r.ctx, "backfill", "walk")
	claimed := map[string]struct{}{}
	walkErr := w.WalkRoots(next, func(path string, blobs [][]byte) error {
		var want []git.OID
		first := false
		for _, id := range blobs {
			if _, ok := claimed[string(id)]; ok {
				continue
			}
			first = true // as far as claimed tells: present blobs are not remembered
			if r.objects.Has(id) {
				continue
			}
			claimed[string(id)] = struct{}{}
			want = append(want, git.OID(hex.EncodeToString(id)))
		}
		if first {
			files++
		}
		if len(want) == 0 {
			return nil
		}
		st.Missing += len(want)
		req.Counters.Missing.Add(int64(len(want)))
		return bt.add(path, want)
	})
	if walkErr == nil {
		walkErr = bt.flush()
	}
	if !errors.Is(walkErr, pathwalk.ErrRootMissing) {
		req.Counters.WalkDone.Store(true)
		// git's path-walk counts the root too.
		trace2.DataInt(walkCtx, "path-walk", "paths", 1+dirs.Load()+int64(files))
	}
	leaveWalk()
	st.Paths, st.Batches = st.Paths+bt.paths, st.Batches+bt.batches
	if req.DryRun {
		st.Blobs = bt.objects
		return walkErr
	}
	// Fetches start while the walk goes on; this region is the wait for
	// those still running after it.
	_, leaveFetch := trace2.Region(r.ctx, "backfill", "fetch")
	fetchErr := f.wait()
	leaveFetch()
	st.Blobs += f.fetched
	st.Requests += f.requests
	st.Failed = append(st.Failed, f.failed...)
	if walkErr != nil && fetchErr != nil && walkErr == f.ctx.Err() {
		return fetchErr // the walk stopped because a fetch failed fatally
	}
	if walkErr != nil {
		return walkErr
	}
	return fetchErr
}

// decodeID decodes hex id into dst, reporting whether it fit exactly.
func decodeID(dst []byte, id git.OID) bool {
	n, err := hex.Decode(dst, []byte(id))
	return err == nil && n == len(dst) && len(id) == 2*len(dst)
}
