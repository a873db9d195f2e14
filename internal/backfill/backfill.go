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
}

// Stats describe a finished run.
type Stats struct {
	Commits      int   // commits whose snapshots were walked, boundary included
	Missing      int   // objects missing in those snapshots before the run, any path
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

// Run selects the commits, finds the missing blobs in their snapshots,
// walks their trees by path and fetches the blobs in batches. In a treeless
// clone it first fetches the missing trees, a level at a time.
func (b *Backfiller) Run(ctx context.Context, req Request) (st Stats, err error) {
	start := time.Now()
	if req.Counters == nil {
		req.Counters = &Counters{}
	}
	defer func() { st.Elapsed = time.Since(start) }()
	var sel *git.Selection
	sel, err = b.selectCommits(ctx, req)
	if err != nil {
		return st, err
	}
	commits := append(append([]git.Commit{}, sel.Commits...), sel.Boundary...)
	st.Commits = len(commits)
	missing, err := b.missing(ctx, commits)
	if err != nil {
		return st, err
	}
	st.Missing = len(missing)
	if len(missing) == 0 {
		req.Counters.WalkDone.Store(true)
		return st, nil
	}
	packsBefore, err := listPacks(b.Repo.ObjectsDir)
	if err != nil {
		return st, err
	}
	err = b.backfill(ctx, req, commits, missing, &st)
	if !req.DryRun {
		st.Bytes = newPackBytes(b.Repo.ObjectsDir, packsBefore)
		if err == nil && st.Requests > 0 {
			if merr := b.Git.RunAutoMaintenance(ctx); merr != nil {
				err = fmt.Errorf("after fetching: %w", merr)
			}
		}
	}
	return st, err
}

// backfill fetches missing trees (treeless clones) and then the blobs.
// Trees are only looked for when some are missing, so a blobless clone's
// trees are walked once.
func (b *Backfiller) backfill(ctx context.Context, req Request, commits []git.Commit, missing map[string]struct{}, st *Stats) error {
	cat, err := b.Git.StartCatFile(ctx)
	if err != nil {
		return err
	}
	defer cat.Close()
	trees := pathwalk.CatFileTrees{CatFile: cat, IDLen: b.Repo.OIDLength()}
	roots := make([]string, 0, len(commits))
	rootMissing := false
	for _, c := range commits {
		roots = append(roots, c.Tree)
		_, gone := missing[c.Tree]
		rootMissing = rootMissing || gone
	}
	if req.DryRun {
		return b.walkBlobs(ctx, req, trees, roots, missing, st)
	}
	if rootMissing {
		if missing, err = b.completeTrees(ctx, req, trees, roots, commits, missing, st); err != nil {
			return err
		}
	}
	skippedBefore := st.TreesUnknown
	if err := b.walkBlobs(ctx, req, trees, roots, missing, st); err != nil || st.TreesUnknown == skippedBefore {
		return err
	}
	// Trees below present roots were missing too (a depth-limited tree
	// filter): fetch them, then the blobs under them.
	if missing, err = b.completeTrees(ctx, req, trees, roots, commits, missing, st); err != nil {
		return err
	}
	return b.walkBlobs(ctx, req, trees, roots, missing, st)
}

// completeTrees fetches missing trees a level (or, without a path filter,
// everything) at a time until none is missing or some cannot be fetched,
// and returns what is missing then.
func (b *Backfiller) completeTrees(ctx context.Context, req Request, trees pathwalk.TreeReader, roots []string, commits []git.Commit, missing map[string]struct{}, st *Stats) (map[string]struct{}, error) {
	for {
		fetched, err := b.fetchTrees(ctx, req, trees, roots, missing, st)
		if err != nil {
			return nil, err
		}
		if fetched > 0 {
			if missing, err = b.missing(ctx, commits); err != nil {
				return nil, err
			}
		}
		// Trees the remote will not send are reported with the blobs; the
		// rest of the history is still walked.
		if fetched == 0 || len(st.Failed) > 0 {
			return missing, nil
		}
	}
}

// missing lists the objects missing from the snapshots of commits.
func (b *Backfiller) missing(ctx context.Context, commits []git.Commit) (map[string]struct{}, error) {
	ids := make([]string, len(commits))
	for i, c := range commits {
		ids[i] = c.ID
	}
	return b.Git.MissingObjects(ctx, ids)
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
