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

// dirManifest is an incremental export's hold on its directory's manifest.
type dirManifest struct {
	dir  string
	lock *os.File
	// corrupt: Manifest found it corrupt, so End may replace it.
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
	lock, err := flock.Lock(ctx, filepath.Join(e.out.Dir, lockName), 0, nil)
	if err != nil {
		return exporters.Manifest{}, err
	}
	e.manifest = &dirManifest{dir: e.out.Dir, lock: lock}
	m, err := manifest.ReadFile(e.out.Dir)
	var corrupt *manifest.CorruptError
	e.manifest.corrupt = errors.As(err, &corrupt)
	switch {
	case err != nil:
		return exporters.Manifest{Found: true, Warning: fmt.Sprintf("%s is unreadable or corrupt (%v): exporting every commit", filepath.Join(e.out.Dir, manifest.File), err)}, nil
	case m == nil:
		return exporters.Manifest{}, nil
	}
	return exporters.Manifest{Commits: m.Commits(), Found: true}, nil
}

// add lists the archive at path and its commits in the manifest. A
// manifest that Manifest found corrupt is set aside and replaced; one that
// cannot be read is left alone.
func (d *dirManifest) add(path string, generatedAt time.Time, commits []string) error {
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
	if err := m.Add(filepath.Base(path), generatedAt, commits); err != nil {
		// Under the lock, nobody else added these commits.
		return fmt.Errorf("updating %s: %w", manifest.File, err)
	}
	return manifest.WriteFile(d.dir, m)
}

// release ends the hold; it is safe to call on nil and more than once.
func (d *dirManifest) release() {
	if d != nil && d.lock != nil {
		d.lock.Close()
		d.lock = nil
	}
}
