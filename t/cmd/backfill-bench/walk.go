package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
)

// walk measures git-backfill's walk alone: with --dry-run, in a fresh
// blobless clone, it walks HEAD's history, finds every missing blob and
// lists the batches it would fetch, fetching nothing. The limit is "git
// rev-list --objects --missing=print HEAD" in the same clone: the same
// commits and trees walked, the same missing blobs named, without the
// grouping by path. Both write their lists to /dev/null (a nil Stdout; an
// io.Writer would add a pipe and a copy in this process). Rounds alternate
// the two. Peak RSS is compared as in rerun: rev-list holds every object
// of the history in memory.
//
// A dry run that fetched anything, or that would fetch other than every
// missing blob, is an error: the times would not compare the same work.
func (b *bench) walk(ctx context.Context, r *repo) error {
	dst := filepath.Join(r.dir, "walk")
	if err := b.sb.copyTree(ctx, r.clone, dst); err != nil {
		return err
	}
	defer os.RemoveAll(dst)
	var revList, dryRun []sample
	for range b.runs {
		s, _, err := timed(b.sb.command(ctx, dst, "git", "rev-list", "--objects", "--missing=print", "HEAD"), dst)
		if err != nil {
			return err
		}
		revList = append(revList, s)
		cmd := b.backfillCmd(ctx, dst, "--dry-run")
		s, stderr, err := timed(cmd, dst)
		if err != nil {
			return err
		}
		if s.stats, err = parseStats(stderr); err != nil {
			return err
		}
		switch {
		case s.packBytes != 0 || s.stats.Requests != 0:
			return fmt.Errorf("git-backfill --dry-run fetched: %d requests, %s of new packs", s.stats.Requests, humanBytes(s.packBytes))
		case s.stats.Blobs != len(r.missing):
			return fmt.Errorf("git-backfill --dry-run would fetch %d blobs; %d are missing", s.stats.Blobs, len(r.missing))
		}
		dryRun = append(dryRun, s)
	}
	limit, s := summarize(revList), summarize(dryRun)
	t := b.table(fmt.Sprintf("walk: list every missing blob in a fresh blobless clone, fetch nothing (median of %d; RSS: peak)", b.runs),
		"time", "x limit", "rss self", "x limit", "rss tree", "batches")
	// rev-list starts no process, so its rusage is its own peak, exactly.
	t.row("git rev-list --objects --missing=print HEAD (limit)", seconds(limit.wall), "1.000",
		kib(limit.rssTree), "1.000", kib(limit.rssTree), "")
	t.row("git-backfill --dry-run", seconds(s.wall), ratio(s.wall, limit.wall),
		kib(s.rssSelf), ratio(s.rssSelf, limit.rssTree), kib(s.rssTree), fmt.Sprint(s.stats.Batches))
	t.flush(fmt.Sprintf("%d commits walked, %d blobs in %d paths listed; standard output on /dev/null",
		s.stats.Commits, s.stats.Blobs, s.stats.Paths))
	b.ratio("walk", r.p.Name, ratio(s.wall, limit.wall))
	b.ratio("walk_rss_vs_rev_list", r.p.Name, ratio(s.rssSelf, limit.rssTree))
	return nil
}
