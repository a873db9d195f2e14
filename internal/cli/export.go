package cli

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/git-backfill/git-backfill/exporters"
	"github.com/git-backfill/git-backfill/internal/backfill"
	"github.com/git-backfill/git-backfill/internal/export"
	"github.com/git-backfill/git-backfill/internal/git"
	"github.com/git-backfill/git-backfill/internal/pathwalk"
	"github.com/git-backfill/git-backfill/internal/progress"
)

// export is "git backfill export"; its usage errors show its own usage.
func (c *command) export(ctx context.Context, args []string) error {
	return withUsage(c.runExport(ctx, args), exportUsageLine)
}

func (c *command) runExport(ctx context.Context, args []string) error {
	p, err := c.parse(exportOptions, exportUsageLine, exportArgs, args)
	if err != nil {
		return err
	}
	s, err := c.open(ctx, exportOptions, p)
	if err != nil {
		return withUsage(err, exportUsageLine)
	}
	if archive := p.flags.Upload; archive != "" {
		return c.upload(ctx, s, p, archive)
	}
	// Exporters start and check their destinations before the git work.
	outs, err := c.startExporters(ctx, s, p)
	if err != nil {
		return err
	}
	defer outs.close()
	start := time.Now()
	var res exported
	defer func() {
		if res.removeSnapshot != nil {
			res.removeSnapshot() // after the exporters are done with it
		}
	}()
	res, err = c.exportRecords(ctx, s, p, outs)
	// The one place that aborts the exporters: whatever went wrong, and
	// when there was nothing new to send them.
	if err != nil || res.nothingNew {
		reason := "nothing new to export"
		if err != nil {
			reason = err.Error()
		}
		outs.abort(ctx, reason)
		if err != nil {
			return err
		}
		return res.sel.skippedError()
	}
	results, endErr := outs.end(ctx, res.sum)
	if !p.flags.Quiet {
		c.exportSummary(res.sum, results, time.Since(start))
	}
	if endErr != nil {
		return endErr
	}
	return res.sel.skippedError()
}

// exported is what exportRecords did.
type exported struct {
	sel        *selected
	sum        exporters.Summary
	nothingNew bool // an incremental export found every commit exported already
	// removeSnapshot, if set, removes the snapshot exported from; the
	// caller runs it once the exporters have ended.
	removeSnapshot func()
}

// exportRecords does an export's git work and sends its records to the
// started exporters: manifests, snapshot, selection, diff bases, blobs
// first, then the records. Any error leaves aborting the exporters to the
// caller.
func (c *command) exportRecords(ctx context.Context, s *session, p *parsedArgs, outs *outputs) (exported, error) {
	var res exported
	quiet := p.flags.Quiet
	if p.flags.Incremental {
		// Before the snapshot: reading a manifest may wait for another
		// export to the same destination.
		if err := c.readManifests(ctx, outs, quiet); err != nil {
			return res, err
		}
	}
	if s.settings.Snapshot {
		snap, remove, err := c.useSnapshot(ctx, s, quiet)
		if err != nil {
			return res, err
		}
		res.removeSnapshot = remove
		s = snap
	}
	sc, err := c.scope(ctx, s, p)
	if err != nil {
		return res, err
	}
	sel, err := c.selectCommits(ctx, s, p, sc)
	if err != nil {
		return res, err
	}
	res.sel = sel
	if p.flags.Incremental {
		fresh := outs.newCommits(sel.commits)
		if !quiet {
			fmt.Fprintf(c.stderr, "export: %d of %s new since the last incremental export\n",
				len(fresh), plural(len(sel.commits), "selected commit is", "selected commits are"))
		}
		if len(fresh) == 0 {
			res.nothingNew = true
			return res, nil
		}
		c.dropComplete(ctx, outs, fresh, quiet)
		sel.commits = fresh
	}
	opts, err := c.diffOptions(ctx, s, sc)
	if err != nil {
		return res, err
	}
	pairs, err := export.Bases(ctx, s.runner, sel.commits, opts)
	if err != nil {
		return res, err
	}
	if err := c.blobsFirst(ctx, s, p, pairs, sc.filter); err != nil {
		return res, err
	}
	if err := outs.begin(ctx, c.metadata(s, p, opts)); err != nil {
		return res, err
	}
	var done atomic.Int64
	var meter *progress.Meter
	if c.showProgress(p, quiet) {
		meter = progress.Start(c.stderr, "Exporting commits", 100*time.Millisecond, func() progress.Sample {
			return progress.Sample{Done: done.Load(), Total: int64(len(sel.commits)), TotalFinal: true, Unit: "commits"}
		})
	}
	res.sum = exporters.Summary{SkippedCommits: int64(len(sel.skipped))}
	err = export.Records(ctx, s.runner, pairs, opts, func(rec []byte, r *exporters.Record) error {
		res.sum.CommitCount++
		noteDate(&res.sum, r.CommitterDate)
		done.Add(1)
		return outs.write(ctx, rec, r)
	})
	if err == nil {
		err = outs.flush(ctx)
	}
	if meter != nil {
		meter.Stop(err == nil)
	}
	return res, err
}

// skippedError is the partial failure (exit 1) of listed commits that
// could not be fetched; nil when there are none.
func (sel *selected) skippedError() error {
	if len(sel.skipped) == 0 {
		return nil
	}
	verb := "were"
	if len(sel.skipped) == 1 {
		verb = "was"
	}
	return &partialError{fmt.Sprintf("%s listed could not be fetched and %s skipped:\n  %s",
		plural(len(sel.skipped), "commit", "commits"), verb, strings.Join(sel.skipped, "\n  "))}
}

// noteDate widens the summary's date range with one committer date,
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

// blobsFirst fetches, in a partial clone, the blobs the diffs will read.
func (c *command) blobsFirst(ctx context.Context, s *session, p *parsedArgs, pairs []git.Pair, filter pathwalk.Filter) error {
	remotes := s.gitCfg.PromisorRemotes()
	if len(remotes) == 0 || len(pairs) == 0 {
		return nil
	}
	b := &backfill.Backfiller{Git: s.runner, Repo: s.repo}
	req := c.fetchRequest(s, remotes[0])
	// The diffs are limited to the pathspecs or the sparse cone: so are
	// the blobs they read.
	req.Filter = filter
	st, err := b.ForDiffs(ctx, req, pairs)
	if err != nil {
		return fmt.Errorf("fetching the blobs the diffs need: %w", err)
	}
	if len(st.Failed) > 0 {
		return failuresError(st.Failed)
	}
	if st.Blobs > 0 && !p.flags.Quiet {
		fmt.Fprintf(c.stderr, "export: fetched %d blobs the diffs need in %s\n", st.Blobs, plural(st.Requests, "request", "requests"))
	}
	return nil
}
