package cli

import (
	"context"
	"fmt"

	"github.com/git-backfill/git-backfill/internal/progress"
	"github.com/git-backfill/git-backfill/internal/snapshot"
)

// useSnapshot (--snapshot) snapshots the bare mirror s points at and
// returns a session for the snapshot, and a function that removes it,
// which the caller must call on every path, interrupted ones too. Archives
// keep the mirror's name; the settings stay the mirror's.
func (c *command) useSnapshot(ctx context.Context, s *session, quiet bool) (*session, func(), error) {
	waiting := func(lock string) {
		if !quiet {
			fmt.Fprintf(c.stderr, "export: waiting for the mirror's update lock %s\n", lock)
		}
	}
	snap, err := snapshot.Take(ctx, s.runner, s.repo, s.gitCfg, waiting)
	if err != nil {
		return nil, nil, err
	}
	remove := func() {
		if err := snap.Remove(); err != nil {
			fmt.Fprintf(c.stderr, "warning: %v\n", err)
		}
	}
	s2, err := openSnapshot(ctx, s, snap.GitDir)
	if err != nil {
		remove()
		return nil, nil, fmt.Errorf("--snapshot: opening the snapshot: %w", err)
	}
	if !quiet {
		fmt.Fprintf(c.stderr, "export: snapshot of %s in %.2f s, %s extra disk (%s hard-linked)\n",
			s.repo.GitDir, snap.Took.Seconds(), progress.HumanBytes(snap.ExtraBytes), progress.HumanBytes(snap.SharedBytes))
	}
	return s2, remove, nil
}

// openSnapshot is a session of s's settings for the snapshot at gitDir.
func openSnapshot(ctx context.Context, s *session, gitDir string) (*session, error) {
	runner := s.runner.ForGitDir(gitDir)
	repo, err := runner.Discover(ctx)
	if err != nil {
		return nil, err
	}
	cfg, err := runner.ReadConfig(ctx)
	if err != nil {
		return nil, err
	}
	return &session{runner: runner, repo: repo, gitCfg: cfg, settings: s.settings, name: s.repoName()}, nil
}
