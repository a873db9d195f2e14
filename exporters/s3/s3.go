// Package s3 is the built-in exporter that uploads the export's archive
// (the tar exporter's, see package archive) to Amazon S3 or an
// S3-compatible server. The archive is built on local disk, then sent at
// End in a multipart upload that reads the file part by part, never
// holding it in memory; on success the local archive is removed. If the
// upload fails, End returns a *exporters.KeptError naming the archive, and
// Upload sends it later without any git work.
//
// Options (keys compare case-insensitively):
//
//	bucket            the bucket (required, unless presigned POST)
//	prefix            prepended as is to the archive's file name to make
//	                  the key: "monorepo/" gives monorepo/backfill-....tar.gz
//	region            the bucket's region; default from the AWS
//	                  configuration (AWS_REGION, ~/.aws/config), else us-east-1
//	endpoint          the URL of an S3-compatible server, addressed
//	                  path-style (http://host:port/bucket/key)
//	partSize          multipart part size in bytes, or with a k, m or g
//	                  suffix as git config allows; at least 5m, default 16m
//	                  (raised when an archive would need over 10,000 parts)
//	output            where the archive is built: as the tar exporter's
//	                  output; default <os.TempDir()>/git-backfill-<uid>/, private
//	compressionLevel  gzip level, 1 to 9; default 6
//
// Credentials come from the standard AWS chain: AWS_ACCESS_KEY_ID and
// AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN), AWS_PROFILE with the
// shared config and credentials files, SSO, web identity, container and
// EC2 instance roles. Other standard settings apply too, such as
// AWS_MAX_ATTEMPTS, or AWS_REQUEST_CHECKSUM_CALCULATION=when_required for
// servers that refuse the CRC32 checksums sent by default.
//
// Configure checks access before the long git work: it starts a multipart
// upload of a probe key, <prefix>.git-backfill-probe-<random>, and aborts
// it at once. That proves what the real upload needs (credentials, bucket,
// region, endpoint, s3:PutObject under the prefix) without creating any
// object and without needing list or delete permissions.
//
// Presigned-POST mode is for services that hand out upload forms instead
// of credentials. Give either
//
//	presignedForm    a JSON file as AWS SDKs' presigned POST makes:
//	                 {"url": "https://...", "fields": {"key": "...", ...}}
//
// or, inline,
//
//	presignedUrl     the form's URL
//	presignedFields  the fields, a JSON object of strings
//
// The archive is then sent as multipart/form-data: the fields in their
// given order, then the file, streamed from disk with an exact
// Content-Length. "${filename}" in the key field becomes the archive's
// file name. bucket, prefix, region, endpoint and partSize do not apply.
// Configure cannot check such a form without using it; it checks its
// shape and that its policy has not expired. S3 accepts POST uploads of up
// to 5 GB.
//
// Incremental exports (Manifest) need the S3 API. The manifest is
// <prefix>backfill-manifest.json (see package manifest); each run uploads
// its archive under a key no object has (If-None-Match on completion),
// then updates the manifest with a conditional write (If-Match on the
// ETag read), reading it again after a lost race, so concurrent exports to
// one prefix lose no update and list each commit once. An archive all of
// whose commits a concurrent export listed first is deleted again. A
// manifest that Manifest found corrupt is copied aside to
// backfill-manifest.json.corrupt-<UTC time>-<random> before it is
// replaced. The server must support conditional writes (AWS S3 does, as
// do versitygw and MinIO).
//
// Secrets never appear in errors or results: no keys, no form fields, no
// URL query strings.
package s3

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/git-backfill/git-backfill/exporters"
	"github.com/git-backfill/git-backfill/exporters/archive"
)

// Exporter builds an archive and uploads it. Its methods follow
// exporters.Exporter and are not safe for concurrent use.
type Exporter struct {
	dest *destination
	out  archive.Output
	w    *archive.Writer
	meta exporters.Metadata
	// incremental is set once Manifest was called; corruptManifest when
	// it found the manifest corrupt, which End may then replace.
	incremental, corruptManifest bool
}

// New returns an unconfigured s3 exporter.
func New() exporters.Exporter { return &Exporter{} }

// Configure reads the options, checks access to the destination and that
// the local output directory is writable.
func (e *Exporter) Configure(ctx context.Context, options map[string]string) error {
	dest, output, err := readOptions(ctx, options)
	if err != nil {
		return err
	}
	if output == "" {
		if output, err = archive.PrivateDir(); err != nil {
			return err
		}
	}
	if e.out, err = archive.ParseOutput(output); err != nil {
		return err
	}
	if err := dest.check(ctx); err != nil {
		return err
	}
	e.dest = dest
	return nil
}

