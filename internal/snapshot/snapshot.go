// Package snapshot makes a short-lived copy of a bare mirror that other
// processes keep fetching into and garbage-collecting, so a long export
// reads a repository that nothing changes under it.
//
// The copy is a "git clone --mirror --local" beside the mirror: its object
// files are hard links, so it takes seconds and almost no disk, and a
// later "git gc --prune=now" in the mirror cannot remove objects the
// snapshot still needs (the links keep the files alive).
//
// # The update lock
//
// Copying while another process rewrites packs or refs could catch a half
// state, so the copy is made under the mirror's update lock: an exclusive
// flock(2) on the file LockName in the mirror's git directory. Whoever
// updates the mirror takes the same lock for the update, for example
//
//	flock /srv/mirror.git/update.lock git -C /srv/mirror.git fetch --prune
//	flock /srv/mirror.git/update.lock git -C /srv/mirror.git gc --prune=now
//
// and so waits for the second or so a snapshot holds it; a snapshot waits
// for a running update in turn. The lock file is never removed (removing
// it would let two processes lock different files).
package snapshot

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/git-backfill/git-backfill/exporters/flock"
	"github.com/git-backfill/git-backfill/internal/git"
)

// LockName is the mirror's update lock, in its git directory.
const LockName = "update.lock"

// LockTimeout is how long Take waits for a mirror update to finish.
const LockTimeout = 10 * time.Minute

// infix names snapshot directories: <mirror>.backfill-snapshot-<random>,
// each with a lock file <dir>.lock held while it is in use.
const infix = ".backfill-snapshot-"

// cloneAttempts bounds the tries of the copy (see fill).
const cloneAttempts = 3

// staleAge protects a snapshot being created (its lock file exists, not
// yet locked) from another process's clean-up.
const staleAge = time.Minute

// Snapshot is a hard-linked bare clone of a mirror.
type Snapshot struct {
	GitDir string        // the snapshot's directory
	Waited time.Duration // waiting for the mirror's update lock
	Took   time.Duration // making the copy, under the lock
	// ExtraBytes is the disk the snapshot takes that it shares with no
	// other file; SharedBytes the size of its files hard-linked with the
	// mirror's.
	ExtraBytes, SharedBytes int64
	hold                    *os.File // the lock on GitDir + ".lock"
}

// Take snapshots the bare repository mirror (a Runner for it is r). It
// calls waiting, if not nil, when the update lock is held by another
// process. The caller must Remove the snapshot, also on failure paths.
// Snapshots left behind by killed processes are removed first.
func Take(ctx context.Context, r *git.Runner, mirror *git.Repo, config []git.ConfigEntry, waiting func(lock string)) (*Snapshot, error) {
	if !mirror.Bare {
		return nil, fmt.Errorf("--snapshot: %s is not a bare repository (snapshots are for bare mirrors)", mirror.GitDir)
	}
	removeStale(mirror.GitDir)
	s, err := create(mirror.GitDir)
	if err != nil {
		return nil, err
	}
	if err := s.fill(ctx, r, mirror, config, waiting); err != nil {
		s.Remove()
		return nil, err
	}
	s.ExtraBytes, s.SharedBytes = diskUse(s.GitDir)
	return s, nil
}

// create makes the snapshot's lock file, locked, and its name.
func create(mirrorDir string) (*Snapshot, error) {
	f, err := os.CreateTemp(filepath.Dir(mirrorDir), filepath.Base(mirrorDir)+infix+"*.lock")
	if err != nil {
		return nil, fmt.Errorf("--snapshot: creating a snapshot beside the mirror: %w", err)
	}
	name := f.Name()
	f.Close()
	hold, err := flock.TryLock(name)
	if err != nil || hold == nil {
		os.Remove(name)
		return nil, fmt.Errorf("--snapshot: locking %s: %v", name, err)
	}
	return &Snapshot{GitDir: strings.TrimSuffix(name, ".lock"), hold: hold}, nil
}

