//go:build versitygw

package s3

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	s3api "github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/git-backfill/git-backfill/exporters"
	"github.com/git-backfill/git-backfill/exporters/exportertest"
	"github.com/git-backfill/git-backfill/exporters/s3/s3test"
)

func TestConformance(t *testing.T) {
	exportertest.Run(t, s3test.Conformance(t, func(*testing.T) exporters.Exporter { return New() }))
}

func TestMultipartUpload(t *testing.T) {
	srv := s3test.StartServer(t)
	srv.Bucket("exports")
	s3test.AWSEnv(t, s3test.AccessKey, s3test.SecretKey)
	dir := t.TempDir()
	opts := map[string]string{"bucket": "exports", "prefix": "mono/", "endpoint": srv.URL(), "partSize": "5m",
		"output": dir, "compressionLevel": "1"}
	recs := bigRecords()
	res, err := export(t, opts, recs)
	if err != nil {
		t.Fatal(err)
	}
	key := "mono/backfill-conformance-20261122T031500Z.tar.gz"
	if res.Location != "s3://exports/"+key || res.Records != int64(len(recs)) {
		t.Errorf("Result %+v", res)
	}
	head, err := srv.Client().HeadObject(t.Context(), &s3api.HeadObjectInput{Bucket: aws.String("exports"), Key: &key})
	if err != nil {
		t.Fatal(err)
	}
	// A multipart object's ETag ends in -<number of parts>.
	wantParts := (res.Bytes + 5<<20 - 1) / (5 << 20)
	if *head.ContentLength != res.Bytes || wantParts < 3 || !strings.HasSuffix(*head.ETag, fmt.Sprintf("-%d\"", wantParts)) {
		t.Errorf("object: %d bytes, ETag %s; Result.Bytes %d (%d parts)", *head.ContentLength, *head.ETag, res.Bytes, wantParts)
	}
	got := s3test.Records(t, srv.Get(t, res.Location))
	if len(got) != len(recs) {
		t.Fatalf("downloaded %d records, want %d", len(got), len(recs))
	}
	for i := range recs {
		if !bytes.Equal(got[i], recs[i]) {
			t.Fatalf("record %d differs", i)
		}
	}
	if files := s3test.LocalFiles(t, dir, ""); len(files) != 0 {
		t.Errorf("local files left after the upload: %v", files)
	}
}

func TestServerStoppedKeepsArchive(t *testing.T) {
	srv := s3test.StartServer(t)
	srv.Bucket("exports")
	s3test.AWSEnv(t, s3test.AccessKey, s3test.SecretKey)
	opts := map[string]string{"bucket": "exports", "endpoint": srv.URL(), "partSize": "5m", "output": t.TempDir(),
		"compressionLevel": "1"}
	e := New()
	if err := e.Configure(t.Context(), opts); err != nil {
		t.Fatal(err)
	}
	e.Begin(t.Context(), exportertest.Metadata())
	recs := bigRecords()
	e.Write(t.Context(), recs[:10])
	srv.Stop()
	e.Write(t.Context(), recs[10:])
	_, err := e.End(t.Context(), exportertest.Summary(recs))
	var kept *exporters.KeptError
	if !errors.As(err, &kept) {
		t.Fatalf("End with the server stopped: %v, want a KeptError", err)
	}
	exportertest.CheckError(t, err)
	if !strings.Contains(err.Error(), "uploading to s3://exports/backfill-conformance-20261122T031500Z.tar.gz: ") ||
		!strings.Contains(err.Error(), "connection refused") {
		t.Errorf("error: %v", err)
	}
	if err := e.Abort(t.Context(), "upload failed"); err != nil {
		t.Fatal(err)
	}
	archiveBytes, err := os.ReadFile(kept.Path)
	if err != nil {
		t.Fatalf("kept archive: %v", err)
	}

	srv.Start()
	res, err := Upload(t.Context(), opts, kept.Path)
	if err != nil {
		t.Fatalf("Upload: %v", err)
	}
	if res.Location != "s3://exports/"+filepath.Base(kept.Path) || res.Records != int64(len(recs)) || res.Bytes != int64(len(archiveBytes)) {
		t.Errorf("Upload: Result %+v", res)
	}
	if !bytes.Equal(srv.Get(t, res.Location), archiveBytes) {
		t.Error("the uploaded object differs from the kept archive")
	}
	if _, err := os.Stat(kept.Path); err != nil {
		t.Errorf("Upload removed the archive: %v", err)
	}
}

func TestFailedPartAbortsUpload(t *testing.T) {
	srv := s3test.StartServer(t)
	srv.Bucket("exports")
	s3test.AWSEnv(t, s3test.AccessKey, s3test.SecretKey)
	// A proxy that fails every attempt at part 2.
	target, _ := url.Parse(srv.URL())
	rp := httputil.NewSingleHostReverseProxy(target)
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPut && r.URL.Query().Get("partNumber") == "2" {
			io.Copy(io.Discard, r.Body)
			w.WriteHeader(http.StatusInternalServerError)
			fmt.Fprint(w, "<Error><Code>InternalError</Code><Message>We encountered an internal error.</Message></Error>")
			return
		}
		rp.ServeHTTP(w, r)
	}))
	defer proxy.Close()
	opts := map[string]string{"bucket": "exports", "prefix": "p/", "endpoint": proxy.URL, "partSize": "5m",
		"output": t.TempDir(), "compressionLevel": "1"}
	_, err := export(t, opts, bigRecords())
	var kept *exporters.KeptError
	if !errors.As(err, &kept) || !strings.Contains(err.Error(), ": part 2: UploadPart: InternalError: We encountered an internal error (the archive") {
		t.Fatalf("End: %v", err)
	}
	exportertest.CheckError(t, err)
	if left := srv.Left(t, "exports", "p/", ""); len(left) != 0 {
		t.Errorf("left on the server: %v", left)
	}
}
