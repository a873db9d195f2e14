package backfill

import (
	"context"
	"slices"
	"strings"

	"github.com/git-backfill/git-backfill/internal/git"
)

// ForDiffs fetches the missing blobs that diffs of the given
// (commit, base) pairs will read, before any diff is computed, so that
// computing them never starts one lazy fetch per blob. Blobs are grouped by
// path and sent in batches like a backfill (req.Revs and the walk options
// are ignored). Pairs with base "" are root commits.
func (b *Backfiller) ForDiffs(ctx context.Context, req Request, pairs []git.Pair) (Stats, error) {
	var st Stats
	if req.Counters == nil {
		req.Counters = &Counters{}
	}
	byPath := map[string][]git.OID{}
	seen := map[git.OID]bool{}
	err := b.Git.ChangedBlobs(ctx, pairs, func(c git.RawChange) error {
		if c.NewMode == "160000" || c.OldMode == "160000" {
			return nil // submodule commits are not in this repository
		}
		if req.Filter != nil && !req.Filter.File(c.Path) {
			return nil
		}
		for _, id := range []git.OID{c.OldID, c.NewID} {
			if strings.Trim(string(id), "0") != "" && !seen[id] {
				seen[id] = true
				byPath[c.Path] = append(byPath[c.Path], id)
			}
		}
		return nil
	})
	if err != nil || len(seen) == 0 {
		return st, err
	}
	// The object store's indexes say what is missing: no walk of the
	// pairs' snapshots is needed beside the diffs'.
	objects, err := b.openObjects()
	if err != nil {
		return st, err
	}
	defer objects.Close()
	st.Commits = len(pairs)
	paths := make([]string, 0, len(byPath))
	for p := range byPath {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	bin := make([]byte, b.Repo.OIDLength())
	defer tidyTempPacks(b.Repo.ObjectsDir)()
	f := b.newFetcher(ctx, req, "blob:none")
	bt := &batcher{min: req.MinBatchSize, max: req.MaxBatchSize, send: func(x batch) error {
		req.Counters.Queued.Add(int64(len(x.ids)))
		return f.submit(x)
	}}
	for _, p := range paths {
		var want []git.OID
		for _, id := range byPath[p] {
			if decodeID(bin, id) && !objects.Has(bin) {
				want = append(want, id)
			}
		}
		st.Missing += len(want)
		if len(want) > 0 {
			if err = bt.add(p, want); err != nil {
				break
			}
		}
	}
	if err == nil {
		err = bt.flush()
	}
	req.Counters.WalkDone.Store(true)
	fetchErr := f.wait()
	st.Paths, st.Batches, st.Blobs, st.Requests = bt.paths, bt.batches, f.fetched, f.requests
	st.Failed = f.failed
	if fetchErr != nil {
		return st, fetchErr
	}
	return st, err
}
