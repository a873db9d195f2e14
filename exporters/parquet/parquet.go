// Package parquet is the built-in exporter that writes the records as a
// Parquet dataset, partitioned the Hive way by repository and by month of
// committer date (UTC), for query engines (DuckDB, Spark, Athena, Trino,
// pandas) to read without any conversion:
//
//	<output>/repository=<name>/year=<YYYY>/month=<MM>/part-<UTC time>-<n>.parquet
//
// The columns are those of the JSON record with typed dates, lists and
// structs; docs/parquet.md describes them. The partition columns are not
// in the files: readers take them from the path. Files are compressed
// with zstd.
//
// Options (keys compare case-insensitively):
//
//	output      the dataset's local directory (created if missing), or
//	bucket      the bucket of an S3 dataset, with
//	prefix      prepended as is to the keys: "lake/" gives lake/repository=...
//	region      the bucket's region, and
//	endpoint    the URL of an S3-compatible server, as the s3 exporter's
//	repository  the partition name; default the export's repository name
//
// The repository name must be one safe path segment: no "/", "\", "=",
// "%", control characters, not "." or "..".
//
// Memory stays bounded (but for the list of the commits exported, some
// 60 bytes each): each partition being written holds one row group in
// memory, written out at 100,000 rows or when the writer's buffers (mostly
// compressed pages) reach 32 MiB; a part file is finished at 256 MiB; the
// large text columns carry no min/max statistics, which would copy a whole
// diff into page headers and the footer; and at most
// 4 partitions are open at once, the least recently written one being
// finished when a fifth is needed. Records usually come in date order,
// so a partition is rarely opened twice, but it may get several parts.
//
// A part file is written under a temporary name, ".part-...parquet.tmp-
// <random>" (which query engines skip, as they skip every name starting
// with a dot), and appears under its final name only once complete, never
// replacing a file: a name taken gets a "-2", "-3"... suffix. With a
// bucket, parts are written in a private local directory (as the s3
// exporter's archives are) and uploaded, with the s3 exporter's
// credentials chain and access check, as each is finished; the object
// appears when its upload completes.
//
// A failed or cancelled export (Abort) removes its temporary files and
// leaves the parts it finished: each is a complete file, so the dataset
// then holds part of the export. An incremental export leaves nothing:
// see below.
//
// Incremental exports (Manifest) need the repository option, as the
// manifest is per repository and is read before the export's metadata
// is known. The manifest is repository=<name>/backfill-manifest.json (see
// package manifest), listing each part file, by its name under
// repository=<name>/, with its commits. Locally it is kept as the tar
// exporter keeps its own, under the lock file
// backfill-manifest.json.lock, and the parts keep their temporary names
// until End, which renames them and then updates the manifest; on S3 it
// is updated as the s3 exporter does (conditional writes), after the
// uploads. Abort removes the parts of the export (uploaded ones too), so
// that the next run, which exports their commits again, adds no
// duplicate row; so does an End that fails. A crash between the renames
// or uploads and the manifest's update can leave parts that the manifest
// does not list; their rows are then exported again. So can concurrent
// S3 exports of overlapping commits: the manifest lists each commit once,
// but each part keeps the rows it was written with.
package parquet

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/git-backfill/git-backfill/exporters"
	"github.com/git-backfill/git-backfill/exporters/archive"
	"github.com/git-backfill/git-backfill/exporters/s3"
	"github.com/git-backfill/git-backfill/exporters/tar"
)

// ext is the part files' extension.
const ext = ".parquet"

// contentType is the media type of uploaded part files.
const contentType = "application/vnd.apache.parquet"

// Exporter writes a Parquet dataset. Its methods follow
// exporters.Exporter and are not safe for concurrent use.
type Exporter struct {
	limits limits
	// Where the dataset is: output, a local directory, or bucket (with
	// spool, the local directory of the parts before upload).
	output string
	bucket *s3.Bucket
	spool  string
	// repoOption is the repository option, repo the partition's name.
	repoOption, repo string

	begun bool
	meta  exporters.Metadata
	stem  string // of the part files' names: part-<UTC time>
	seq   int    // the last part's number
	clock int64  // counts writes, for the least recently written part
	open  map[partition]*part
	// done are the parts at their final place; pending those of a local
	// incremental export, finished but under their temporary names.
	done    []donePart
	pending []*part
	records int64
	bytes   int64
	created []string // directories made, removed by Abort if empty

	// Set by Manifest: the export is incremental.
	incremental bool
	dirLock     *tar.DirManifest
	corrupt     bool // the manifest on S3 was found corrupt
}

// donePart is a part file at its final place, by its name under the
// repository's directory or prefix, and its commits.
type donePart struct {
	name    string
	commits []string
}