// fill clones the mirror under its update lock and points the snapshot's
// remotes where the mirror's point, so missing commits and blobs come
// from the mirror's upstream, not from the mirror.
func (s *Snapshot) fill(ctx context.Context, r *git.Runner, mirror *git.Repo, config []git.ConfigEntry, waiting func(string)) error {
	lockPath := filepath.Join(mirror.GitDir, LockName)
	start := time.Now()
	lock, err := flock.Lock(ctx, lockPath, LockTimeout, func() {
		if waiting != nil {
			waiting(lockPath)
		}
	})
	if errors.Is(err, flock.ErrLocked) {
		return fmt.Errorf("--snapshot: %w: another process is updating the mirror", err)
	}
	if err != nil {
		return fmt.Errorf("--snapshot: %w", err)
	}
	locked := time.Now()
	s.Waited = locked.Sub(start)
	// --template= copies no sample hooks; hard links are git's default
	// for a local clone on one file system. An updater that ignores the
	// lock may remove a pack while it is linked, failing the clone: a
	// second try then sees the new state.
	for attempt := 1; attempt <= cloneAttempts; attempt++ {
		err = r.Outside(filepath.Dir(mirror.GitDir)).CloneMirror(ctx, mirror.GitDir, s.GitDir)
		if err == nil || ctx.Err() != nil {
			break
		}
		os.RemoveAll(s.GitDir)
	}
	lock.Close()
	s.Took = time.Since(locked)
	if err != nil {
		return fmt.Errorf("--snapshot: copying the mirror: %w", err)
	}
	return configure(ctx, r.ForGitDir(s.GitDir), config)
}

// configure gives the snapshot the mirror's own remotes and partial-clone
// settings in place of the clone's "origin" (the mirror), and turns off
// automatic gc: the snapshot lives for one export.
func configure(ctx context.Context, r *git.Runner, config []git.ConfigEntry) error {
	if err := r.RemoveConfigSection(ctx, "remote.origin"); err != nil {
		return fmt.Errorf("--snapshot: %w", err)
	}
	settings := [][2]string{{"gc.auto", "0"}, {"maintenance.auto", "false"}}
	extensions := false
	for _, e := range config {
		if e.Scope != "local" || !(strings.HasPrefix(e.Key, "remote.") || strings.HasPrefix(e.Key, "extensions.")) {
			continue
		}
		extensions = extensions || strings.HasPrefix(e.Key, "extensions.")
		v := e.Value
		if e.NoValue {
			v = "true"
		}
		if err := r.AddConfig(ctx, e.Key, v); err != nil {
			return fmt.Errorf("--snapshot: %w", err)
		}
	}
	if extensions {
		settings = append(settings, [2]string{"core.repositoryformatversion", "1"})
	}
	for _, kv := range settings {
		if err := r.SetConfig(ctx, kv[0], kv[1]); err != nil {
			return fmt.Errorf("--snapshot: %w", err)
		}
	}
	return nil
}

// Remove deletes the snapshot and its lock file. It is safe to call more
// than once.
func (s *Snapshot) Remove() error {
	if s.hold == nil {
		return nil
	}
	err := os.RemoveAll(s.GitDir)
	if err == nil {
		// Kept after a failure: the lock file is how a later run finds the
		// snapshot to remove.
		if rmErr := os.Remove(s.GitDir + ".lock"); !errors.Is(rmErr, os.ErrNotExist) {
			err = rmErr
		}
	}
	s.hold.Close()
	s.hold = nil
	if err != nil {
		return fmt.Errorf("removing the snapshot %s: %w", s.GitDir, err)
	}
	return nil
}

// removeStale deletes the snapshots of mirrorDir whose lock no process
// holds: their exports were killed before they could clean up.
func removeStale(mirrorDir string) {
	parent, prefix := filepath.Dir(mirrorDir), filepath.Base(mirrorDir)+infix
	entries, _ := os.ReadDir(parent)
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, prefix) || !strings.HasSuffix(name, ".lock") {
			continue
		}
		lock := filepath.Join(parent, name)
		if fi, err := os.Stat(lock); err != nil || time.Since(fi.ModTime()) < staleAge {
			continue
		}
		f, err := flock.TryLock(lock)
		if err != nil || f == nil {
			continue
		}
		os.RemoveAll(strings.TrimSuffix(lock, ".lock"))
		os.Remove(lock)
		f.Close()
	}
}
