//go:build versitygw

package s3

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	s3api "github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/git-backfill/git-backfill/exporters/s3/s3test"
)

// manifestDestination is a destination on a fresh versitygw bucket.
func manifestDestination(t *testing.T) *destination {
	srv := s3test.StartServer(t)
	srv.Bucket("manifests")
	s3test.AWSEnv(t, s3test.AccessKey, s3test.SecretKey)
	d, _, err := readOptions(t.Context(), map[string]string{"bucket": "manifests", "prefix": "p/", "endpoint": srv.URL()})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func id(s string, i int) string { return fmt.Sprintf("%s%039x", s, i) }

// TestUpdateManifestConcurrently has writers race, each with commits of
// its own and commits all share: no update is lost, every commit is
// listed once.
func TestUpdateManifestConcurrently(t *testing.T) {
	d := manifestDestination(t)
	const writers = 8
	var wg sync.WaitGroup
	errs := make([]error, writers)
	for w := range writers {
		wg.Go(func() {
			commits := []string{id("a", w), id("b", w), id("c", 0), id("c", 1)}
			_, errs[w] = d.updateManifest(t.Context(), fmt.Sprintf("p/archive-%d.tar.gz", w), time.Now(), commits, false)
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	m, _, err := d.readManifest(t.Context())
	if err != nil || m == nil {
		t.Fatalf("manifest: %v, %v", m, err)
	}
	var want []string
	for w := range writers {
		want = append(want, id("a", w), id("b", w))
	}
	want = append(want, id("c", 0), id("c", 1))
	got := m.Commits()
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("manifest lists %d commits, want %d:\n%v", len(got), len(want), got)
	}
	if len(m.Archives) != writers {
		t.Errorf("%d archives listed, want %d", len(m.Archives), writers)
	}
}

func TestUpdateManifestReportsNothingNew(t *testing.T) {
	d := manifestDestination(t)
	commits := []string{id("a", 1), id("a", 2)}
	if nothingNew, err := d.updateManifest(t.Context(), "p/one.tar.gz", time.Now(), commits, false); err != nil || nothingNew {
		t.Fatalf("first: %v, %v", nothingNew, err)
	}
	if nothingNew, err := d.updateManifest(t.Context(), "p/two.tar.gz", time.Now(), commits, false); err != nil || !nothingNew {
		t.Fatalf("second: nothingNew %v, %v", nothingNew, err)
	}
}

func TestUpdateManifestReplacesOnlyAKnownCorruptManifest(t *testing.T) {
	d := manifestDestination(t)
	garbage := []byte(`{"manifest_version": 1, "archives": [`)
	if err := d.put(t.Context(), d.manifestKey(), garbage, nil, nil); err != nil {
		t.Fatal(err)
	}
	commits := []string{id("a", 1)}
	// Read fine at the start, corrupt at the end: not this export's to fix.
	if _, err := d.updateManifest(t.Context(), "p/one.tar.gz", time.Now(), commits, false); err == nil {
		t.Fatal("a manifest that became corrupt was replaced")
	}
	if _, err := d.updateManifest(t.Context(), "p/one.tar.gz", time.Now(), commits, true); err != nil {
		t.Fatal(err)
	}
	m, _, err := d.readManifest(t.Context())
	if err != nil || !slices.Equal(m.Commits(), commits) {
		t.Fatalf("manifest %v, %v", m, err)
	}
	out, err := d.client.ListObjectsV2(t.Context(), &s3api.ListObjectsV2Input{Bucket: aws.String("manifests"), Prefix: aws.String("p/backfill-manifest.json.corrupt-")})
	if err != nil || len(out.Contents) != 1 {
		t.Fatalf("copies aside: %v, %v", out, err)
	}
	aside, err := d.client.GetObject(t.Context(), &s3api.GetObjectInput{Bucket: aws.String("manifests"), Key: out.Contents[0].Key})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	b.ReadFrom(aside.Body)
	aside.Body.Close()
	if !bytes.Equal(b.Bytes(), garbage) {
		t.Errorf("aside %q, want %q", b.Bytes(), garbage)
	}
}

func TestSendNewNeverReplaces(t *testing.T) {
	d := manifestDestination(t)
	path := t.TempDir() + "/backfill-r-20261202T130000Z.tar.gz"
	if err := writeFile(path, "one"); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for range 3 {
		key, err := d.sendNew(t.Context(), path)
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, strings.TrimPrefix(key, "p/"))
	}
	want := []string{"backfill-r-20261202T130000Z.tar.gz", "backfill-r-20261202T130000Z-2.tar.gz", "backfill-r-20261202T130000Z-3.tar.gz"}
	if !slices.Equal(keys, want) {
		t.Errorf("keys %v, want %v", keys, want)
	}
}

func writeFile(path, content string) error { return os.WriteFile(path, []byte(content), 0o644) }

// TestUpdateManifestIsIdempotent: a retry of an update whose response was
// lost finds its archive listed, which is success, not "nothing new"
// (that would delete the listed archive).
func TestUpdateManifestIsIdempotent(t *testing.T) {
	d := manifestDestination(t)
	commits := []string{id("a", 1)}
	for i := range 2 {
		nothingNew, err := d.updateManifest(t.Context(), "p/one.tar.gz", time.Now(), commits, false)
		if err != nil || nothingNew {
			t.Fatalf("update %d: nothingNew %v, %v", i+1, nothingNew, err)
		}
	}
	m, _, err := d.readManifest(t.Context())
	if err != nil || len(m.Archives) != 1 {
		t.Fatalf("manifest %+v, %v", m, err)
	}
}

// TestUploadTokenRecognisesOurUpload: the token sendNew gives an upload
// is read back, so a completion retried after a lost response is known as
// ours.
func TestUploadTokenRecognisesOurUpload(t *testing.T) {
	d := manifestDestination(t)
	path := t.TempDir() + "/a.tar.gz"
	if err := writeFile(path, "archive"); err != nil {
		t.Fatal(err)
	}
	if err := d.multipart(t.Context(), path, "p/a.tar.gz", "token123"); err != nil {
		t.Fatal(err)
	}
	if found, got := d.head(t.Context(), "p/a.tar.gz"); !found || got != "token123" {
		t.Errorf("head = %v, %q", found, got)
	}
	// A second upload to the taken key is refused as a lost race.
	err := d.multipart(t.Context(), path, "p/a.tar.gz", "other")
	var api *apiError
	if !errors.As(err, &api) || !lostRace(api.err) {
		t.Errorf("second upload: %v", err)
	}
}

// TestUpdateEntriesIsIdempotent: retried after a lost response, an update
// of several archives whose first had nothing new reports only that one
// as such; the archives the first try listed are delivered, not "nothing
// new" (their files would be removed while the manifest lists them).
func TestUpdateEntriesIsIdempotent(t *testing.T) {
	d := manifestDestination(t)
	if _, err := d.updateManifest(t.Context(), "p/old.tar.gz", time.Now(), []string{id("a", 1)}, false); err != nil {
		t.Fatal(err)
	}
	entries := []ManifestEntry{{Name: "stale.parquet", Commits: []string{id("a", 1)}}, {Name: "new.parquet", Commits: []string{id("b", 2)}}}
	for i := range 2 {
		stale, err := d.updateEntries(t.Context(), time.Now(), entries, false)
		if err != nil || !slices.Equal(stale, []string{"stale.parquet"}) {
			t.Fatalf("update %d: nothing new in %q, %v; want only stale.parquet", i+1, stale, err)
		}
	}
	m, _, err := d.readManifest(t.Context())
	if err != nil || !m.Lists("new.parquet") || m.Lists("stale.parquet") {
		t.Fatalf("manifest %+v, %v", m, err)
	}
}
