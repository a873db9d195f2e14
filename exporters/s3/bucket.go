package s3

import (
	"context"
	"time"

	"github.com/git-backfill/git-backfill/exporters"
)

// Bucket is a bucket and key prefix reached through the S3 API, with what
// the s3 exporter does there: the standard AWS credentials chain, the
// region and endpoint (path-style) options, the access check, multipart
// uploads that never replace an object, and the manifest of incremental
// exports. It serves exporters that upload files of their own (parquet).
// Its methods may be called concurrently.
type Bucket struct{ d *destination }

// BucketOptions are a Bucket's options, with the meanings of the s3
// exporter's options of the same names.
type BucketOptions struct {
	Bucket, Prefix, Region, Endpoint string
}

// OpenBucket makes the client of a Bucket and checks access as the s3
// exporter's Configure does (see the package comment). Uploads have
// contentType.
func OpenBucket(ctx context.Context, o BucketOptions, contentType string) (*Bucket, error) {
	d := &destination{contentType: contentType}
	err := d.readAPIOptions(ctx, map[string]string{
		"bucket": o.Bucket, "prefix": o.Prefix, "region": o.Region, "endpoint": o.Endpoint})
	if err != nil {
		return nil, err
	}
	if err := d.probe(ctx); err != nil {
		return nil, err
	}
	return &Bucket{d}, nil
}

// Sub returns the Bucket whose prefix is b's followed by prefix; they
// share the client.
func (b *Bucket) Sub(prefix string) *Bucket {
	d := *b.d
	d.prefix += prefix
	return &Bucket{&d}
}

// URL returns "s3://<bucket>/<prefix><name>".
func (b *Bucket) URL(name string) string { return "s3://" + b.d.bucket + "/" + b.d.prefix + name }

// UploadNew uploads the file at path in a multipart upload under a key
// no object has: <prefix><base><ext>, or with a "-2", "-3"... suffix after
// base when taken. It returns the name under the prefix. The file stays.
func (b *Bucket) UploadNew(ctx context.Context, path, base, ext string) (string, error) {
	key, err := b.d.sendNewAs(ctx, path, base, ext)
	if err != nil {
		return "", err
	}
	return key[len(b.d.prefix):], nil
}

// Remove deletes <prefix><name>, best effort.
func (b *Bucket) Remove(ctx context.Context, name string) { b.d.remove(ctx, b.d.prefix+name) }

// Manifest reads <prefix>backfill-manifest.json, as
// exporters.Incremental's Manifest returns it (a manifest that cannot be
// read or is corrupt gives a Warning), and whether it is corrupt.
func (b *Bucket) Manifest(ctx context.Context) (m exporters.Manifest, corrupt bool) {
	return b.d.manifest(ctx)
}

// ManifestEntry is an archive to list in a manifest: its name under the
// prefix and its commits.
type ManifestEntry struct {
	Name    string
	Commits []string
}

// AddToManifest lists entries in <prefix>backfill-manifest.json in one
// conditional write, safe against concurrent exports, as the s3 exporter
// does. It returns the names of the entries all of whose commits were
// listed already (a concurrent export delivered them first), which it
// did not list. A corrupt manifest is copied aside and replaced only if
// replaceCorrupt (Manifest found it corrupt).
func (b *Bucket) AddToManifest(ctx context.Context, generatedAt time.Time, entries []ManifestEntry, replaceCorrupt bool) (nothingNew []string, err error) {
	return b.d.updateEntries(ctx, generatedAt, entries, replaceCorrupt)
}
