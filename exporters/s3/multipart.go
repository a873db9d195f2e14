package s3

import (
	"context"
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	s3api "github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// uploadConcurrency is the number of parts in flight.
const uploadConcurrency = 4

// multipart uploads the file at path to key in a multipart upload. Each
// part is a section of the file, read as it is sent (and re-read by the
// SDK for a checksum, the signature or a retry), so memory use does not
// depend on the part size. On failure the upload is aborted, leaving no
// parts on the server. With a token, an object already at key (or put
// there meanwhile) fails the upload with a lostRace error instead of
// being replaced, and the object carries the token in its metadata (see
// head).
func (d *destination) multipart(ctx context.Context, path, key, token string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	size, partSize := fi.Size(), d.partSize
	if need := (size + maxParts - 1) / maxParts; need > partSize {
		partSize = (need + 1<<20 - 1) &^ (1<<20 - 1) // whole MiB
	}
	where := fmt.Sprintf("uploading to s3://%s/%s", d.bucket, key)
	contentType := d.contentType
	if contentType == "" {
		contentType = "application/gzip"
	}
	in := &s3api.CreateMultipartUploadInput{
		Bucket: aws.String(d.bucket), Key: aws.String(key), ContentType: aws.String(contentType),
	}
	if d.checksums {
		in.ChecksumAlgorithm = types.ChecksumAlgorithmCrc32
	}
	if token != "" {
		in.Metadata = map[string]string{uploadTokenKey: token}
	}
	out, err := d.client.CreateMultipartUpload(ctx, in)
	if err != nil {
		return fmt.Errorf("%s: %w", where, describe(err))
	}
	parts, err := d.uploadParts(ctx, f, key, out.UploadId, size, partSize)
	if err == nil {
		complete := &s3api.CompleteMultipartUploadInput{
			Bucket: aws.String(d.bucket), Key: aws.String(key), UploadId: out.UploadId,
			MultipartUpload: &types.CompletedMultipartUpload{Parts: parts},
		}
		if token != "" {
			complete.IfNoneMatch = aws.String("*")
		}
		_, err = d.client.CompleteMultipartUpload(ctx, complete)
		if err != nil {
			err = describe(err)
		}
	}
	if err != nil {
		d.abort(ctx, key, out.UploadId)
		return fmt.Errorf("%s: %w", where, err)
	}
	return nil
}

// uploadParts uploads the parts of f, up to uploadConcurrency at once, and
// returns them in order for CompleteMultipartUpload. The first failure
// stops the rest. An empty file is one empty part.
func (d *destination) uploadParts(ctx context.Context, f *os.File, key string, uploadID *string,
	size, partSize int64) ([]types.CompletedPart, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	n := max(1, (size+partSize-1)/partSize)
	parts := make([]types.CompletedPart, n)
	next := make(chan int64)
	var wg sync.WaitGroup
	for range min(uploadConcurrency, n) {
		wg.Go(func() {
			for i := range next {
				off := i * partSize
				length := min(partSize, size-off)
				in := &s3api.UploadPartInput{
					Bucket: aws.String(d.bucket), Key: aws.String(key), UploadId: uploadID,
					PartNumber: aws.Int32(int32(i + 1)), ContentLength: aws.Int64(length),
					Body: io.NewSectionReader(f, off, length),
				}
				if d.checksums {
					in.ChecksumAlgorithm = types.ChecksumAlgorithmCrc32
				}
				out, err := d.client.UploadPart(ctx, in)
				if err != nil {
					cancel(fmt.Errorf("part %d: %w", i+1, describe(err)))
					return
				}
				parts[i] = types.CompletedPart{ETag: out.ETag, PartNumber: in.PartNumber, ChecksumCRC32: out.ChecksumCRC32}
			}
		})
	}
feed:
	for i := range n {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if err := context.Cause(ctx); err != nil {
		return nil, err
	}
	return parts, nil
}
