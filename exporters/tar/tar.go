// Package tar is the built-in exporter that writes a gzip tar archive: one
// directory, backfill-<repo>-<UTC time>/, holding metadata.json and
// commit-metadata.jsonl (package archive describes the layout). Memory
// stays bounded and the disk needed is the archive's size: records are
// compressed into a spool file beside the archive
// (.<archive>.spool-<random>), which at End gets its head written in place
// and appears under the archive's name, atomically.
//
// Options (keys compare case-insensitively):
//
//	output            a file name, or a directory (existing, or ending in
//	                  "/", then created) that receives
//	                  backfill-<repo>-<UTC time>.tar.gz; default "."
//	compressionLevel  gzip level, 1 (fastest) to 9 (smallest); default 6
//
// Configure checks that the directory is writable. An archive already at
// a file name given as output is replaced at End; in a directory, an
// archive of the same name (two exports in one second) gets a "-2"
// suffix. Abort leaves every archive alone.
//
// Incremental exports (Manifest) need a directory output, which then holds
// backfill-manifest.json (see package manifest) and its lock file,
// backfill-manifest.json.lock: an exclusive flock(2) held from Manifest to
// End or Abort, so concurrent incremental exports to one directory take
// turns and none repeats or loses a commit. End lists the new archive and
// its commits in the manifest, replacing it atomically, once the archive
// is in place; a manifest that Manifest found corrupt is renamed aside to
// backfill-manifest.json.corrupt-<UTC time>-<random> first.
package tar

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/git-backfill/git-backfill/exporters"
	"github.com/git-backfill/git-backfill/exporters/archive"
)

// Exporter writes one archive. Its methods follow exporters.Exporter and
// are not safe for concurrent use.
type Exporter struct {
	out   archive.Output
	level int
	w     *archive.Writer
	meta  exporters.Metadata
	// manifest is set once Manifest was called: the export is incremental.
	manifest *DirManifest
}

// New returns an unconfigured tar exporter.
func New() exporters.Exporter { return &Exporter{} }

// Configure reads the options and checks that the output directory is
// writable.
func (e *Exporter) Configure(ctx context.Context, options map[string]string) error {
	opts, err := archive.NewOptions(options)
	if err != nil {
		return err
	}
	output := opts.Get("output")
	if output == "" {
		output = "."
	}
	if e.level, err = opts.Level(); err != nil {
		return err
	}
	if err := opts.Unknown(); err != nil {
		return err
	}
	e.out, err = archive.ParseOutput(output)
	return err
}

// Begin starts the archive. A zero meta.GeneratedAt is taken as now.
func (e *Exporter) Begin(ctx context.Context, meta exporters.Metadata) error {
	if e.out.Dir == "" {
		return errors.New("begin before configure")
	}
	if meta.GeneratedAt.IsZero() {
		meta.GeneratedAt = time.Now()
	}
	w, err := e.out.Create(meta, e.level, 0o644)
	if err != nil {
		return err
	}
	e.w, e.meta = w, meta
	return nil
}

// Write adds records to the archive.
func (e *Exporter) Write(ctx context.Context, records [][]byte) error {
	if e.w == nil {
		return errors.New("write before begin")
	}
	return e.w.Write(records)
}

// End writes the archive and, in an incremental export, then lists it
// and summary.Commits in the manifest. Result.Location is its path and
// Bytes its size.
func (e *Exporter) End(ctx context.Context, summary exporters.Summary) (exporters.Result, error) {
	defer e.manifest.Release()
	if e.w == nil {
		return exporters.Result{}, errors.New("end before begin")
	}
	size, err := e.w.Close(summary)
	if err != nil {
		return exporters.Result{}, err
	}
	res := exporters.Result{Location: e.w.Path(), Records: e.w.Records(), Bytes: size}
	if e.manifest != nil && len(summary.Commits) > 0 {
		if err := e.manifest.add(e.w.Path(), e.meta.GeneratedAt, summary.Commits); err != nil {
			return res, fmt.Errorf("the archive %s is written, but not listed in the manifest, so the next incremental export repeats its commits: %w", e.w.Path(), err)
		}
	}
	return res, nil
}

// Abort removes the temporary files; no archive appears and the manifest
// is unchanged.
func (e *Exporter) Abort(ctx context.Context, reason string) error {
	defer e.manifest.Release()
	if e.w == nil {
		return nil
	}
	return e.w.Abort()
}
