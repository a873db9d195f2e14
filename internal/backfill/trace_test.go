package backfill

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/git-backfill/git-backfill/internal/git"
	"github.com/git-backfill/git-backfill/internal/trace2"
)

// traced returns a context whose trace2 events go to a file, and a
// function that ends the session and returns its data events as
// "category/key=value" and its regions as "enter label"/"leave label".
func traced(t *testing.T) (context.Context, func() []string) {
	t.Helper()
	file := filepath.Join(t.TempDir(), "trace")
	tr := trace2.Open([]string{"GIT_TRACE2_EVENT=" + file}, trace2.Options{})
	return trace2.NewContext(context.Background(), tr), func() []string {
		tr.Exit(0)
		f, err := os.Open(file)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		var out []string
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			var e struct{ Event, Category, Key, Value, Label string }
			if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
				t.Fatal(err)
			}
			switch e.Event {
			case "data":
				out = append(out, e.Category+"/"+e.Key+"="+e.Value)
			case "region_enter":
				out = append(out, "enter "+e.Label)
			case "region_leave":
				out = append(out, "leave "+e.Label)
			}
		}
		return out
	}
}

// TestFetcherTracesEachRequest: one promisor/fetch_count event per
// request, retries and bisection halves included, with the number of
// objects each asked for.
func TestFetcherTracesEachRequest(t *testing.T) {
	ctx, finish := traced(t)
	r := &fakeRemote{refuse: map[git.OID]bool{"b1-5": true}, failFirst: 1, got: map[git.OID]int{}}
	f := &fetcher{fetch: r.fetch, probe: r.probe, remote: "origin", retries: 2,
		backoff: time.Millisecond, counters: &Counters{}}
	f.start(ctx, 1)
	for _, b := range []batch{batchOf(1, 8), batchOf(2, 3)} {
		if err := f.submit(b); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.wait(); err != nil {
		t.Fatal(err)
	}
	var want, got []string
	for _, ids := range r.requests {
		want = append(want, "promisor/fetch_count="+strconv.Itoa(len(ids)))
	}
	got = finish()
	slices.Sort(want)
	slices.Sort(got)
	if len(r.requests) < 6 || !slices.Equal(got, want) {
		t.Fatalf("events %q, want one per request: %q", got, want)
	}
}

// TestRunTracesAsGit: a backfill's events are git's path-walk/paths (the
// paths walked: the root, each directory and each file path, as git's
// path-walk counts them) and one promisor/fetch_count per request, with
// the walk and the wait for the last fetches as regions.
func TestRunTracesAsGit(t *testing.T) {
	r, clone := blobless(t, "sha1", 12)
	b := newBackfiller(t, r, clone)
	server := filepath.Join(r.Dir, "server")
	paths := map[string]bool{}
	for _, c := range strings.Fields(r.Must("-C", server, "rev-list", "HEAD")) {
		for _, p := range strings.Split(strings.TrimSpace(r.Must("-C", server, "ls-tree", "-r", "-t", "--name-only", c)), "\n") {
			paths[p] = true
		}
	}
	inD1 := 0
	for p := range paths {
		if p == "d1" || strings.HasPrefix(p, "d1/") {
			inD1++
		}
	}

	ctx, finish := traced(t)
	req := request(1)
	req.Filter = prefix("d1/")
	st, err := b.Run(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	ctx2, finish2 := traced(t)
	st2, err := b.Run(ctx2, request(1))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		events []string
		st     Stats
		paths  int
	}{{finish(), st, 1 + inD1}, {finish2(), st2, 1 + len(paths)}} {
		var counts []string
		total := 0
		for _, e := range tc.events {
			if n, ok := strings.CutPrefix(e, "promisor/fetch_count="); ok {
				v, _ := strconv.Atoi(n)
				total += v
				counts = append(counts, e)
			}
		}
		if len(counts) != tc.st.Requests || total != tc.st.Blobs || tc.st.Requests == 0 {
			t.Errorf("%d fetch_count events for %d objects, want %d for %d", len(counts), total, tc.st.Requests, tc.st.Blobs)
		}
		rest := slices.DeleteFunc(slices.Clone(tc.events), func(e string) bool { return strings.HasPrefix(e, "promisor/") })
		want := []string{"enter walk", "path-walk/paths=" + strconv.Itoa(tc.paths), "leave walk", "enter fetch", "leave fetch"}
		if !slices.Equal(rest, want) {
			t.Errorf("events %q, want %q", rest, want)
		}
	}
}
