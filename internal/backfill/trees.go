package backfill

import (
	"encoding/hex"

	"github.com/git-backfill/git-backfill/internal/git"
	"github.com/git-backfill/git-backfill/internal/trace2"
)

// fetchTrees finds the trees missing below the roots (a treeless clone,
// "--filter=tree:0") and fetches them in batches, returning how many it
// fetched. It does not descend into them: the caller reads the object
// store again and calls again, so each call is one level deeper.
//
// Without a path filter the request asks for the trees with
// "--filter=blob:none", which brings all their subtrees too: one round
// fetches every tree. With a sparse-checkout or pathspec, "--filter=tree:0"
// brings exactly the trees asked for, so directories outside the filter
// are never downloaded, at the cost of one round per directory level.
func (r *run) fetchTrees() (int, error) {
	_, leave := trace2.Region(r.ctx, "backfill", "trees")
	defer leave()
	req, st := r.req, r.st
	var want []git.OID
	var wantPaths []string
	w := r.walker()
	w.Paths = nil
	w.OnMissingTree = func(dir string, id []byte) {
		want = append(want, git.OID(hex.EncodeToString(id)))
		wantPaths = append(wantPaths, dir+"/")
	}
	// Blobs are not needed yet: only which trees are missing.
	if err := w.WalkRoots(r.rootList(), func(string, [][]byte) error { return nil }); err != nil {
		return 0, err
	}
	if len(want) == 0 {
		return 0, nil
	}
	filter := "blob:none"
	if req.Filter != nil {
		filter = "tree:0"
	}
	f := r.b.newFetcher(r.ctx, req, filter)
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
