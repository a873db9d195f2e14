package s3

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
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

// maxManifest is the largest manifest read (a million commits take 44 MB).
const maxManifest = 1 << 30

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
	m, _, _, err := e.dest.readManifest(ctx)
	switch {
	case err != nil:
		return exporters.Manifest{Found: true, Warning: fmt.Sprintf("s3://%s/%s is unreadable or corrupt (%v): exporting every commit", e.dest.bucket, e.dest.manifestKey(), err)}, nil
	case m == nil:
		return exporters.Manifest{}, nil
	}
	return exporters.Manifest{Commits: m.Commits(), Found: true}, nil
}

func (d *destination) manifestKey() string { return d.prefix + manifest.File }

// corruptManifest is a manifest that exists but does not parse.
type corruptManifest struct {
	data []byte
	err  error
}

func (c *corruptManifest) Error() string { return c.err.Error() }

// readManifest reads the manifest and its ETag: nil, nil when there is
// none; a *corruptManifest error when it does not parse.
func (d *destination) readManifest(ctx context.Context) (*manifest.Manifest, *string, []byte, error) {
	out, err := d.client.GetObject(ctx, &s3api.GetObjectInput{Bucket: aws.String(d.bucket), Key: aws.String(d.manifestKey())})
	var missing *types.NoSuchKey
	if errors.As(err, &missing) {
		return nil, nil, nil, nil
	}
	if err != nil {
		return nil, nil, nil, fmt.Errorf("reading s3://%s/%s: %w", d.bucket, d.manifestKey(), describe(err))
	}
	defer out.Body.Close()
	data, err := io.ReadAll(io.LimitReader(out.Body, maxManifest))
	if err != nil {
		return nil, nil, nil, fmt.Errorf("reading s3://%s/%s: %w", d.bucket, d.manifestKey(), describe(err))
	}
	m, err := manifest.Parse(data)
	if err != nil {
		return nil, out.ETag, data, &corruptManifest{data: data, err: err}
	}
	return m, out.ETag, data, nil
}

// updateManifest lists the archive at key and its commits in the
// manifest. Concurrent exports may update it at the same time, so it
// reads the manifest with its ETag and writes it back only if unchanged
// (If-Match, or If-None-Match: * when there was none), reading again
// after a lost race: no update is lost, and each commit stays listed
// once. It reports, with nothingNew, an archive all of whose commits a
// concurrent export listed first, which is then not listed. A corrupt
// manifest is copied aside to <manifest>.corrupt-<UTC time> and replaced.
func (d *destination) updateManifest(ctx context.Context, key string, generatedAt time.Time, commits []string) (nothingNew bool, err error) {
	name := key[len(d.prefix):]
	for attempt := 1; ; attempt++ {
		m, etag, data, err := d.readManifest(ctx)
		var corrupt *corruptManifest
		if errors.As(err, &corrupt) {
			aside := d.manifestKey() + ".corrupt-" + time.Now().UTC().Format("20060102T150405Z")
			if err := d.put(ctx, aside, data, nil, nil); err != nil {
				return false, fmt.Errorf("setting the corrupt manifest aside: %w", err)
			}
		} else if err != nil {
			return false, err
		}
		if m == nil {
			m = manifest.New()
		}
		if err := m.Add(name, generatedAt, commits); errors.Is(err, manifest.ErrNothingNew) {
			return true, nil
		}
		var ifMatch, ifNoneMatch *string
		if etag != nil {
			ifMatch = etag
		} else {
			ifNoneMatch = aws.String("*")
		}
		err = d.put(ctx, d.manifestKey(), m.Marshal(), ifMatch, ifNoneMatch)
		if err == nil {
			return false, nil
		}
		if !lostRace(err) || attempt == manifestAttempts {
			return false, fmt.Errorf("writing s3://%s/%s: %w", d.bucket, d.manifestKey(), err)
		}
		// Let the winner's update land before reading again.
		time.Sleep(time.Duration(20+rand.IntN(200)) * time.Millisecond)
	}
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
