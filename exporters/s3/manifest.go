package s3

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	s3api "github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"

	"github.com/git-backfill/git-backfill/exporters"
	"github.com/git-backfill/git-backfill/exporters/manifest"
)

// manifestAttempts bounds the compare-and-swap loop of updateManifest;
// each lost race means another export's update went through.
const manifestAttempts = 20

// Manifest reads <prefix>backfill-manifest.json. It needs the S3 API: a
// presigned POST form cannot read anything.
func (e *Exporter) Manifest(ctx context.Context) (exporters.Manifest, error) {
	if e.dest == nil {
		return exporters.Manifest{}, errors.New("manifest before configure")
	}
	if e.dest.form != nil {
		return exporters.Manifest{}, errors.New("an incremental export needs the S3 API (bucket and credentials): a presigned POST form cannot read the destination's manifest")
	}
	e.incremental = true
	var m exporters.Manifest
	m, e.corruptManifest = e.dest.manifest(ctx)
	return m, nil
}

// manifest reads the manifest as exporters.Incremental.Manifest returns
// it, and whether it is corrupt.
func (d *destination) manifest(ctx context.Context) (exporters.Manifest, bool) {
	m, _, err := d.readManifest(ctx)
	var corrupt *manifest.CorruptError
	switch {
	case err != nil:
		return exporters.Manifest{Found: true, Warning: fmt.Sprintf("s3://%s/%s is unreadable or corrupt (%v): exporting every commit", d.bucket, d.manifestKey(), err)}, errors.As(err, &corrupt)
	case m == nil:
		return exporters.Manifest{}, false
	}
	return exporters.Manifest{Commits: m.Commits(), Found: true}, false
}

func (d *destination) manifestKey() string { return d.prefix + manifest.File }

// readManifest reads the manifest and its ETag: nil, nil when there is
// none; a *manifest.CorruptError (with the ETag) when its content does not
// parse or fails its checksum; another error when it cannot be read.
func (d *destination) readManifest(ctx context.Context) (*manifest.Manifest, *string, error) {
	where := fmt.Sprintf("s3://%s/%s", d.bucket, d.manifestKey())
	out, err := d.client.GetObject(ctx, &s3api.GetObjectInput{Bucket: aws.String(d.bucket), Key: aws.String(d.manifestKey())})
	var missing *types.NoSuchKey
	if errors.As(err, &missing) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("reading %s: %w", where, describe(err))
	}
	defer out.Body.Close()
	// Read one byte over the limit to tell a manifest that is too large
	// (an error) from one that ends there; cut short, it would not parse
	// and would be set aside as corrupt.
	data, err := io.ReadAll(io.LimitReader(out.Body, manifest.MaxFileSize+1))
	if err == nil && int64(len(data)) > manifest.MaxFileSize {
		return nil, out.ETag, fmt.Errorf("reading %s: over %d MiB, larger than any manifest this version writes", where, manifest.MaxFileSize>>20)
	}
	if err != nil {
		err = fmt.Errorf("reading %s: %w", where, describe(err))
		// The SDK checks the object's stored checksum as it reads: a
		// mismatch is a corrupt object, not a network failure.
		if strings.Contains(err.Error(), "checksum did not match") {
			err = &manifest.CorruptError{Err: err}
		}
		return nil, out.ETag, err
	}
	m, err := manifest.Parse(data)
	return m, out.ETag, err
}

// updateManifest lists the archive at key and its commits in the
// manifest, as updateEntries does; nothingNew reports an archive all of
// whose commits a concurrent export listed first, which is then not
// listed.
func (d *destination) updateManifest(ctx context.Context, key string, generatedAt time.Time, commits []string, replaceCorrupt bool) (nothingNew bool, err error) {
	stale, err := d.updateEntries(ctx, generatedAt, []ManifestEntry{{Name: key[len(d.prefix):], Commits: commits}}, replaceCorrupt)
	return len(stale) > 0, err
}

