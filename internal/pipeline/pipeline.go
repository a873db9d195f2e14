// Package pipeline runs an export from end to end: it starts the
// exporters, reads their manifests (incremental exports), takes a snapshot
// of a shared mirror, selects the commits (fetching listed ones that are
// missing), picks each commit's diff base, fetches the blobs the diffs
// read, and streams the records to every exporter in batches. The command
// line, the benchmark and the tests all export through Run.
package pipeline

import (
	"context"
	"fmt"
	"io"
	"sync/atomic"
	"time"

	"github.com/git-backfill/git-backfill/config"
	"github.com/git-backfill/git-backfill/exporters"
	"github.com/git-backfill/git-backfill/internal/backfill"
	"github.com/git-backfill/git-backfill/internal/export"
	"github.com/git-backfill/git-backfill/internal/git"
	"github.com/git-backfill/git-backfill/internal/pathwalk"
	"github.com/git-backfill/git-backfill/internal/progress"
)

// Request says what one export covers and where its records go.
type Request struct {
	// The repository: git in it, what discovery found, its configuration.
	Git    *git.Runner
	Repo   *git.Repo
	Config git.Config

	// The commits: those listed on Listed (ids, one per line) if it is
	// set, else the revision range Revs, else the last Days days of the
	// default branch of Remote.
	Listed     io.Reader
	ListedName string // where Listed comes from, for messages
	// ListedMayBeGone: Listed comes from a service whose list can name
	// commits since rewritten away (Buildkite's). Those that cannot be
	// fetched are counted and named in a warning, not a partial failure.
	ListedMayBeGone bool
	Revs            []string
	Stdin           []byte // the input of --stdin among Revs
	Days            int
	Remote          string // the remote of the default branch and of missing commits

	// The paths: top-relative pathspecs that limit selection and diffs, and
	// the same limit as a walk filter for the blobs the diffs read. Nil:
	// everything.
	Pathspecs []string
	Filter    pathwalk.Filter

	// Diffs: base, skipped or not, processes. Run fills in the rest.
	Diffs export.Options
	// Fetch is how missing objects are fetched (batches, jobs, retries,
	// timeouts); Run sets the remote and the filter of each use.
	Fetch backfill.Request

	Incremental bool // send each exporter only the commits its destination lacks
	Snapshot    bool // export from a snapshot of the repository, a bare mirror

	Exporters []config.ExporterConfig
	Launch    Launcher
	Dir       string // relative destinations are resolved against it

	// Metadata describes the export to the exporters; Run fills in the
	// time, the diff settings and the schema version.
	Metadata exporters.Metadata

	Log  io.Writer // what the export is doing; nil: quiet
	Warn io.Writer // warnings, written even when quiet
	// Meter, if set, is started when the records begin to flow, with the
	// number of commits and a count of those done; it returns the function
	// that stops it, told whether the records all went out.
	Meter func(total int64, done *atomic.Int64) (stop func(ok bool))
}

// Launcher starts the exporter cfg and returns it with the function that
// stops its process (nil if there is none).
type Launcher func(ctx context.Context, cfg config.ExporterConfig) (exporters.Exporter, func() error, error)

// Summary is what an export did.
type Summary struct {
	Records exporters.Summary // every record sent: count, dates, skipped commits
	// Exporters are each exporter's outcome, in order; empty unless the
	// export got as far as ending them.
	Exporters []Result
	Skipped   []git.OID // listed commits that could not be fetched
	// NothingNew: an incremental export found every commit exported.
	NothingNew bool
	Elapsed    time.Duration // from the exporters' start to their end
}

// Result is how one exporter ended.
type Result struct {
	Name string
	exporters.Result
	Err error
}

// PartialError is an export that finished with something left out: listed
// commits the remote would not send, blobs it would not send, or an
// exporter that failed to deliver and kept its output.
type PartialError struct{ Msg string }

func (e *PartialError) Error() string { return e.Msg }

// Run exports. It aborts the exporters on any failure, and ends them once
// every record went out. Listed commits that were skipped make the error a
// *PartialError, once everything else succeeded.
func Run(ctx context.Context, req Request) (Summary, error) {
	var sum Summary
	outs, err := startExporters(ctx, req)
	if err != nil {
		return sum, err
	}
	defer outs.close()
	start := time.Now()
	r := &run{req: req, outs: outs, repo: repoView{req.Git, req.Repo, req.Config}}
	defer r.removeSnapshot() // after the exporters are done with it
	err = r.records(ctx, &sum)
	// The one place that aborts the exporters: whatever went wrong, and
	// when there was nothing new to send them.
	if err != nil || sum.NothingNew {
		reason := "nothing new to export"
		if err != nil {
			reason = err.Error()
		}
		outs.abort(ctx, reason)
		if err != nil {
			return sum, err
		}
		return sum, r.skipped(sum.Skipped)
	}
	sum.Exporters, err = outs.end(ctx, sum.Records)
	sum.Elapsed = time.Since(start)
	if err != nil {
		return sum, err
	}
	return sum, r.skipped(sum.Skipped)
}

