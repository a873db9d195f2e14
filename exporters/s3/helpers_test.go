package s3

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	s3api "github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/git-backfill/git-backfill/exporters"
	"github.com/git-backfill/git-backfill/exporters/archive"
	"github.com/git-backfill/git-backfill/exporters/exportertest"
)

// export runs a whole export and returns End's result.
func export(t *testing.T, opts map[string]string, recs [][]byte) (exporters.Result, error) {
	t.Helper()
	e := New()
	if err := e.Configure(t.Context(), opts); err != nil {
		t.Fatalf("Configure: %v", err)
	}
	if err := e.Begin(t.Context(), exportertest.Metadata()); err != nil {
		t.Fatal(err)
	}
	if err := e.Write(t.Context(), recs); err != nil {
		t.Fatal(err)
	}
	res, err := e.End(t.Context(), exportertest.Summary(recs))
	if err != nil {
		e.Abort(t.Context(), "end failed")
	}
	return res, err
}

// bigRecords are 16 MiB of poorly compressible records, which make an
// archive of 3 parts of 5 MiB. They are made once.
var bigRecords = sync.OnceValue(func() [][]byte {
	var recs [][]byte
	for i := range 16 {
		recs = append(recs, exportertest.Record(i, 1<<20))
	}
	return recs
})

// records returns the records of an archive's bytes.
func records(t *testing.T, data []byte) [][]byte {
	t.Helper()
	path := filepath.Join(t.TempDir(), "a.tar.gz")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	r, err := archive.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	rd, err := r.Records()
	if err != nil {
		t.Fatal(err)
	}
	jsonl, err := io.ReadAll(rd)
	if err != nil {
		t.Fatal(err)
	}
	if len(jsonl) == 0 {
		return nil
	}
	return bytes.Split(bytes.TrimSuffix(jsonl, []byte("\n")), []byte("\n"))
}

// localFiles lists dir's files other than keep.
func localFiles(t *testing.T, dir, keep string) []string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, e := range entries {
		if p := filepath.Join(dir, e.Name()); p != keep {
			files = append(files, p)
		}
	}
	return files
}

// get downloads the object at an s3:// location.
func (s *server) get(t *testing.T, location string) []byte {
	t.Helper()
	bucket, key, ok := strings.Cut(strings.TrimPrefix(location, "s3://"), "/")
	if !ok || !strings.HasPrefix(location, "s3://") {
		t.Fatalf("location %q is not s3://bucket/key", location)
	}
	out, err := s.client().GetObject(context.Background(), &s3api.GetObjectInput{Bucket: &bucket, Key: &key})
	if err != nil {
		t.Fatalf("getting %s: %v", location, err)
	}
	defer out.Body.Close()
	data, err := io.ReadAll(out.Body)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// left lists the objects and unfinished multipart uploads under prefix,
// apart from the one at location.
func (s *server) left(t *testing.T, bucket, prefix, location string) []string {
	t.Helper()
	ctx, c := context.Background(), s.client()
	objs, err := c.ListObjectsV2(ctx, &s3api.ListObjectsV2Input{Bucket: &bucket, Prefix: &prefix})
	if err != nil {
		t.Fatal(err)
	}
	var left []string
	for _, o := range objs.Contents {
		if loc := "s3://" + bucket + "/" + *o.Key; loc != location {
			left = append(left, loc)
		}
	}
	ups, err := c.ListMultipartUploads(ctx, &s3api.ListMultipartUploadsInput{Bucket: &bucket, Prefix: &prefix})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range ups.Uploads {
		left = append(left, "unfinished upload of "+*u.Key)
	}
	return left
}
