package backfill

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/git-backfill/git-backfill/internal/git"
	"github.com/git-backfill/git-backfill/internal/pathwalk"
)

// treeless clones the blobless fixture's server again with --filter=tree:0.
// The count returned is of the objects git knows to be missing, below
// the given paths (all when none); -1 when git cannot even walk them
// (their trees are missing).
func treeless(t *testing.T, commits int) (*Backfiller, func(paths ...string) int, string) {
	t.Helper()
	r, clone := blobless(t, "sha1", commits)
	tl := filepath.Join(filepath.Dir(clone), "treeless")
	r.Must("clone", "-q", "--filter=tree:0", "--no-checkout", "file://"+filepath.Join(r.Dir, "server"), tl)
	missing := func(paths ...string) int {
		args := append([]string{"-C", tl, "rev-list", "--objects", "--missing=print", "HEAD", "--"}, paths...)
		out, _, err := r.Run(args...)
		if err != nil {
			return -1
		}
		return strings.Count(out, "?")
	}
	return newBackfiller(t, r, tl), missing, tl
}

// TestRunTreeless: in a treeless clone the trees come first, in batches,
// then every blob; nothing is left missing and git fetched nothing alone.
func TestRunTreeless(t *testing.T) {
	b, missing, dir := treeless(t, 12)
	if missing() == 0 {
		t.Fatal("the treeless clone lacks nothing")
	}
	st, err := b.Run(context.Background(), request(2))
	if err != nil {
		t.Fatal(err)
	}
	if st.Trees == 0 || st.Blobs == 0 || len(st.Failed) != 0 {
		t.Fatalf("%+v: want trees, then blobs", st)
	}
	if n := missing(); n != 0 {
		t.Fatalf("%d objects still missing", n)
	}
	promisor, _ := filepath.Glob(filepath.Join(dir, ".git", "objects", "pack", "*.promisor"))
	if len(promisor) != 1+st.Requests {
		t.Fatalf("%d promisor packs after %d requests: git fetched objects on its own", len(promisor), st.Requests)
	}
}

type prefix string

func (p prefix) Dir(path string) pathwalk.Match {
	switch {
	case strings.HasPrefix(path+"/", string(p)):
		return pathwalk.Included
	case strings.HasPrefix(string(p), path+"/"):
		return pathwalk.Partial
	}
	return pathwalk.Excluded
}
func (p prefix) File(path string) bool { return strings.HasPrefix(path, string(p)) }

// TestRunTreelessFiltered: with a path filter, trees are fetched a level at
// a time and only inside the filter, and only the filter's blobs arrive.
func TestRunTreelessFiltered(t *testing.T) {
	b, missing, _ := treeless(t, 12)
	req := request(1)
	req.Filter = prefix("d1/")
	st, err := b.Run(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if st.Trees == 0 || st.Blobs == 0 || st.Requests < 3 {
		t.Fatalf("%+v: want trees level by level (root, d1, d1/e*) then blobs", st)
	}
	if n := missing("d1"); n != 0 {
		t.Fatalf("%d objects of d1's history still missing", n)
	}
	if n := missing("d2"); n == 0 {
		t.Fatal("d2's history was fetched too, outside the filter")
	}
}

// TestRunEdges: a range's boundary commits are walked too, but not a
// parent that only a limiting option (-n) cut off.
func TestRunEdges(t *testing.T) {
	r, clone := blobless(t, "sha1", 10)
	b := newBackfiller(t, r, clone)
	for _, tc := range []struct {
		revs, rangeRevs []string
		commits         int
	}{
		{[]string{"HEAD~3..HEAD"}, []string{"HEAD~3..HEAD"}, 4},
		{[]string{"-n", "2", "HEAD"}, []string{"HEAD"}, 2},
		{[]string{"-n", "2", "HEAD~5..HEAD"}, []string{"HEAD~5..HEAD"}, 2},
	} {
		req := request(1)
		req.Revs, req.RangeRevs, req.IncludeEdges = tc.revs, tc.rangeRevs, true
		req.DryRun, req.Plan = true, &bytes.Buffer{}
		st, err := b.Run(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		if st.Commits != tc.commits {
			t.Errorf("%q: %d commits walked, want %d", tc.revs, st.Commits, tc.commits)
		}
	}
	req := request(1)
	req.Revs, req.RangeRevs = []string{"no-such-rev"}, []string{"no-such-rev"}
	if _, err := b.Run(context.Background(), req); err == nil || !strings.Contains(err.Error(), "no-such-rev") {
		t.Fatalf("a bad revision: got %v", err)
	}
}

// TestFetchIDs fetches listed commits the clone lacks; an id the server
// does not have is isolated and reported, the rest land.
func TestFetchIDs(t *testing.T) {
	r, clone := blobless(t, "sha1", 3)
	r.Must("-C", "server", "checkout", "-q", "-b", "side")
	r.Must("-C", "server", "-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-q", "--allow-empty", "-m", "side")
	side := strings.TrimSpace(r.Must("-C", "server", "rev-parse", "side"))
	absent := strings.Repeat("7", 40)
	b := newBackfiller(t, r, clone)
	req := request(1)
	failed, requests, err := b.FetchIDs(context.Background(), IDsRequest{
		Remote: "origin", IDs: []git.OID{git.OID(side), git.OID(absent)}, ChunkSize: 10, Jobs: 1, Retries: 1, Negotiate: true,
		Backoff: req.Backoff, StallTimeout: req.StallTimeout, SilenceTimeout: req.SilenceTimeout, ProbeTimeout: req.ProbeTimeout,
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(failed) != 1 || failed[0].ID != git.OID(absent) || requests < 2 {
		t.Fatalf("failed %+v after %d requests: want only the absent id, isolated by bisection", failed, requests)
	}
	if _, _, err := r.Run("-C", clone, "cat-file", "-e", side); err != nil {
		t.Fatalf("the side commit did not arrive: %v", err)
	}
}
