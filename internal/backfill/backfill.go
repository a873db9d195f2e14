// Package backfill downloads the blobs a blobless partial clone is missing,
// in large path-grouped batches, without ever letting git fetch them one at
// a time.
package backfill

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/git-backfill/git-backfill/internal/git"
	"github.com/git-backfill/git-backfill/internal/pathwalk"
)

// Request says what to backfill and how.
type Request struct {
	Revs  []string // rev-list arguments; the caller supplies HEAD if none
	Stdin []byte   // input for --stdin among Revs, else nil
	// RangeRevs are Revs without the options that only drop commits
	// (--since, -n, --author ...). A parent dropped by those is not an edge.
	RangeRevs    []string
	IncludeEdges bool // also fetch the snapshots of boundary commits
	Filter       pathwalk.Filter
	Remote       string // promisor remote to fetch from
	MinBatchSize int    // send a batch once it holds at least this many objects
	MaxBatchSize int    // split batches above this many objects; 0: no limit
	// DryRun lists the plan on Plan instead of fetching.
	DryRun bool
	Plan   io.Writer
}

// Stats describe a finished run.
type Stats struct {
	Commits int   // commits whose snapshots were walked, boundary included
	Missing int   // objects missing in those snapshots before the run, any path
	Paths   int   // paths with blobs to fetch
	Blobs   int   // blobs fetched (planned, in a dry run)
	Batches int   // fetch requests made (planned)
	Bytes   int64 // pack bytes received
	Elapsed time.Duration
}

// Backfiller runs backfills in one repository.
type Backfiller struct {
	Git  *git.Runner
	Repo *git.Repo
}

// Run selects the commits, finds the missing blobs in their snapshots,
// walks their trees by path and fetches the blobs in batches.
func (b *Backfiller) Run(ctx context.Context, req Request) (Stats, error) {
	start := time.Now()
	var st Stats
	sel, err := b.selectCommits(ctx, req)
	if err != nil {
		return st, err
	}
	commits := append(append([]git.Commit{}, sel.Commits...), sel.Boundary...)
	st.Commits = len(commits)
	ids := make([]string, len(commits))
	for i, c := range commits {
		ids[i] = c.ID
	}
	missing, err := b.Git.MissingObjects(ctx, ids)
	if err != nil {
		return st, err
	}
	st.Missing = len(missing)
	if len(missing) > 0 {
		if err := b.walkAndFetch(ctx, req, commits, missing, &st); err != nil {
			st.Elapsed = time.Since(start)
			return st, err
		}
	}
	st.Elapsed = time.Since(start)
	return st, nil
}

// selectCommits runs the revision walk. rev-list's --boundary also reports
// parents that a limiting option (--since, -n, ...) cut off; those are not
// edges of the range, so when such options are present the edges are the
// boundary commits that the range without them has too.
func (b *Backfiller) selectCommits(ctx context.Context, req Request) (*git.Selection, error) {
	sel, err := b.Git.SelectCommits(ctx, req.Revs, bytes.NewReader(req.Stdin), req.IncludeEdges)
	if err != nil || !req.IncludeEdges || len(sel.Boundary) == 0 || slices.Equal(req.Revs, req.RangeRevs) {
		return sel, err
	}
	whole, err := b.Git.SelectCommits(ctx, req.RangeRevs, bytes.NewReader(req.Stdin), true)
	if err != nil {
		return nil, err
	}
	edges := make(map[string]bool, len(whole.Boundary))
	for _, c := range whole.Boundary {
		edges[c.ID] = true
	}
	sel.Boundary = slices.DeleteFunc(sel.Boundary, func(c git.Commit) bool { return !edges[c.ID] })
	return sel, nil
}

func (b *Backfiller) walkAndFetch(ctx context.Context, req Request, commits []git.Commit, missing map[string]struct{}, st *Stats) error {
	cat, err := b.Git.StartCatFile(ctx)
	if err != nil {
		return err
	}
	defer cat.Close()
	packsBefore, err := listPacks(b.Repo.ObjectsDir)
	if err != nil {
		return err
	}
	send := func(batch []string) error {
		return b.Git.FetchObjects(ctx, req.Remote, batch)
	}
	if req.DryRun {
		send = func([]string) error { return nil }
	}
	bt := &batcher{min: req.MinBatchSize, max: req.MaxBatchSize, send: send, plan: req.Plan, dryRun: req.DryRun}
	roots := make([]string, 0, len(commits))
	for _, c := range commits {
		roots = append(roots, c.Tree)
	}
	w := &pathwalk.Walker{
		Trees:  pathwalk.CatFileTrees{CatFile: cat, IDLen: b.Repo.OIDLength()},
		Filter: req.Filter,
		SkipTree: func(id string) bool {
			_, gone := missing[id]
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
	st.Paths, st.Blobs, st.Batches = bt.paths, bt.objects, bt.batches
	if !req.DryRun {
		st.Bytes = newPackBytes(b.Repo.ObjectsDir, packsBefore)
		if st.Batches > 0 && walkErr == nil {
			if err := b.Git.RunAutoMaintenance(ctx); err != nil {
				return fmt.Errorf("after fetching: %w", err)
			}
		}
	}
	return walkErr
}
