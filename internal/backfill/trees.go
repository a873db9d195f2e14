package backfill

import (
	"context"

	"github.com/git-backfill/git-backfill/internal/pathwalk"
)

// fetchTrees finds the trees missing below the roots (a treeless clone,
// "--filter=tree:0") and fetches them in batches, returning how many it
// fetched. It does not descend into them: the caller recomputes what is
// missing and calls again, so each call is one level deeper.
//
// Without a path filter the request asks for the trees with
// "--filter=blob:none", which brings all their subtrees too: one round
// fetches every tree. With a sparse-checkout or pathspec, "--filter=tree:0"
// brings exactly the trees asked for, so directories outside the filter
// are never downloaded, at the cost of one round per directory level.
func (b *Backfiller) fetchTrees(ctx context.Context, req Request, trees pathwalk.TreeReader, roots []string, missing map[string]struct{}, st *Stats) (int, error) {
	var want []string
	var wantPaths []string
	w := &pathwalk.Walker{
		Trees:  trees,
		Filter: req.Filter,
		SkipTree: func(id string) bool {
			_, gone := missing[id]
			return gone
		},
		OnSkippedTree: func(path, id string) {
			want = append(want, id)
			wantPaths = append(wantPaths, path+"/")
		},
	}
	// Blobs are not needed yet: only which trees are missing.
	if err := w.Walk(roots, func(string, []string) error { return nil }); err != nil {
		return 0, err
	}
	if len(want) == 0 {
		return 0, nil
	}
	filter := "blob:none"
	if req.Filter != nil {
		filter = "tree:0"
	}
	f := b.newFetcher(ctx, req, filter)
	f.trees = true
	bt := &batcher{min: req.MinBatchSize, max: req.MaxBatchSize, send: f.submit}
	var err error
	for i := range want {
		if err = bt.add(wantPaths[i], want[i:i+1]); err != nil {
			break
		}
	}
	if err == nil {
		err = bt.flush()
	}
	fetchErr := f.wait()
	st.Trees += f.fetched
	st.Batches += bt.batches
	st.Requests += f.requests
	st.Failed = append(st.Failed, f.failed...)
	if fetchErr != nil {
		return f.fetched, fetchErr
	}
	return f.fetched, err
}