// Begin starts the local archive. A zero meta.GeneratedAt is taken as now.
func (e *Exporter) Begin(ctx context.Context, meta exporters.Metadata) error {
	if e.dest == nil {
		return errors.New("begin before configure")
	}
	if meta.GeneratedAt.IsZero() {
		meta.GeneratedAt = time.Now()
	}
	w, err := e.out.Create(meta, e.dest.level, 0o600)
	if err != nil {
		return err
	}
	e.w, e.meta = w, meta
	return nil
}

// Write adds records to the local archive.
func (e *Exporter) Write(ctx context.Context, records [][]byte) error {
	if e.w == nil {
		return errors.New("write before begin")
	}
	return e.w.Write(records)
}

// End writes the local archive and uploads it. On success the local
// archive is removed; Result.Location is "s3://bucket/key" (or the URL of
// a presigned POST with the key) and Bytes the archive's size. If the
// upload fails, the error is a *exporters.KeptError with the archive's
// absolute path.
func (e *Exporter) End(ctx context.Context, summary exporters.Summary) (exporters.Result, error) {
	if e.w == nil {
		return exporters.Result{}, errors.New("end before begin")
	}
	path, size, err := e.w.CloseKeep(summary)
	if err != nil {
		return exporters.Result{}, err
	}
	if e.incremental {
		return e.endIncremental(ctx, summary, path, size)
	}
	loc, err := e.dest.send(ctx, path)
	if err != nil {
		return exporters.Result{}, &exporters.KeptError{Path: path, Err: err}
	}
	// The archive is delivered; a failure to remove the local copy loses
	// nothing and is not the export's.
	os.Remove(path)
	return exporters.Result{Location: loc, Records: e.w.Records(), Bytes: size}, nil
}

// endIncremental uploads the archive under a new key, then lists it and
// summary.Commits in the manifest. An archive whose commits a concurrent
// export listed first is removed again.
func (e *Exporter) endIncremental(ctx context.Context, summary exporters.Summary, path string, size int64) (exporters.Result, error) {
	key, err := e.dest.sendNew(ctx, path)
	if err != nil {
		return exporters.Result{}, &exporters.KeptError{Path: path, Err: err}
	}
	os.Remove(path)
	loc := "s3://" + e.dest.bucket + "/" + key
	res := exporters.Result{Location: loc, Records: e.w.Records(), Bytes: size}
	if len(summary.Commits) == 0 {
		return res, nil
	}
	nothingNew, err := e.dest.updateManifest(ctx, key, e.meta.GeneratedAt, summary.Commits, e.corruptManifest)
	if err != nil {
		return res, fmt.Errorf("the archive %s is uploaded, but not listed in the manifest, so the next incremental export repeats its commits: %w", loc, err)
	}
	if nothingNew {
		e.dest.remove(ctx, key)
		res.Location = fmt.Sprintf("s3://%s/%s (nothing new: a concurrent export delivered these commits first)", e.dest.bucket, e.dest.prefix)
		res.Records, res.Bytes = 0, 0
	}
	return res, nil
}

// Abort removes the temporary files of an unfinished archive. An archive
// kept after a failed upload stays.
func (e *Exporter) Abort(ctx context.Context, reason string) error {
	if e.w == nil {
		return nil
	}
	return e.w.Abort()
}

// Upload sends an archive kept by a failed export, with the options of
// the s3 exporter ("output" and "compressionLevel" are ignored), to the
// key prefix + the archive's file name. It checks that the file is a
// git-backfill archive first, and leaves the file in place: the caller
// removes it once the upload succeeded, if it wants. Result.Records is
// the archive's commit count.
func Upload(ctx context.Context, options map[string]string, archivePath string) (exporters.Result, error) {
	// Every entry is checked: a kept archive sits in a directory that may
	// not be only ours, and what is uploaded is read by others.
	info, err := archive.Verify(archivePath)
	if err != nil {
		return exporters.Result{}, err
	}
	records := info.CommitCount
	fi, err := os.Stat(archivePath)
	if err != nil {
		return exporters.Result{}, err
	}
	dest, _, err := readOptions(ctx, options)
	if err != nil {
		return exporters.Result{}, err
	}
	if dest.form != nil {
		// A fresh form is needed if the export's has expired.
		if err := dest.form.check(); err != nil {
			return exporters.Result{}, err
		}
	}
	// Never over an existing object: under the archive's name, or with a
	// "-2", "-3"... suffix (a presigned form's policy decides for itself).
	var loc string
	if dest.form != nil {
		loc, err = dest.send(ctx, archivePath)
	} else {
		var key string
		key, err = dest.sendNew(ctx, archivePath)
		loc = "s3://" + dest.bucket + "/" + key
	}
	if err != nil {
		return exporters.Result{}, err
	}
	return exporters.Result{Location: loc, Records: records, Bytes: fi.Size()}, nil
}