// skipped reports the listed commits that were skipped: a partial failure,
// or a warning when the list may name commits that are gone.
func (r *run) skipped(ids []git.OID) error {
	if !r.req.ListedMayBeGone {
		return skippedError(ids)
	}
	if len(ids) == 0 || r.req.Warn == nil {
		return nil
	}
	// A rewritten history can take thousands of listed commits with it.
	fmt.Fprintf(r.req.Warn, "warning: %s\n", skippedMessage(ids, 20))
	return nil
}

// run is one export under way.
type run struct {
	req      Request
	outs     *outputs
	repo     repoView // the repository exported: the request's, or its snapshot
	snapshot func()   // removes the snapshot, if one was taken
}

// repoView is a repository to run git in.
type repoView struct {
	git *git.Runner
	dir *git.Repo
	cfg git.Config
}

func (r *run) removeSnapshot() {
	if r.snapshot != nil {
		r.snapshot()
	}
}

// records does the export's git work and sends the records to the
// started exporters: manifests, snapshot, selection, diff bases, blobs
// first, then the records. Aborting the exporters is left to Run.
func (r *run) records(ctx context.Context, sum *Summary) error {
	req := r.req
	if req.Incremental {
		// Before the snapshot: reading a manifest may wait for another
		// export to the same destination.
		if err := r.readManifests(ctx); err != nil {
			return err
		}
	}
	if req.Snapshot {
		if err := r.useSnapshot(ctx); err != nil {
			return err
		}
	}
	commits, skipped, err := r.selectCommits(ctx)
	if err != nil {
		return err
	}
	sum.Skipped = skipped
	if req.Incremental {
		fresh := r.outs.newCommits(commits)
		r.logf("export: %d of %s new since the last incremental export\n",
			len(fresh), progress.Plural(len(commits), "selected commit is", "selected commits are"))
		if len(fresh) == 0 {
			sum.NothingNew = true
			return nil
		}
		r.dropComplete(ctx, fresh)
		commits = fresh
	}
	opts, err := r.diffOptions(ctx)
	if err != nil {
		return err
	}
	pairs, err := export.Bases(ctx, r.repo.git, commits, opts)
	if err != nil {
		return err
	}
	if err := r.blobsFirst(ctx, pairs); err != nil {
		return err
	}
	if err := r.outs.begin(ctx, r.metadata(opts)); err != nil {
		return err
	}
	var done atomic.Int64
	stop := func(bool) {}
	if req.Meter != nil {
		stop = req.Meter(int64(len(commits)), &done)
	}
	sum.Records = exporters.Summary{SkippedCommits: int64(len(skipped))}
	err = export.Records(ctx, r.repo.git, pairs, opts, func(rec []byte, rc *exporters.Record) error {
		sum.Records.CommitCount++
		noteDate(&sum.Records, rc.CommitterDate)
		if rc.DiffOmitted {
			r.warnf("warning: commit %s: its record would be over %d MiB with its diff: exported without the diff text (diff_omitted)\n",
				rc.CommitSHA, exporters.MaxRecordSize>>20)
		}
		done.Add(1)
		return r.outs.write(ctx, rec, rc)
	})
	if err == nil {
		err = r.outs.flush(ctx)
	}
	stop(err == nil)
	return err
}

// metadata completes the request's description of the export.
func (r *run) metadata(opts export.Options) exporters.Metadata {
	meta := r.req.Metadata
	meta.GeneratedAt = time.Now().UTC()
	meta.DiffBase, meta.SkipDiffs = opts.DiffBase, opts.SkipDiffs
	meta.SchemaVersion = exporters.SchemaVersion
	return meta
}

// noteDate widens a summary's date range with one committer date,
// compared as instants (time zones differ between commits).
func noteDate(sum *exporters.Summary, date string) {
	t, err := time.Parse(time.RFC3339, date)
	if err != nil {
		return
	}
	if sum.MinCommitDate.IsZero() || t.Before(sum.MinCommitDate) {
		sum.MinCommitDate = t
	}
	if t.After(sum.MaxCommitDate) {
		sum.MaxCommitDate = t
	}
}