// New returns an unconfigured parquet exporter.
func New() exporters.Exporter { return &Exporter{limits: defaultLimits} }

// Configure reads the options and checks the destination: that the
// directory is writable, or access to the bucket.
func (e *Exporter) Configure(ctx context.Context, options map[string]string) error {
	opts, err := archive.NewOptions(options)
	if err != nil {
		return err
	}
	output := opts.Get("output")
	b := s3.BucketOptions{Bucket: opts.Get("bucket"), Prefix: opts.Get("prefix"), Region: opts.Get("region"), Endpoint: opts.Get("endpoint")}
	e.repoOption = opts.Get("repository")
	if err := opts.Unknown(); err != nil {
		return err
	}
	if e.repoOption != "" {
		if err := checkRepository(e.repoOption); err != nil {
			return fmt.Errorf("option repository: %w", err)
		}
	}
	switch {
	case output != "" && b.Bucket != "":
		return errors.New("options output and bucket exclude each other: the dataset is local or on S3")
	case b.Bucket == "" && (b.Prefix != "" || b.Region != "" || b.Endpoint != ""):
		return errors.New("options prefix, region and endpoint need the option bucket")
	case output == "" && b.Bucket == "":
		return errors.New("option output (a directory) or bucket is required")
	case output != "":
		if !strings.HasSuffix(output, string(os.PathSeparator)) {
			output += string(os.PathSeparator) // a directory, created if missing
		}
		out, err := archive.ParseOutput(output)
		if err != nil {
			return err
		}
		e.output = out.Dir
		return nil
	}
	if e.spool, err = archive.PrivateDir(); err != nil {
		return err
	}
	e.bucket, err = s3.OpenBucket(ctx, b, contentType)
	return err
}

// checkRepository checks that name is one safe path segment, and a plain
// Hive partition value.
func checkRepository(name string) error {
	if name == "" || name == "." || name == ".." {
		return fmt.Errorf("%q is not a repository name", name)
	}
	if len(name) > 200 {
		return fmt.Errorf("%.20q...: longer than 200 bytes", name)
	}
	for _, c := range name {
		if c < 0x20 || c == 0x7f || strings.ContainsRune(`/\=%`, c) {
			return fmt.Errorf("%q: a repository name may not contain %q", name, c)
		}
	}
	return nil
}

// repoDir is the repository's directory of a local dataset.
func (e *Exporter) repoDir() string { return filepath.Join(e.output, "repository="+e.repo) }

// repoBucket is the repository's prefix of an S3 dataset.
func (e *Exporter) repoBucket() *s3.Bucket { return e.bucket.Sub("repository=" + e.repo + "/") }

// Begin starts the export. The partition's name is the repository option,
// else meta.Repository. A zero meta.GeneratedAt is taken as now.
func (e *Exporter) Begin(ctx context.Context, meta exporters.Metadata) error {
	if e.output == "" && e.bucket == nil {
		return errors.New("begin before configure")
	}
	if meta.GeneratedAt.IsZero() {
		meta.GeneratedAt = time.Now()
	}
	e.repo = e.repoOption
	if e.repo == "" {
		e.repo = meta.Repository
		if err := checkRepository(e.repo); err != nil {
			return fmt.Errorf("the export's repository name cannot name a partition (set the option repository): %w", err)
		}
	}
	e.meta, e.begun = meta, true
	e.stem = "part-" + meta.GeneratedAt.UTC().Format("20060102T150405Z")
	e.open = map[partition]*part{}
	return nil
}

// Write adds records to the parts of their partitions.
func (e *Exporter) Write(ctx context.Context, records [][]byte) error {
	if !e.begun {
		return errors.New("write before begin")
	}
	for _, data := range records {
		r, err := decodeRow(data)
		if err != nil {
			return err
		}
		p, err := e.part(ctx, partition{r.CommitterDate.Year(), int(r.CommitterDate.Month())})
		if err != nil {
			return err
		}
		if err := p.write(&r, e.limits); err != nil {
			return err
		}
		e.records++
		if p.full(e.limits) {
			if err := e.finish(ctx, p); err != nil {
				return err
			}
		}
	}
	return nil
}

// part returns the open part of partition pt, starting one if needed
// (after finishing the least recently written one, at the limit).
func (e *Exporter) part(ctx context.Context, pt partition) (*part, error) {
	e.clock++
	if p := e.open[pt]; p != nil {
		p.lastUse = e.clock
		return p, nil
	}
	if len(e.open) >= e.limits.openParts {
		var lru *part
		for _, p := range e.open {
			if lru == nil || p.lastUse < lru.lastUse {
				lru = p
			}
		}
		if err := e.finish(ctx, lru); err != nil {
			return nil, err
		}
	}
	dir := e.spool
	if e.bucket == nil {
		dir = filepath.Join(e.repoDir(), pt.dir())
		if err := e.mkdir(dir); err != nil {
			return nil, err
		}
	}
	e.seq++
	p, err := newPart(pt, dir, fmt.Sprintf("%s-%05d", e.stem, e.seq))
	if err != nil {
		return nil, err
	}
	p.lastUse = e.clock
	e.open[pt] = p
	return p, nil
}

