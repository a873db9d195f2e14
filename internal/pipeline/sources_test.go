package pipeline

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/git-backfill/git-backfill/config"
	"github.com/git-backfill/git-backfill/internal/git"
	"github.com/git-backfill/git-backfill/internal/gittest"
)

// clone makes a clone of origin with the extra clone options, named name
// beside it, and returns it as a gittest repository sharing origin's
// environment.
func clone(t *testing.T, origin *gittest.Repo, name string, opts ...string) *gittest.Repo {
	t.Helper()
	// A server for partial clones, which lets clients ask for any object.
	origin.Must("config", "uploadpack.allowFilter", "true")
	origin.Must("config", "uploadpack.allowAnySHA1InWant", "true")
	dir := filepath.Join(filepath.Dir(origin.Dir), name)
	args := append([]string{"clone", "-q"}, opts...)
	origin.Must(append(args, "file://"+origin.Dir, dir)...)
	c := *origin
	c.Dir = dir
	return &c
}

// In a blobless clone the blobs the diffs read are fetched first, in one
// request, not one lazy fetch each.
func TestRunFetchesTheBlobsTheDiffsNeedFirst(t *testing.T) {
	origin, ids := history(t, 4)
	repo := clone(t, origin, "blobless", "--filter=blob:none", "--no-checkout")
	a := &recorder{}
	req := request(t, repo, map[string]*recorder{"a": a}, "a")
	var log bytes.Buffer
	req.Log = &log
	if _, err := Run(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(log.String(), "export: fetched 4 blobs the diffs need in 1 request") {
		t.Errorf("log:\n%s", log.String())
	}
	if len(a.records) != len(ids) || !strings.Contains(a.records[0], "version 3") {
		t.Errorf("records lack the diffs: %v", a.records)
	}
}

// Listed commits the remote does not have are skipped: the rest is
// exported and ended, and the export is partial.
func TestRunSkipsListedCommitsTheRemoteLacks(t *testing.T) {
	origin, ids := history(t, 3)
	repo := clone(t, origin, "full")
	a := &recorder{}
	req := request(t, repo, map[string]*recorder{"a": a}, "a")
	unknown := strings.Repeat("e", 40)
	req.Listed, req.ListedName = strings.NewReader(ids[0]+"\n"+unknown+"\n"+ids[2]+"\n"), "list.txt"
	sum, err := Run(context.Background(), req)
	var partial *PartialError
	if !errors.As(err, &partial) || !strings.Contains(partial.Msg, unknown) || !strings.Contains(partial.Msg, "1 commit listed could not be fetched and was skipped") {
		t.Fatalf("error %v, want a partial failure naming the unknown commit", err)
	}
	if !slices.Equal(sum.Skipped, []git.OID{git.OID(unknown)}) || sum.Records.SkippedCommits != 1 || !a.ended {
		t.Errorf("skipped %v, summary %+v, ended %v", sum.Skipped, sum.Records, a.ended)
	}
	if got := commitsOf(t, a.records); len(got) != 2 || !slices.Contains(got, ids[0]) || !slices.Contains(got, ids[2]) {
		t.Errorf("exported %v, want the two listed commits that exist", got)
	}
}

// A snapshot of a bare mirror is exported from and removed afterwards.
func TestRunExportsFromASnapshotAndRemovesIt(t *testing.T) {
	origin, ids := history(t, 3)
	mirror := clone(t, origin, "mirror.git", "--mirror")
	a := &recorder{}
	req := request(t, mirror, map[string]*recorder{"a": a}, "a")
	req.Snapshot = true
	var log bytes.Buffer
	req.Log = &log
	if _, err := Run(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	if len(a.records) != len(ids) || !strings.Contains(log.String(), "export: snapshot of "+mirror.Dir) {
		t.Errorf("%d records, log:\n%s", len(a.records), log.String())
	}
	left, err := filepath.Glob(mirror.Dir + ".backfill-snapshot-*")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range left {
		if !strings.HasSuffix(p, ".lock") {
			t.Errorf("snapshot left behind: %s", p)
		}
	}
}

func TestDestination(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "out"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		cfg  config.ExporterConfig
		want string
	}{
		{config.ExporterConfig{Type: "tar", Options: map[string]string{"output": "out"}}, "tar " + filepath.Join(dir, "out")},
		{config.ExporterConfig{Type: "tar", Options: map[string]string{"output": "out/x.tar.gz"}}, "tar " + filepath.Join(dir, "out")},
		{config.ExporterConfig{Type: "tar"}, "tar " + dir},
		{config.ExporterConfig{Type: "s3", Options: map[string]string{"Bucket": "b", "prefix": "p/"}}, "s3  s3://b/p/"},
		{config.ExporterConfig{Type: "s3"}, ""},
		{config.ExporterConfig{Type: "custom"}, ""},
	} {
		if got := destination(dir, tc.cfg); got != tc.want {
			t.Errorf("destination(%+v) = %q, want %q", tc.cfg, got, tc.want)
		}
	}
}

// Two exporters of one destination in an incremental export would wait
// for each other's lock: refused before anything is read.
func TestIncrementalRefusesTwoExportersOfOneDestination(t *testing.T) {
	repo, _ := history(t, 1)
	a, b := &recorder{have: []string{}}, &recorder{have: []string{}}
	req := incremental(t, repo, map[string]*recorder{"a": a, "b": b})
	for _, n := range []string{"a", "b"} {
		req.Exporters = append(req.Exporters, config.ExporterConfig{Name: n, Type: "tar", Options: map[string]string{"output": "same/"}})
	}
	_, err := Run(context.Background(), req)
	if err == nil || !strings.Contains(err.Error(), "exporters a and b export to the same destination") {
		t.Fatalf("error %v", err)
	}
	if a.aborted == "" || b.aborted == "" {
		t.Errorf("not aborted: a %q, b %q", a.aborted, b.aborted)
	}
}
