package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/git-backfill/git-backfill/internal/git"
	"github.com/git-backfill/git-backfill/internal/snapshot"
)

// newCommits is how many commits an incremental export finds new.
const newCommits = 10

// mirrorRuns measures shared-mirror snapshots and incremental exports on the export preset's repository:
//
//   - the snapshot of a bare mirror of it (internal/snapshot, as --snapshot
//     takes it): time and extra disk against a full copy ("cp -a"), and an
//     export of one commit with --snapshot against one without;
//   - an incremental export that finds newCommits new commits against a
//     full one (--incremental into an empty directory) and a plain
//     export of everything to a tar archive.
func (b *bench) mirrorRuns(ctx context.Context, p params, server, clone string, total int) error {
	dir := filepath.Dir(clone)
	mirror := filepath.Join(dir, "mirror.git")
	if _, err := b.sb.git(ctx, dir, "clone", "--quiet", "--mirror", "file://"+server, mirror); err != nil {
		return err
	}
	objects, err := countObjects(ctx, b.sb, mirror)
	if err != nil {
		return err
	}
	runner := git.NewRunner(mirror, b.sb.env)
	repo, err := runner.Discover(ctx)
	if err != nil {
		return err
	}
	cfg, err := runner.ReadConfig(ctx)
	if err != nil {
		return err
	}
	var took, copied, withSnap, without []time.Duration
	var extra, shared int64
	for i := range b.runs {
		snap, err := snapshot.Take(ctx, runner, repo, cfg, nil)
		if err != nil {
			return err
		}
		took = append(took, snap.Took)
		extra, shared = snap.ExtraBytes, snap.SharedBytes
		if err := snap.Remove(); err != nil {
			return err
		}
		dst := filepath.Join(dir, "copy-"+strconv.Itoa(i))
		s, _, err := timed(b.sb.command(ctx, dir, "cp", "-a", mirror, dst), "")
		if err != nil {
			return err
		}
		copied = append(copied, s.wall)
		os.RemoveAll(dst)
		for _, v := range []struct {
			args []string
			out  *[]time.Duration
		}{{[]string{"--snapshot"}, &withSnap}, {[]string{"--no-snapshot"}, &without}} {
			args := append([]string{"export", "--quiet", "--output=" + filepath.Join(dir, "snapshot-out") + "/"}, v.args...)
			s, _, err := timed(b.sb.command(ctx, mirror, b.binary, append(args, "HEAD~1..HEAD")...), "")
			if err != nil {
				return err
			}
			*v.out = append(*v.out, s.wall)
		}
	}
	mirrorBytes := dirBytes(filepath.Join(mirror, "objects", "pack"), "")
	t := b.table(fmt.Sprintf("--snapshot of a bare mirror of %d objects in %s of packs (median of %d)", objects, humanBytes(mirrorBytes), b.runs),
		"time", "extra disk", "x full copy time", "x full copy disk")
	t.row("snapshot (hard-linked clone, under the update lock)", seconds(median(took)), humanBytes(extra),
		ratio(median(took), median(copied)), ratio(extra, mirrorBytes))
	t.row("full copy (cp -a)", seconds(median(copied)), humanBytes(mirrorBytes), "1.000", "1.000")
	t.row("export of 1 commit --snapshot", seconds(median(withSnap)), "", ratio(median(withSnap), median(without)), "")
	t.row("export of 1 commit without", seconds(median(without)), "", "1.000", "")
	t.flush(fmt.Sprintf("extra disk: files of the snapshot that share no inode with the mirror (refs, config, directories);\n"+
		"%s of its files are hard links to the mirror's", humanBytes(shared)))
	b.ratio("snapshot_time_vs_full_copy", p.Name, ratio(median(took), median(copied)))
	b.ratio("snapshot_disk_vs_full_copy", p.Name, ratio(extra, mirrorBytes))
	if err := b.incrementalRuns(ctx, p, clone, total); err != nil {
		return err
	}
	return b.parquetRuns(ctx, p, clone, total)
}

// incrementalRuns times an incremental export finding newCommits new
// commits (its directory prepared, untimed, with an incremental export of
// HEAD~newCommits) against full ones.
func (b *bench) incrementalRuns(ctx context.Context, p params, clone string, total int) error {
	dir := filepath.Join(filepath.Dir(clone), "incremental")
	export := func(out, rev string, args ...string) (sample, []byte, error) {
		args = append([]string{"export", "--output=" + out + "/"}, args...)
		return timed(b.sb.command(ctx, clone, b.binary, append(args, rev)...), "")
	}
	var full, plain, inc []time.Duration
	for i := range b.runs {
		run := filepath.Join(dir, strconv.Itoa(i))
		s, _, err := export(filepath.Join(run, "full"), "HEAD", "--incremental")
		if err != nil {
			return err
		}
		full = append(full, s.wall)
		if s, _, err = export(filepath.Join(run, "plain"), "HEAD"); err != nil {
			return err
		}
		plain = append(plain, s.wall)
		if _, _, err := export(filepath.Join(run, "inc"), fmt.Sprintf("HEAD~%d", newCommits), "--incremental"); err != nil {
			return err
		}
		s, stderr, err := export(filepath.Join(run, "inc"), "HEAD", "--incremental")
		if err != nil {
			return err
		}
		want := fmt.Sprintf("export: %d of %d selected commits are new", newCommits, total)
		if !strings.Contains(string(stderr), want) {
			return fmt.Errorf("the incremental export did not find %d new commits: %s", newCommits, stderr)
		}
		inc = append(inc, s.wall)
		os.RemoveAll(run)
	}
	t := b.table(fmt.Sprintf("--incremental, tar exporter, HEAD's %d commits with full diffs (median of %d)", total, b.runs),
		"time", "x full incremental")
	t.row(fmt.Sprintf("incremental, %d new commits", newCommits), seconds(median(inc)), ratio(median(inc), median(full)))
	t.row(fmt.Sprintf("incremental into an empty directory (all %d)", total), seconds(median(full)), "1.000")
	t.row("plain export to a tar archive (no manifest)", seconds(median(plain)), ratio(median(plain), median(full)))
	t.flush("the incremental runs read the manifest, select HEAD's history, and export only what it lacks")
	b.ratio(fmt.Sprintf("incremental_%d_new_vs_full", newCommits), p.Name, ratio(median(inc), median(full)))
	b.ratio("incremental_full_vs_plain", p.Name, ratio(median(full), median(plain)))
	return nil
}

// countObjects returns the number of objects in repo's packs.
func countObjects(ctx context.Context, sb *sandbox, repo string) (int, error) {
	out, err := sb.git(ctx, repo, "count-objects", "-v")
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(out), "\n") {
		if v, ok := strings.CutPrefix(line, "in-pack: "); ok {
			return strconv.Atoi(v)
		}
	}
	return 0, fmt.Errorf("git count-objects -v: no in-pack line in %q", out)
}

// median returns the middle of ds.
func median(ds []time.Duration) time.Duration {
	s := make([]sample, len(ds))
	for i, d := range ds {
		s[i].wall = d
	}
	return summarize(s).wall
}
