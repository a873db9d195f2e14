//go:build versitygw

package s3

import (
	"strings"
	"testing"

	"github.com/git-backfill/git-backfill/exporters/exportertest"
	"github.com/git-backfill/git-backfill/exporters/s3/s3test"
)

func TestWrongCredentials(t *testing.T) {
	srv := s3test.StartServer(t)
	srv.Bucket("exports")
	for _, tc := range []struct {
		name, access, secret, bucket, want string
	}{
		{"wrong secret", s3test.AccessKey, "not-the-secret-key", "exports", "SignatureDoesNotMatch"},
		// S3 says InvalidAccessKeyId.
		{"unknown access key", "AKIAUNKNOWNKEY", s3test.SecretKey, "exports", "XAdminUserNotFound"},
		{"no such bucket", s3test.AccessKey, s3test.SecretKey, "nonexistent", "NoSuchBucket"},
		{"no credentials", "", "", "exports", "no AWS credentials found (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE): "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s3test.AWSEnv(t, tc.access, tc.secret)
			err := New().Configure(t.Context(), map[string]string{
				"bucket": tc.bucket, "prefix": "p/", "endpoint": srv.URL(), "output": t.TempDir()})
			if err == nil {
				t.Fatal("Configure succeeded")
			}
			exportertest.CheckError(t, err)
			msg := err.Error()
			wantStart := "checking access to s3://" + tc.bucket + "/p/: CreateMultipartUpload: " + tc.want
			if !strings.HasPrefix(msg, wantStart) || (tc.secret != "" && strings.Contains(msg, tc.secret)) {
				t.Errorf("Configure: %q, want %q...", msg, wantStart)
			}
		})
	}
}