// updateEntries lists archives and their commits in the manifest, in one
// write. Concurrent exports may update it at the same time, so it reads
// the manifest with its ETag and writes it back only if unchanged
// (If-Match, or If-None-Match: * when there was none), reading again
// after a lost race: no update is lost, and each commit stays listed
// once. An archive the manifest already lists went in with an earlier try
// whose response was lost, and is left as it is. It returns the names of the
// archives all of whose commits a concurrent export listed first, which
// are then not listed. A corrupt manifest is replaced only if
// replaceCorrupt (Manifest found it corrupt, so the export was a full
// one), after a server-side copy aside; one that cannot be read is an
// error.
func (d *destination) updateEntries(ctx context.Context, generatedAt time.Time, entries []ManifestEntry, replaceCorrupt bool) (nothingNew []string, err error) {
	if len(entries) == 0 {
		return nil, nil
	}
	for attempt := 1; ; attempt++ {
		m, etag, err := d.readManifest(ctx)
		var corrupt *manifest.CorruptError
		switch {
		case errors.As(err, &corrupt) && replaceCorrupt:
			if err := d.setAside(ctx, etag); err != nil {
				return nil, err
			}
		case err != nil:
			return nil, err
		}
		if m == nil {
			m = manifest.New()
		}
		nothingNew = nil
		added := 0
		for _, e := range entries {
			if m.Lists(e.Name) {
				continue
			}
			err := m.Add(e.Name, generatedAt, e.Commits)
			if errors.Is(err, manifest.ErrNothingNew) {
				nothingNew = append(nothingNew, e.Name)
			} else if err == nil {
				added++
			}
		}
		if added == 0 {
			return nothingNew, nil
		}
		var ifMatch, ifNoneMatch *string
		if etag != nil {
			ifMatch = etag
		} else {
			ifNoneMatch = aws.String("*")
		}
		err = d.put(ctx, d.manifestKey(), m.Marshal(), ifMatch, ifNoneMatch)
		if err == nil {
			return nothingNew, nil
		}
		if !lostRace(err) || attempt == manifestAttempts {
			return nil, fmt.Errorf("writing s3://%s/%s: %w", d.bucket, d.manifestKey(), err)
		}
		// Let the winner's update land before reading again.
		select {
		case <-ctx.Done():
			return nil, context.Cause(ctx)
		case <-time.After(time.Duration(20+rand.IntN(200)) * time.Millisecond):
		}
	}
}

// setAside copies the manifest, as stored, to manifest.AsideName(), if it
// is still the version etag names.
func (d *destination) setAside(ctx context.Context, etag *string) error {
	source := url.URL{Path: d.bucket + "/" + d.manifestKey()}
	_, err := d.client.CopyObject(ctx, &s3api.CopyObjectInput{
		Bucket: aws.String(d.bucket), Key: aws.String(d.prefix + manifest.AsideName()),
		CopySource: aws.String(source.EscapedPath()), CopySourceIfMatch: etag,
	})
	if err != nil {
		return fmt.Errorf("copying the corrupt manifest aside: %w", describe(err))
	}
	return nil
}

// put writes a small object, conditionally when ifMatch or ifNoneMatch is
// set.
func (d *destination) put(ctx context.Context, key string, data []byte, ifMatch, ifNoneMatch *string) error {
	_, err := d.client.PutObject(ctx, &s3api.PutObjectInput{
		Bucket: aws.String(d.bucket), Key: aws.String(key), Body: bytes.NewReader(data),
		ContentLength: aws.Int64(int64(len(data))), ContentType: aws.String("application/json"),
		IfMatch: ifMatch, IfNoneMatch: ifNoneMatch,
	})
	if err != nil {
		return describe(err)
	}
	return nil
}

// lostRace reports a conditional write that failed because the object
// changed (412) or was being changed (409) meanwhile.
func lostRace(err error) bool {
	var api smithy.APIError
	if !errors.As(err, &api) {
		return false
	}
	switch api.ErrorCode() {
	case "PreconditionFailed", "ConditionalRequestConflict":
		return true
	}
	return false
}

// remove deletes an object, best effort: used for an archive that a
// concurrent export made redundant.
func (d *destination) remove(ctx context.Context, key string) {
	d.client.DeleteObject(ctx, &s3api.DeleteObjectInput{Bucket: aws.String(d.bucket), Key: aws.String(key)})
}
