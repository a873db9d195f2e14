// Package backfill downloads the objects a partial clone is missing, in
// large path-grouped batches, without ever letting git fetch them one at a
// time.
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
	Jobs         int    // fetch requests at once (at least 1)
	Retries      int    // attempts for a failing batch before bisecting it
	Backoff      time.Duration
	StallTimeout time.Duration // stop a fetch that shows no progress this long
	// SilenceTimeout: probe the remote when a fetch shows no sign of life
	// for this long, and give up on it if the probe fails.
	SilenceTimeout time.Duration
	ProbeTimeout   time.Duration // how long the remote may take to answer a probe
	// DryRun lists the plan on Plan instead of fetching.
	DryRun bool
	Plan   io.Writer
	// Counters, if not nil, are updated as the run goes, for progress.
	Counters *Counters
	// Readers is how many processes read trees at once (default 1).
	Readers int
	// Maintenance is the housekeeping run once after the last fetch, as
	// each fetch would have run it (see git.AutoMaintenancePolicy).
	Maintenance git.AutoMaintenance
	// Waiting, if not nil, is called once if another backfill of this
	// repository is running: one runs at a time (see lockRepository).
	Waiting func()
}

// Stats describe a finished run.
type Stats struct {
	Commits      int   // commits whose snapshots were walked, boundary included
	Missing      int   // objects the walk found missing (inside the filter), before fetching
	Paths        int   // paths with blobs to fetch
	Blobs        int   // blobs fetched (planned, in a dry run)
	Trees        int   // trees fetched (treeless clones)
	Batches      int   // batches formed (blob and tree)
	Requests     int   // git fetch processes run, retries and bisection included
	Bytes        int64 // pack bytes received
	Elapsed      time.Duration
	Failed       []Failure // objects the remote would not send
	TreesUnknown int       // dry run in a treeless clone: trees not walked
}

// Backfiller runs backfills in one repository.
type Backfiller struct {
	Git  *git.Runner
	Repo *git.Repo
}

// Run selects the commits, walks their trees by path and fetches the
// missing blobs in batches as the walk finds them. Which objects are
// missing comes from the object store's indexes, so history is traversed
// once, and the root trees are read while the revision walk still lists
// commits. In a treeless clone it first fetches the missing trees, a level
// at a time.
func (b *Backfiller) Run(ctx context.Context, req Request) (st Stats, err error) {
	start := time.Now()
	if req.Counters == nil {
		req.Counters = &Counters{}
	}
	defer func() {
		st.Elapsed = time.Since(start)
		req.Counters.WalkDone.Store(true)
	}()
	packsBefore, err := listPacks(b.Repo.ObjectsDir)
	if err != nil {
		return st, err
	}
	if !req.DryRun {
		lock, err := b.lockRepository(ctx, req.Waiting)
		if err != nil {
			return st, err
		}
		defer lock.Close()
		defer tidyTempPacks(b.Repo.ObjectsDir)()
	}
	r, err := b.newRun(ctx, req, &st)
	if err != nil {
		return st, err
	}
	err = r.backfill()
	if cerr := r.close(); err == nil {
		err = cerr
	}
	if !req.DryRun {
		st.Bytes = newPackBytes(b.Repo.ObjectsDir, packsBefore)
		if err == nil && st.Requests > 0 {
			if merr := b.Git.RunAutoMaintenance(ctx, req.Maintenance); merr != nil {
				err = fmt.Errorf("after fetching: %w", merr)
			}
		}
	}
	return st, err
}

// streamCommits runs the revision walk and calls emit with each selected
// commit as rev-list prints it, then with each edge (boundary commit).
// rev-list's --boundary also reports parents that a limiting option
// (--since, -n, ...) cut off; those are not edges of the range, so when
// such options are present the edges are the boundary commits that the
// range without them has too.
func (b *Backfiller) streamCommits(ctx context.Context, req Request, emit func(git.Commit) error) error {
	var boundary []git.Commit
	err := b.Git.StreamCommits(ctx, req.Revs, bytes.NewReader(req.Stdin), req.IncludeEdges, func(c git.Commit, isBoundary bool) error {
		if isBoundary {
			boundary = append(boundary, c)
			return nil
		}
		return emit(c)
	})
	if err != nil {
		return err
	}
	if req.IncludeEdges && len(boundary) > 0 && !slices.Equal(req.Revs, req.RangeRevs) {
		whole, err := b.Git.SelectCommits(ctx, req.RangeRevs, bytes.NewReader(req.Stdin), true)
		if err != nil {
			return err
		}
		edges := make(map[git.OID]bool, len(whole.Boundary))
		for _, c := range whole.Boundary {
			edges[c.ID] = true
		}
		boundary = slices.DeleteFunc(boundary, func(c git.Commit) bool { return !edges[c.ID] })
	}
	for _, c := range boundary {
		if err := emit(c); err != nil {
			return err
		}
	}
	return nil
}
