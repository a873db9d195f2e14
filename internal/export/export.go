// Package export turns selected commits into export records: it pairs
// each commit with its diff base (Bases), then streams commit metadata and
// diffs out of a few long-lived git processes and assembles the records in
// parallel, handing them over in selection order (Records).
//
// The git processes of an export of N commits do not grow with N:
//   - Bases: one "git rev-list --no-walk --parents". With fork-point, also
//     one "git rev-list --first-parent" of the default branch and one
//     "git rev-list --walk-reflogs"; if some commit is off that chain, one
//     "git rev-parse --git-path shallow" and one "git cat-file --batch";
//     if some history never meets the chain, one more "git rev-list". Only
//     rare shapes of history cost a process per commit (see Bases).
//   - Records: one "git rev-list --no-walk --format" for the metadata and
//     Options.Concurrency "git diff-tree --stdin" for raw, numstat and
//     patch output.
//
// Memory is bounded by the batches in flight, not by N: a record is
// handed over as soon as its turn comes, and nothing holds them all.
package export

import (
	"context"
	"errors"
	"runtime"
	"sync"

	"github.com/git-backfill/git-backfill/exporters"
)

// Diff base modes.
const (
	DiffBaseParent    = "parent"     // first parent; root commits against the empty tree
	DiffBaseForkPoint = "fork-point" // where the commit's branch left the default branch
)

// Options say how records are made.
type Options struct {
	// DiffBase is DiffBaseParent (also when empty) or DiffBaseForkPoint.
	DiffBase string
	// DefaultBranch is the ref fork-point mode measures from, such as
	// "refs/remotes/origin/HEAD"; its reflog counts, so give the ref, not
	// a commit id.
	DefaultBranch string
	// SkipDiffs leaves git_diff and git_diff_raw out of the records (and
	// git does not compute patches); files and diff_stat stay.
	SkipDiffs bool
	// Pathspecs limit the files and diffs of each record: top-relative
	// git pathspecs, passed to git after "--".
	Pathspecs []string
	// Concurrency is the number of diff processes; records are still
	// emitted in order. Zero or less means GOMAXPROCS.
	Concurrency int
}

func (o Options) workers() int {
	if o.Concurrency > 0 {
		return o.Concurrency
	}
	return runtime.GOMAXPROCS(0)
}

// EmitFunc receives one record: rec is the Record encoded as one JSON
// object without a trailing newline, r the same record decoded. Both are
// the callee's to keep. An error stops the export and is returned by
// Records.
type EmitFunc func(rec []byte, r *exporters.Record) error

// firstError keeps the first error of a pipeline and stops the rest.
type firstError struct {
	mu     sync.Mutex
	err    error
	cancel context.CancelFunc
}

func (f *firstError) set(err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err == nil && err != nil {
		f.err = err
		f.cancel()
	}
}

func (f *firstError) get() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.err
}

// closeAll closes what a pipeline started, keeping the first error.
func closeAll(err error, closers ...func() error) error {
	for _, c := range closers {
		if cerr := c(); err == nil && cerr != nil && !errors.Is(cerr, context.Canceled) {
			err = cerr
		}
	}
	return err
}
