package t

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	s3api "github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/rogpeppe/go-internal/testscript"

	"github.com/git-backfill/git-backfill/exporters/archive"
	"github.com/git-backfill/git-backfill/exporters/manifest"
)

// manifest <dir> <rev-list argument>...
//
// Checks an incremental export's destination: dir (a tar output
// directory, or the directory versitygw keeps an S3 prefix in) holds a
// valid backfill-manifest.json listing exactly the commits that
// `git rev-list <args>` prints, each once; every archive it lists is in
// dir and holds the commits listed for it; every archive's metadata.json
// counts its own records; and over all the archives in dir, every commit
// was exported exactly once.
func cmdManifest(ts *testscript.TestScript, neg bool, args []string) {
	noNeg(ts, neg, "manifest")
	if len(args) < 2 {
		ts.Fatalf("usage: manifest <dir> <rev-list argument>...")
	}
	dir := ts.MkAbs(args[0])
	data, err := os.ReadFile(filepath.Join(dir, manifest.File))
	ts.Check(err)
	m, err := manifest.Parse(data)
	if err != nil {
		ts.Fatalf("manifest: %v", err)
	}
	want := strings.Fields(git(ts, append([]string{"rev-list"}, args[1:]...)...))
	got := m.Commits()
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		ts.Fatalf("manifest lists %d commits, git rev-list %s prints %d (or other ones)", len(got), strings.Join(args[1:], " "), len(want))
	}
	archives, err := filepath.Glob(filepath.Join(dir, "*"+archive.Ext))
	ts.Check(err)
	where := map[string]string{} // commit -> archive holding it
	for _, a := range archives {
		recs, err := archive.ReadRecords(a)
		if err != nil {
			ts.Fatalf("manifest: reading %s: %v", a, err)
		}
		r, err := archive.Open(a)
		if err != nil {
			ts.Fatalf("manifest: %v", err)
		}
		if r.Info.CommitCount != int64(len(recs)) {
			ts.Fatalf("manifest: %s: metadata.json says %d commits, it holds %d", filepath.Base(a), r.Info.CommitCount, len(recs))
		}
		r.Close()
		for _, rec := range recs {
			var r struct {
				CommitSHA string `json:"commit_sha"`
			}
			if err := json.Unmarshal(rec, &r); err != nil {
				ts.Fatalf("manifest: %s: %v", a, err)
			}
			if prev, ok := where[r.CommitSHA]; ok {
				ts.Fatalf("manifest: commit %s was exported twice, in %s and %s", r.CommitSHA, filepath.Base(prev), filepath.Base(a))
			}
			where[r.CommitSHA] = a
		}
	}
	for _, a := range m.Archives {
		for _, c := range a.Commits {
			if filepath.Base(where[c]) != a.Name {
				ts.Fatalf("manifest: commit %s is listed under %s but is in %q", c, a.Name, where[c])
			}
		}
	}
	if len(where) != len(want) {
		ts.Fatalf("manifest: the archives hold %d commits, the manifest lists %d", len(where), len(want))
	}
	ts.Logf("manifest: %d commits, each once, in %d archive(s)", len(want), len(m.Archives))
}

// s3put <bucket> <key> <file>: uploads file to the versitygw that
// `versitygw start` runs, through the S3 API (a file written into its
// directory directly would fail its checksums).
func cmdS3put(ts *testscript.TestScript, neg bool, args []string) {
	noNeg(ts, neg, "s3put")
	if len(args) != 3 {
		ts.Fatalf("usage: s3put <bucket> <key> <file>")
	}
	data, err := os.ReadFile(ts.MkAbs(args[2]))
	ts.Check(err)
	client := s3api.New(s3api.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String("http://127.0.0.1:" + ts.Getenv("S3_PORT")),
		UsePathStyle: true,
		Credentials:  credentials.NewStaticCredentialsProvider(s3AccessKey, s3SecretKey, ""),
	})
	_, err = client.PutObject(context.Background(), &s3api.PutObjectInput{
		Bucket: aws.String(args[0]), Key: aws.String(args[1]), Body: bytes.NewReader(data),
	})
	if err != nil {
		ts.Fatalf("s3put: %v", err)
	}
}
