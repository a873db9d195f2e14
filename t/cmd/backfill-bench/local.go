package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// variant is one way of fetching every missing blob into a fresh clone.
type variant struct {
	key   string   // name in the ratio lines; "" for the baseline
	label string   // row of the table
	args  []string // git-backfill's arguments; nil: one request of all ids
	// pack makes that one request with "git fetch-pack" (as git-backfill
	// does from a local remote) rather than "git fetch".
	pack bool
}

// local measures, over file://, the physical limit and git-backfill
// against it, at the default batch size (one request for small and large,
// two for history) and with batches small enough to make about
// bench.batches requests, each with -j1 and the default -j; DefaultsOnly
// presets (self) at the default settings alone.
//
// The limit is one "git fetch --stdin" of every missing blob id, the
// request git-backfill makes for each batch, timed alone: the listing of
// the ids is not counted, while git-backfill's own listing and tree walk
// are. Its pack is what one request for everything costs; git-backfill's
// packs should add only a few percent, since it never splits a path's
// versions (which delta against each other) between requests.
//
// git fetch compares every id it is given with every other, which costs
// seconds on a large history; git-backfill's requests from a local remote
// go through "git fetch-pack", which does not. So one fetch-pack of every
// id is measured too: the tighter floor, without that cost.
//
// Rounds alternate the variants, so a slow spell of the machine hits them
// all alike.
func (b *bench) local(ctx context.Context, r *repo) error {
	small := fmt.Sprintf("--min-batch-size=%d", r.batch)
	n := fmt.Sprintf("%dbatches", b.batches)
	variants := []variant{
		{"", "one fetch of all missing blobs (limit)", nil, false},
		{"fetch_pack", "one fetch-pack of all missing blobs", nil, true},
		{"backfill", "git-backfill (-j" + b.defJobs + ", default)", []string{}, false},
		{"backfill_j1", "git-backfill -j1", []string{"-j1"}, false},
		{"backfill_" + n, "git-backfill " + small + " (-j" + b.defJobs + ")", []string{small}, false},
		{"backfill_" + n + "_j1", "git-backfill " + small + " -j1", []string{small, "-j1"}, false},
	}
	if r.p.DefaultsOnly {
		variants = variants[:3]
	}
	results := make([][]sample, len(variants))
	for round := range b.runs {
		for i, v := range variants {
			s, err := b.fetchRun(ctx, r.clone, r.missing, v, round == 0)
			if err != nil {
				return err
			}
			results[i] = append(results[i], s)
		}
	}
	t := b.table(fmt.Sprintf("fetch everything over file:// (median of %d; RSS: peak)", b.runs),
		"time", "x limit", "pack bytes", "vs limit", "requests", "rss self", "rss tree")
	limit, floor := summarize(results[0]), summarize(results[1])
	for i, v := range variants {
		s := summarize(results[i])
		req := "1"
		if v.args != nil {
			req = fmt.Sprint(s.stats.Requests)
		}
		if v.args != nil {
			r.fetchRSS = max(r.fetchRSS, s.rssSelf)
		}
		t.row(v.label, seconds(s.wall), ratio(s.wall, limit.wall), humanBytes(s.packBytes),
			percent(s.packBytes, limit.packBytes), req, kib(s.rssSelf), kib(s.rssTree))
		if v.key != "" {
			b.ratio(v.key+"_time_vs_one_fetch", r.p.Name, ratio(s.wall, limit.wall))
			b.ratio(v.key+"_bytes_vs_one_fetch", r.p.Name, ratio(s.packBytes, limit.packBytes))
		}
		if v.args != nil {
			b.ratio(v.key+"_time_vs_one_fetch_pack", r.p.Name, ratio(s.wall, floor.wall))
		}
	}
	t.flush("rss self: the process alone (sampled); rss tree: the largest of it and every process it\n" +
		"waited for, over file:// the server's upload-pack and pack-objects too")
	return nil
}

