package parquet

import (
	"context"
	"errors"
	"path/filepath"

	"github.com/git-backfill/git-backfill/exporters"
	"github.com/git-backfill/git-backfill/exporters/s3"
	"github.com/git-backfill/git-backfill/exporters/tar"
)

// Manifest reads the repository's manifest; locally it first takes its
// lock, waiting for another incremental export of the repository to the
// directory to end. It needs the repository option (see the package
// comment).
func (e *Exporter) Manifest(ctx context.Context) (exporters.Manifest, error) {
	if e.output == "" && e.bucket == nil {
		return exporters.Manifest{}, errors.New("manifest before configure")
	}
	if e.repoOption == "" {
		return exporters.Manifest{}, errors.New("an incremental export needs the option repository: the manifest is the repository's and is read before the export starts")
	}
	e.repo, e.incremental = e.repoOption, true
	if e.bucket != nil {
		m, corrupt := e.repoBucket().Manifest(ctx)
		e.corrupt = corrupt
		return m, nil
	}
	if err := e.mkdir(e.repoDir()); err != nil {
		return exporters.Manifest{}, err
	}
	d, m, err := tar.LockManifest(ctx, e.repoDir())
	if err != nil {
		return exporters.Manifest{}, err
	}
	e.dirLock = d
	return m, nil
}

// addToManifest lists the parts in place and their commits in the
// manifest. On S3, parts all of whose commits a concurrent export listed
// first are removed again.
func (e *Exporter) addToManifest(ctx context.Context) error {
	if e.bucket == nil {
		entries := make([]tar.ManifestEntry, len(e.done))
		for i, d := range e.done {
			entries[i] = tar.ManifestEntry{Name: filepath.ToSlash(d.name), Commits: d.commits}
		}
		return e.dirLock.Add(e.meta.GeneratedAt, entries...)
	}
	entries := make([]s3.ManifestEntry, len(e.done))
	for i, d := range e.done {
		entries[i] = s3.ManifestEntry{Name: d.name, Commits: d.commits}
	}
	b := e.repoBucket()
	stale, err := b.AddToManifest(ctx, e.meta.GeneratedAt, entries, e.corrupt)
	for _, name := range stale {
		b.Remove(ctx, name)
	}
	return err
}
