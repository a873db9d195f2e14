//go:build versitygw

package s3

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	s3api "github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/git-backfill/git-backfill/exporters/s3/s3test"
)

func TestPresignedPOSTVersity(t *testing.T) {
	srv := s3test.StartServer(t)
	srv.Bucket("uploads")
	// versitygw does not replace ${filename} in keys (S3 does), so the form
	// names the key in full.
	key := "post/backfill-conformance-20261122T031500Z.tar.gz"
	presigner := s3api.NewPresignClient(srv.Client())
	post, err := presigner.PresignPostObject(t.Context(), &s3api.PutObjectInput{
		Bucket: aws.String("uploads"), Key: aws.String(key),
	})
	if err != nil {
		t.Fatal(err)
	}
	formFile := filepath.Join(t.TempDir(), "form.json")
	data, _ := json.Marshal(map[string]any{"url": post.URL, "fields": post.Values})
	os.WriteFile(formFile, data, 0o600)

	recs := bigRecords()[:8]
	res, err := export(t, map[string]string{"presignedForm": formFile, "output": t.TempDir()}, recs)
	if err != nil {
		t.Fatal(err)
	}
	if res.Location != srv.URL()+"/uploads/"+key {
		t.Errorf("Location %q", res.Location)
	}
	got := s3test.Records(t, srv.Get(t, "s3://uploads/"+key))
	if len(got) != len(recs) || string(got[7]) != string(recs[7]) {
		t.Errorf("downloaded %d records, want %d", len(got), len(recs))
	}
}
