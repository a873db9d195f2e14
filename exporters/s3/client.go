package s3

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	s3api "github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"
)

// defaultRegion signs requests when no region is configured; S3-compatible
// servers commonly expect it.
const defaultRegion = "us-east-1"

// newClient makes an S3 client from the standard AWS configuration chain,
// with the region and endpoint options over it. It also says whether
// checksums are to be sent (unless AWS_REQUEST_CHECKSUM_CALCULATION or
// the shared config say when_required).
func newClient(ctx context.Context, region, endpoint string) (*s3api.Client, bool, error) {
	var opts []func(*config.LoadOptions) error
	if region != "" {
		opts = append(opts, config.WithRegion(region))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, false, fmt.Errorf("reading the AWS configuration: %w", err)
	}
	if cfg.Region == "" {
		cfg.Region = defaultRegion
	}
	client := s3api.NewFromConfig(cfg, func(o *s3api.Options) {
		if endpoint != "" {
			o.BaseEndpoint = aws.String(endpoint)
			o.UsePathStyle = true
		}
	})
	return client, cfg.RequestChecksumCalculation != aws.RequestChecksumCalculationWhenRequired, nil
}

// probe starts a multipart upload of a probe key and aborts it, which
// needs what the real upload needs and leaves no object behind.
func (d *destination) probe(ctx context.Context) error {
	key := d.prefix + ".git-backfill-probe-" + strings.ToLower(rand.Text()[:12])
	out, err := d.client.CreateMultipartUpload(ctx, &s3api.CreateMultipartUploadInput{
		Bucket: aws.String(d.bucket), Key: aws.String(key),
	})
	if err != nil {
		return fmt.Errorf("checking access to s3://%s/%s: %w", d.bucket, d.prefix, describe(err))
	}
	d.abort(ctx, key, out.UploadId)
	return nil
}

// abort aborts a multipart upload, so that its parts take no space. It is
// best effort: it runs also when ctx is cancelled, and its failure hides
// nothing, as the upload's own error is what matters.
func (d *destination) abort(ctx context.Context, key string, uploadID *string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	d.client.AbortMultipartUpload(ctx, &s3api.AbortMultipartUploadInput{
		Bucket: aws.String(d.bucket), Key: aws.String(key), UploadId: uploadID,
	})
}

// apiError is an S3 operation's error, described briefly: the service's
// error code and message, or the network error, without the SDK's request
// details. It keeps the original for errors.Is and errors.As.
type apiError struct {
	msg string
	err error
}

func (e *apiError) Error() string { return e.msg }
func (e *apiError) Unwrap() error { return e.err }

// describe shortens an SDK error to what a user acts on.
func describe(err error) error {
	var (
		api smithy.APIError
		op  *smithy.OperationError
		ue  *url.Error
	)
	msg := err.Error()
	switch {
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		if errors.Is(err, context.Canceled) {
			msg = context.Canceled.Error()
		} else {
			msg = context.DeadlineExceeded.Error()
		}
	case strings.Contains(msg, "get credentials: "):
		// The SDK's chain failed at its last link, usually the EC2 instance
		// role, whose error alone would mislead.
		_, detail, _ := strings.Cut(msg, "get credentials: ")
		msg = "no AWS credentials found (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE): " + detail
	case errors.As(err, &api):
		msg = api.ErrorCode()
		if m := strings.TrimSuffix(api.ErrorMessage(), "."); m != "" {
			msg += ": " + m
		}
	case errors.As(err, &ue):
		msg = ue.Err.Error() // without the request's URL
	case errors.As(err, &op):
		msg = op.Err.Error()
	}
	if errors.As(err, &op) {
		msg = op.OperationName + ": " + msg
	}
	return &apiError{msg: msg, err: err}
}