// mkdir makes dir and its missing parents, noting those it made.
func (e *Exporter) mkdir(dir string) error {
	var missing []string
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Lstat(d); err == nil || d == filepath.Dir(d) {
			break
		}
		missing = append(missing, d)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("creating %s: %w", dir, err)
	}
	e.created = append(e.created, missing...)
	return nil
}

// finish completes part p and puts it in place: under its final name
// locally, or uploaded; a local incremental export's waits for End.
func (e *Exporter) finish(ctx context.Context, p *part) error {
	delete(e.open, p.partition)
	size, err := p.finish()
	if err != nil {
		p.discard()
		return err
	}
	e.bytes += size
	switch {
	case e.bucket != nil:
		name, err := e.repoBucket().UploadNew(ctx, p.tmp, p.partition.dir()+"/"+p.name, ext)
		os.Remove(p.tmp)
		if err != nil {
			return err
		}
		e.done = append(e.done, donePart{name, p.commits})
	case e.incremental:
		e.pending = append(e.pending, p)
	default:
		return e.place(p)
	}
	return nil
}

// place gives the local part p its final name.
func (e *Exporter) place(p *part) error {
	path, err := archive.PlaceNew(p.tmp, filepath.Join(filepath.Dir(p.tmp), p.name), ext)
	if err != nil {
		os.Remove(p.tmp)
		return err
	}
	e.done = append(e.done, donePart{p.partition.dir() + "/" + filepath.Base(path), p.commits})
	return nil
}

// End finishes the open parts and, in an incremental export, puts them
// in place and lists them in the manifest. Result.Location is the
// repository's directory or s3://bucket/<prefix>repository=<name>/, Bytes
// the size of the part files.
func (e *Exporter) End(ctx context.Context, summary exporters.Summary) (_ exporters.Result, err error) {
	defer e.dirLock.Release()
	if !e.begun {
		return exporters.Result{}, errors.New("end before begin")
	}
	// The host sends no Abort after a failed End: clean up here, as Abort
	// would, so that no temporary file stays and an incremental export
	// leaves no part that its manifest does not list.
	defer func() {
		if err != nil {
			e.discard(ctx)
		}
	}()
	for _, pt := range slices.SortedFunc(maps.Keys(e.open), comparePartitions) {
		if err := e.finish(ctx, e.open[pt]); err != nil {
			return exporters.Result{}, err
		}
	}
	for len(e.pending) > 0 {
		p := e.pending[0]
		e.pending = e.pending[1:]
		if err := e.place(p); err != nil {
			return exporters.Result{}, err
		}
	}
	res := exporters.Result{Location: e.repoDir(), Records: e.records, Bytes: e.bytes}
	if e.bucket != nil {
		res.Location = e.repoBucket().URL("")
	}
	if e.incremental && len(e.done) > 0 {
		if err := e.addToManifest(ctx); err != nil {
			return res, fmt.Errorf("listing the new parts in the manifest (they are removed; the next incremental export writes them again): %w", err)
		}
	}
	return res, nil
}

func comparePartitions(a, b partition) int {
	if a.year != b.year {
		return a.year - b.year
	}
	return a.month - b.month
}

// Abort removes the temporary files. The parts already in place stay,
// except in an incremental export, whose parts the manifest does not list.
func (e *Exporter) Abort(ctx context.Context, reason string) error {
	defer e.dirLock.Release()
	return e.discard(ctx)
}

// discard removes the temporary files, and this run's parts in an
// incremental export, as Abort says.
func (e *Exporter) discard(ctx context.Context) error {
	var errs []error
	for _, p := range e.open {
		errs = append(errs, p.discard())
	}
	e.open = nil
	for _, p := range e.pending {
		errs = append(errs, p.discard())
	}
	e.pending = nil
	if e.incremental {
		for _, d := range e.done {
			if e.bucket != nil {
				e.repoBucket().Remove(ctx, d.name)
			} else {
				errs = append(errs, os.Remove(filepath.Join(e.repoDir(), filepath.FromSlash(d.name))))
			}
		}
		e.done = nil
	}
	// Directories this export made, deepest first, if it left them empty.
	for i := len(e.created) - 1; i >= 0; i-- {
		os.Remove(e.created[i])
	}
	return errors.Join(errs...)
}