// fetchRun copies the clone at template, fetches every missing blob into the
// copy (with git-backfill and v.args, or with one request of ids when
// v.args is nil), measures that, and removes the copy. With verify it
// checks that nothing is missing afterwards.
func (b *bench) fetchRun(ctx context.Context, template string, ids []string, v variant, verify bool) (sample, error) {
	args := v.args
	dst := filepath.Join(filepath.Dir(template), "run")
	if err := b.sb.copyTree(ctx, template, dst); err != nil {
		return sample{}, err
	}
	defer os.RemoveAll(dst)
	var cmd *exec.Cmd
	switch {
	case args == nil && v.pack:
		url, err := b.sb.command(ctx, dst, "git", "ls-remote", "--get-url", "origin").Output()
		if err != nil {
			return sample{}, fmt.Errorf("git ls-remote --get-url origin: %w", err)
		}
		cmd = b.sb.command(ctx, dst, "git", "-c", "fetch.negotiationAlgorithm=noop", "fetch-pack",
			"--stdin", "--thin", "--lock-pack", "--from-promisor", "--filter=blob:none", strings.TrimSpace(string(url)))
		cmd.Stdin = strings.NewReader(strings.Join(ids, "\n") + "\n")
	case args == nil:
		cmd = b.sb.command(ctx, dst, "git", "-c", "fetch.negotiationAlgorithm=noop", "fetch", "origin",
			"--no-tags", "--no-write-fetch-head", "--recurse-submodules=no", "--filter=blob:none", "--stdin")
		cmd.Stdin = strings.NewReader(strings.Join(ids, "\n") + "\n")
	default:
		cmd = b.backfillCmd(ctx, dst, args...)
	}
	s, stderr, err := timed(cmd, dst)
	if err != nil {
		return s, err
	}
	if args != nil {
		if s.stats, err = parseStats(stderr); err != nil {
			return s, err
		}
	}
	if verify {
		left, err := b.listMissing(ctx, dst)
		if err != nil {
			return s, err
		}
		if len(left) > 0 {
			return s, fmt.Errorf("%s: %d of %d blobs still missing afterwards", strings.Join(cmd.Args, " "), len(left), len(ids))
		}
	}
	return s, nil
}

// backfillCmd returns git-backfill with args and --stats=json in repo; its
// standard output (empty without --dry-run) is discarded.
func (b *bench) backfillCmd(ctx context.Context, repo string, args ...string) *exec.Cmd {
	return b.sb.command(ctx, repo, b.binary, append([]string{"--stats=json"}, args...)...)
}

// rerun measures the cost of running git-backfill again when nothing is
// missing: it must still list what is missing in HEAD's history, which is
// what "git rev-list --objects --missing=print HEAD" does alone, the limit.
// The clone is filled by git-backfill first (not measured). Peak RSS is
// compared with rev-list's too: rev-list holds every object of the history
// in memory, a fair bound for a process that lists the same objects.
func (b *bench) rerun(ctx context.Context, r *repo) error {
	dst := filepath.Join(r.dir, "filled")
	if err := b.sb.copyTree(ctx, r.clone, dst); err != nil {
		return err
	}
	defer os.RemoveAll(dst)
	if _, _, err := timed(b.backfillCmd(ctx, dst), dst); err != nil {
		return err
	}
	var revList, backfill []sample
	for range b.runs {
		// Standard output on /dev/null, as git-backfill's (see walk).
		s, _, err := timed(b.sb.command(ctx, dst, "git", "rev-list", "--objects", "--missing=print", "HEAD"), "")
		if err != nil {
			return err
		}
		revList = append(revList, s)
		s, stderr, err := timed(b.backfillCmd(ctx, dst), "")
		if err != nil {
			return err
		}
		if s.stats, err = parseStats(stderr); err != nil {
			return err
		}
		if s.stats.Missing != 0 || s.stats.Requests != 0 {
			return fmt.Errorf("re-run of git-backfill found %d missing and made %d requests", s.stats.Missing, s.stats.Requests)
		}
		backfill = append(backfill, s)
	}
	limit, s := summarize(revList), summarize(backfill)
	t := b.table(fmt.Sprintf("re-run with nothing missing (median of %d; RSS: peak)", b.runs),
		"time", "x limit", "rss self", "x limit", "rss tree")
	// rev-list starts no process, so its rusage is its own peak, exactly.
	t.row("git rev-list --objects --missing=print HEAD (limit)", seconds(limit.wall), "1.000",
		kib(limit.rssTree), "1.000", kib(limit.rssTree))
	t.row("git-backfill", seconds(s.wall), ratio(s.wall, limit.wall),
		kib(s.rssSelf), ratio(s.rssSelf, limit.rssTree), kib(s.rssTree))
	t.row("git-backfill fetching everything (peak of the runs above)", "", "",
		kib(r.fetchRSS), ratio(r.fetchRSS, limit.rssTree), "")
	t.flush("")
	b.ratio("backfill_rss_vs_rev_list", r.p.Name, ratio(r.fetchRSS, limit.rssTree))
	b.ratio("rerun_time_vs_rev_list", r.p.Name, ratio(s.wall, limit.wall))
	b.ratio("rerun_rss_vs_rev_list", r.p.Name, ratio(s.rssSelf, limit.rssTree))
	return nil
}
