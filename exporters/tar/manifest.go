package tar

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/git-backfill/git-backfill/exporters"
	"github.com/git-backfill/git-backfill/exporters/flock"
	"github.com/git-backfill/git-backfill/exporters/manifest"
)

// lockName is the lock of an incremental export's directory, held from
// Manifest to End or Abort, so concurrent incremental exports to one
// directory run one after the other and each sees the manifest the one
// before wrote: every commit is exported once.
const lockName = manifest.File + ".lock"

// DirManifest is an incremental export's hold on the manifest of a
// directory, backfill-manifest.json, and its lock file: see the package
// comment. Its methods are not safe for concurrent use.
type DirManifest struct {
	dir  string
	lock *os.File
	// corrupt: LockManifest found it corrupt, so Add may replace it.
	corrupt bool
}

// Manifest locks the output directory, waiting for another incremental
// export to it to finish, and reads its backfill-manifest.json. The
// output must be a directory: each incremental run adds an archive.
func (e *Exporter) Manifest(ctx context.Context) (exporters.Manifest, error) {
	if e.out.Dir == "" {
		return exporters.Manifest{}, errors.New("manifest before configure")
	}
	if e.out.File != "" {
		return exporters.Manifest{}, fmt.Errorf("an incremental export needs a directory output (each run adds an archive), not the file name %s", e.out.File)
	}
	d, m, err := LockManifest(ctx, e.out.Dir)
	if err != nil {
		return exporters.Manifest{}, err
	}
	e.manifest = d
	return m, nil
}

// LockManifest takes the lock of dir's manifest, waiting for another
// incremental export to dir to finish, and reads the manifest, as
// exporters.Incremental's Manifest returns it: a manifest that cannot be
// read or is corrupt gives a Warning. The caller releases the hold.
func LockManifest(ctx context.Context, dir string) (*DirManifest, exporters.Manifest, error) {
	lock, err := flock.Lock(ctx, filepath.Join(dir, lockName), 0, nil)
	if err != nil {
		return nil, exporters.Manifest{}, err
	}
	d := &DirManifest{dir: dir, lock: lock}
	m, err := manifest.ReadFile(dir)
	var corrupt *manifest.CorruptError
	d.corrupt = errors.As(err, &corrupt)
	switch {
	case err != nil:
		return d, exporters.Manifest{Found: true, Warning: fmt.Sprintf("%s is unreadable or corrupt (%v): exporting every commit", filepath.Join(dir, manifest.File), err)}, nil
	case m == nil:
		return d, exporters.Manifest{}, nil
	}
	return d, exporters.Manifest{Commits: m.Commits(), Found: true}, nil
}

// ManifestEntry is an archive to list in a manifest: its name, relative
// to the manifest's directory, and its commits.
type ManifestEntry struct {
	Name    string
	Commits []string
}

// add lists the archive at path and its commits in the manifest.
func (d *DirManifest) add(path string, generatedAt time.Time, commits []string) error {
	return d.Add(generatedAt, ManifestEntry{Name: filepath.Base(path), Commits: commits})
}

// Add lists entries in the manifest and replaces it atomically. A
// manifest that LockManifest found corrupt is set aside and replaced; one
// that cannot be read is left alone. Under the lock nobody else lists
// commits, so an entry whose commits are all listed already is an error.
func (d *DirManifest) Add(generatedAt time.Time, entries ...ManifestEntry) error {
	m, err := manifest.ReadFile(d.dir)
	var corrupt *manifest.CorruptError
	switch {
	case errors.As(err, &corrupt) && d.corrupt:
		if _, err := manifest.SetAside(d.dir); err != nil {
			return err
		}
	case err != nil:
		return err
	}
	if m == nil {
		m = manifest.New()
	}
	for _, e := range entries {
		if err := m.Add(e.Name, generatedAt, e.Commits); err != nil {
			return fmt.Errorf("updating %s: %w", manifest.File, err)
		}
	}
	return manifest.WriteFile(d.dir, m)
}

// Release ends the hold; it is safe to call on nil and more than once.
func (d *DirManifest) Release() {
	if d != nil && d.lock != nil {
		d.lock.Close()
		d.lock = nil
	}
}
