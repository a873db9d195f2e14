//go:build versitygw

package parquet

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	s3api "github.com/aws/aws-sdk-go-v2/service/s3"
	pq "github.com/parquet-go/parquet-go"

	"github.com/git-backfill/git-backfill/exporters"
	"github.com/git-backfill/git-backfill/exporters/archive"
	"github.com/git-backfill/git-backfill/exporters/exportertest"
	"github.com/git-backfill/git-backfill/exporters/manifest"
	"github.com/git-backfill/git-backfill/exporters/s3/s3test"
)

// TestS3 runs the conformance suite against a real S3-compatible server.
func TestS3(t *testing.T) {
	srv := s3test.StartServer(t)
	srv.Bucket("lake")
	s3test.AWSEnv(t, s3test.AccessKey, s3test.SecretKey)
	var prefix string
	runs := 0
	exportertest.Run(t, exportertest.Config{
		New: func(t *testing.T) (exporters.Exporter, map[string]string) {
			runs++
			prefix = fmt.Sprintf("run%d/", runs)
			return New(), map[string]string{"bucket": "lake", "prefix": prefix, "endpoint": srv.URL(), "repository": "conformance"}
		},
		Read: func(t *testing.T, res exporters.Result) [][]byte { return readS3(t, srv, res.Location) },
		Leftovers: func(t *testing.T, res exporters.Result) []string {
			return append(s3Leftovers(t, srv, prefix, res.Location), spoolLeftovers(t)...)
		},
		BadOptions: map[string]map[string]string{
			"missing bucket": {"bucket": "nonexistent", "endpoint": srv.URL()},
			"no server":      {"bucket": "lake", "endpoint": "http://127.0.0.1:1"},
		},
		Break:       func(t *testing.T) func() { srv.Stop(); return srv.Start },
		Incremental: true,
	})

	// Partitions and the manifest, as keys.
	opts := map[string]string{"bucket": "lake", "prefix": "inc/", "endpoint": srv.URL(), "repository": "r"}
	e := New().(*Exporter)
	if err := e.Configure(t.Context(), opts); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Manifest(t.Context()); err != nil {
		t.Fatal(err)
	}
	recs := [][]byte{rec(1, "2025-12-31T23:00:00+00:00", false), rec(2, "2026-01-02T00:00:00+00:00", true)}
	if err := e.Begin(t.Context(), exportertest.Metadata()); err != nil {
		t.Fatal(err)
	}
	if err := e.Write(t.Context(), recs); err != nil {
		t.Fatal(err)
	}
	sum := exportertest.Summary(recs)
	sum.Commits = []string{fmt.Sprintf("%040x", 1), fmt.Sprintf("%040x", 2)}
	res, err := e.End(t.Context(), sum)
	if err != nil {
		t.Fatal(err)
	}
	if res.Location != "s3://lake/inc/repository=r/" {
		t.Errorf("Location %s", res.Location)
	}
	keys := listKeys(t, srv, "inc/")
	want := []string{
		"inc/repository=r/" + manifest.File,
		"inc/repository=r/year=2025/month=12/part-20261122T031500Z-00001.parquet",
		"inc/repository=r/year=2026/month=01/part-20261122T031500Z-00002.parquet",
	}
	if !slices.Equal(keys, want) {
		t.Errorf("keys %q, want %q", keys, want)
	}
	m, err := manifest.Parse(srv.Get(t, "s3://lake/inc/repository=r/"+manifest.File))
	if err != nil || len(m.Archives) != 2 || m.Archives[0].Name != "year=2025/month=12/part-20261122T031500Z-00001.parquet" {
		t.Errorf("manifest %+v, %v", m, err)
	}
}

// readS3 reads the part files under an s3:// location, in key order.
func readS3(t *testing.T, srv *s3test.Server, location string) [][]byte {
	t.Helper()
	bucket, prefix, _ := strings.Cut(strings.TrimPrefix(location, "s3://"), "/")
	var recs [][]byte
	for _, key := range listKeys(t, srv, prefix) {
		if !strings.HasPrefix(path.Base(key), "part-") {
			continue
		}
		data := srv.Get(t, "s3://"+bucket+"/"+key)
		rows, err := pq.Read[row](bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatalf("reading %s: %v", key, err)
		}
		for _, r := range rows {
			b, err := json.Marshal(r.record())
			if err != nil {
				t.Fatal(err)
			}
			recs = append(recs, b)
		}
	}
	return recs
}

// listKeys lists the keys of bucket lake under prefix, sorted.
func listKeys(t *testing.T, srv *s3test.Server, prefix string) []string {
	t.Helper()
	out, err := srv.Client().ListObjectsV2(t.Context(), &s3api.ListObjectsV2Input{Bucket: aws.String("lake"), Prefix: aws.String(prefix)})
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, o := range out.Contents {
		keys = append(keys, *o.Key)
	}
	slices.Sort(keys)
	return keys
}

// s3Leftovers lists what is under prefix apart from the parts and the
// manifest under location, and unfinished uploads.
func s3Leftovers(t *testing.T, srv *s3test.Server, prefix, location string) []string {
	t.Helper()
	var left []string
	for _, l := range srv.Left(t, "lake", prefix, "") {
		keep := location != "" && strings.HasPrefix(l, location) &&
			(strings.HasPrefix(path.Base(l), "part-") || path.Base(l) == manifest.File)
		if !keep {
			left = append(left, l)
		}
	}
	return left
}

// spoolLeftovers lists the suite's part files left in the local spool.
func spoolLeftovers(t *testing.T) []string {
	t.Helper()
	dir, err := archive.PrivateDir()
	if err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var left []string
	for _, e := range entries {
		if strings.Contains(e.Name(), "part-20261122T031500Z") {
			left = append(left, e.Name())
		}
	}
	return left
}
