package pipeline

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"time"

	"github.com/git-backfill/git-backfill/internal/backfill"
	"github.com/git-backfill/git-backfill/internal/export"
	"github.com/git-backfill/git-backfill/internal/git"
	"github.com/git-backfill/git-backfill/internal/progress"
	"github.com/git-backfill/git-backfill/internal/selection"
)

// selectCommits applies the listed commits, the revision range or the
// days, and returns the commits in export order with the listed ones that
// could not be fetched.
func (r *run) selectCommits(ctx context.Context) (commits, skipped []git.OID, err error) {
	req := r.req
	if req.Listed != nil {
		fetch := req.Fetch
		listed, err := selection.ListedCommits(ctx, r.repo.git, r.repo.dir, req.Listed, req.ListedName, backfill.IDsRequest{
			Remote: req.Remote, Jobs: fetch.Jobs, Retries: fetch.Retries, Filter: "blob:none", Backoff: fetch.Backoff,
			StallTimeout: fetch.StallTimeout, SilenceTimeout: fetch.SilenceTimeout, ProbeTimeout: fetch.ProbeTimeout,
		})
		if err != nil {
			return nil, nil, err
		}
		return listed.Commits, listed.Skipped, nil
	}
	commits, err = selection.Commits(ctx, r.repo.git, selection.Request{
		Revs: req.Revs, Stdin: req.Stdin, Days: req.Days, Now: time.Now(), Remote: req.Remote,
		Pathspecs: req.Pathspecs,
	})
	return commits, nil, err
}

// skippedError is the partial failure of listed commits that could not be
// fetched; nil when there are none.
func skippedError(skipped []git.OID) error {
	if len(skipped) == 0 {
		return nil
	}
	return &PartialError{skippedMessage(skipped, len(skipped))}
}

// skippedMessage names the skipped commits, the first shown of them.
func skippedMessage(skipped []git.OID, shown int) string {
	n := len(skipped)
	verb := "were"
	if n == 1 {
		verb = "was"
	}
	more := ""
	if n > shown {
		more = fmt.Sprintf("\n  and %d more", n-shown)
		skipped = skipped[:shown]
	}
	return fmt.Sprintf("%s listed could not be fetched and %s skipped:\n  %s%s",
		progress.Plural(n, "commit", "commits"), verb, strings.Join(git.Strings(skipped), "\n  "), more)
}

// diffOptions completes the request's diff options: the processes, the
// paths, and for fork-point bases the default branch.
func (r *run) diffOptions(ctx context.Context) (export.Options, error) {
	opts := r.req.Diffs
	if opts.Concurrency == 0 {
		opts.Concurrency = runtime.NumCPU()
	}
	if opts.DiffBase == "fork-point" {
		branch, err := selection.DefaultBranch(ctx, r.repo.git, r.req.Remote)
		if err != nil {
			return opts, err
		}
		opts.DefaultBranch = branch
	}
	opts.Pathspecs = r.req.Pathspecs
	return opts, nil
}

// blobsFirst fetches, in a partial clone, the blobs the diffs will read,
// in path-grouped batches rather than one lazy fetch per blob.
func (r *run) blobsFirst(ctx context.Context, pairs []git.Pair) error {
	remotes := r.repo.cfg.PromisorRemotes()
	if len(remotes) == 0 || len(pairs) == 0 {
		return nil
	}
	b := &backfill.Backfiller{Git: r.repo.git, Repo: r.repo.dir}
	req := r.req.Fetch
	req.Remote = remotes[0]
	// The diffs are limited to the pathspecs or the sparse cone: so are
	// the blobs they read.
	req.Filter = r.req.Filter
	st, err := b.ForDiffs(ctx, req, pairs)
	if err != nil {
		return fmt.Errorf("fetching the blobs the diffs need: %w", err)
	}
	if len(st.Failed) > 0 {
		return &PartialError{backfill.FailuresMessage(st.Failed)}
	}
	if st.Blobs > 0 {
		r.logf("export: fetched %d blobs the diffs need in %s\n", st.Blobs, progress.Plural(st.Requests, "request", "requests"))
	}
	return nil
}

// logf tells what the export does, unless it is quiet.
func (r *run) logf(format string, args ...any) {
	if r.req.Log != nil {
		fmt.Fprintf(r.req.Log, format, args...)
	}
}

// warnf writes a warning, even when quiet.
func (r *run) warnf(format string, args ...any) {
	if r.req.Warn != nil {
		fmt.Fprintf(r.req.Warn, format, args...)
	}
}
