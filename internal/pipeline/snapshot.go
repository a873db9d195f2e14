package pipeline

import (
	"context"
	"fmt"

	"github.com/git-backfill/git-backfill/internal/progress"
	"github.com/git-backfill/git-backfill/internal/snapshot"
)

// useSnapshot snapshots the bare mirror the request names and makes the
// run export from the snapshot, which Run removes on every path,
// interrupted ones too. The settings stay the mirror's.
func (r *run) useSnapshot(ctx context.Context) error {
	waiting := func(lock string) {
		r.logf("export: waiting for the mirror's update lock %s\n", lock)
	}
	snap, err := snapshot.Take(ctx, r.repo.git, r.repo.dir, r.repo.cfg, waiting)
	if err != nil {
		return err
	}
	r.snapshot = func() {
		if err := snap.Remove(); err != nil {
			r.warnf("warning: %v\n", err)
		}
	}
	view, err := openSnapshot(ctx, r.repo, snap.GitDir)
	if err != nil {
		return fmt.Errorf("--snapshot: opening the snapshot: %w", err)
	}
	r.logf("export: snapshot of %s in %.2f s, %s extra disk (%s hard-linked)\n",
		r.repo.dir.GitDir, snap.Took.Seconds(), progress.HumanBytes(snap.ExtraBytes), progress.HumanBytes(snap.SharedBytes))
	r.repo = view
	return nil
}

// openSnapshot is the repository of the snapshot at gitDir.
func openSnapshot(ctx context.Context, of repoView, gitDir string) (repoView, error) {
	g := of.git.ForGitDir(gitDir)
	dir, err := g.Discover(ctx)
	if err != nil {
		return repoView{}, err
	}
	cfg, err := g.ReadConfig(ctx)
	if err != nil {
		return repoView{}, err
	}
	g.UseConfig(cfg)
	return repoView{g, dir, cfg}, nil
}
