package backfill

import (
	"context"

	"github.com/git-backfill/git-backfill/internal/git"

	"github.com/git-backfill/git-backfill/internal/pathwalk"
)

// newFetcher sets up the pipelined fetcher for one phase.
func (b *Backfiller) newFetcher(ctx context.Context, req Request, filter string) *fetcher {
	f := &fetcher{
		fetch: func(ctx context.Context, ids []string, progress func(git.FetchProgress)) error {
			return b.Git.FetchObjects(ctx, req.Remote, ids, git.FetchOptions{
				Filter: filter, StallTimeout: req.StallTimeout, Progress: progress})
		},
		probe: func(ctx context.Context) error {
			return b.Git.ProbeRemote(ctx, req.Remote, req.ProbeTimeout)
		},
		remote: req.Remote, retries: req.Retries, backoff: req.Backoff,
		silence: req.SilenceTimeout, counters: req.Counters,
	}
	f.start(ctx, req.Jobs)
	return f
}

// walkBlobs walks the trees by path and fetches the missing blobs in
// batches while the walk goes on. Missing trees met on the way (a dry run
// in a treeless clone) are skipped and counted.
func (b *Backfiller) walkBlobs(ctx context.Context, req Request, trees pathwalk.TreeReader, roots []string, missing map[string]struct{}, st *Stats) error {
	var f *fetcher
	send := func(bt batch) error {
		req.Counters.Queued.Add(int64(len(bt.ids)))
		if req.DryRun {
			return writePlan(req.Plan, "blobs", bt)
		}
		return f.submit(bt)
	}
	if !req.DryRun {
		f = b.newFetcher(ctx, req, "blob:none")
	}
	bt := &batcher{min: req.MinBatchSize, max: req.MaxBatchSize, send: send}
	w := &pathwalk.Walker{
		Trees:  trees,
		Filter: req.Filter,
		SkipTree: func(id string) bool {
			_, gone := missing[id]
			if gone {
				st.TreesUnknown++
			}
			return gone
		},
	}
	walkErr := w.Walk(roots, func(path string, blobs []string) error {
		var want []string
		for _, id := range blobs {
			// Deleting keeps each blob under the first path it is met at.
			if _, ok := missing[id]; ok {
				delete(missing, id)
				want = append(want, id)
			}
		}
		if len(want) == 0 {
			return nil
		}
		return bt.add(path, want)
	})
	if walkErr == nil {
		walkErr = bt.flush()
	}
	req.Counters.WalkDone.Store(true)
	st.Paths, st.Batches = st.Paths+bt.paths, st.Batches+bt.batches
	if req.DryRun {
		st.Blobs = bt.objects
		return walkErr
	}
	fetchErr := f.wait()
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
