package backfill

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/git-backfill/git-backfill/internal/git"
	"github.com/git-backfill/git-backfill/internal/gittest"
)

// blobless makes a server repository in the given object format with a
// history of commits that each change a few files in nested directories,
// and a blobless clone of it. It returns the clone's directory.
func blobless(t *testing.T, format string, commits int) (*gittest.Repo, string) {
	t.Helper()
	r := gittest.New(t, nil)
	r.Must("init", "-q", "--object-format="+format, "server")
	server := filepath.Join(r.Dir, "server")
	for c := range commits {
		for i := range 3 {
			p := filepath.Join(server, fmt.Sprintf("d%d/e%d/f%d.txt", (c+i)%4, i%2, (c*3+i)%7))
			_ = os.MkdirAll(filepath.Dir(p), 0o755)
			if err := os.WriteFile(p, []byte(fmt.Sprintf("commit %d file %d\n", c, i)), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		r.Must("-C", "server", "add", "-A")
		r.Must("-C", "server", "-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-q", "-m", fmt.Sprint(c))
	}
	r.Must("-C", "server", "config", "uploadpack.allowFilter", "true")
	r.Must("-C", "server", "config", "uploadpack.allowAnySHA1InWant", "true")
	clone := filepath.Join(r.Dir, "clone")
	r.Must("clone", "-q", "--filter=blob:none", "--no-checkout", "file://"+server, clone)
	return r, clone
}

func missingBlobs(r *gittest.Repo, clone string) int {
	return strings.Count(r.Must("-C", clone, "rev-list", "--objects", "--missing=print", "HEAD"), "?")
}

func newBackfiller(t *testing.T, r *gittest.Repo, dir string) *Backfiller {
	t.Helper()
	runner := git.NewRunner(dir, r.Env())
	repo, err := runner.Discover(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return &Backfiller{Git: runner, Repo: repo}
}

func request(readers int) Request {
	return Request{Revs: []string{"HEAD"}, RangeRevs: []string{"HEAD"}, Remote: "origin",
		MinBatchSize: 25, Jobs: 2, Retries: 1, Backoff: time.Millisecond, StallTimeout: time.Minute,
		SilenceTimeout: 5 * time.Second, ProbeTimeout: 5 * time.Second, Readers: readers}
}

// TestRunFetchesWhatGitSaysIsMissing runs whole backfills against a real
// server in both object formats: the dry run plans exactly the blobs git
// reports missing, the run fetches them in one request per batch, and a
// re-run finds nothing.
func TestRunFetchesWhatGitSaysIsMissing(t *testing.T) {
	for _, format := range []string{"sha1", "sha256"} {
		t.Run(format, func(t *testing.T) {
			r, clone := blobless(t, format, 40)
			want := missingBlobs(r, clone)
			if want < 50 {
				t.Fatalf("the clone lacks only %d blobs", want)
			}
			b := newBackfiller(t, r, clone)
			if b.Repo.ObjectFormat != format {
				t.Fatalf("repository format %s, want %s", b.Repo.ObjectFormat, format)
			}
			var plan bytes.Buffer
			req := request(2)
			req.DryRun, req.Plan = true, &plan
			st, err := b.Run(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			if st.Blobs != want || st.Missing != want || st.Commits != 40 {
				t.Fatalf("dry run: %+v, want %d blobs of 40 commits", st, want)
			}
			planned := 0
			for _, m := range regexp.MustCompile(`(?m)^\t(\d+)\t`).FindAllStringSubmatch(plan.String(), -1) {
				var n int
				fmt.Sscan(m[1], &n)
				planned += n
			}
			if planned != want {
				t.Fatalf("the plan lists %d blobs, want %d:\n%s", planned, want, plan.String())
			}
			if got := missingBlobs(r, clone); got != want {
				t.Fatalf("a dry run fetched something: %d missing, was %d", got, want)
			}

			st, err = b.Run(context.Background(), request(2))
			if err != nil {
				t.Fatal(err)
			}
			if st.Blobs != want || st.Requests != st.Batches || st.Batches < 2 {
				t.Fatalf("run: %+v, want %d blobs in one request per batch", st, want)
			}
			promisor, _ := filepath.Glob(filepath.Join(clone, ".git", "objects", "pack", "*.promisor"))
			if len(promisor) != 1+st.Requests { // the clone's own pack, then one per request
				t.Fatalf("%d promisor packs after %d requests: git fetched objects on its own", len(promisor), st.Requests)
			}
			if got := missingBlobs(r, clone); got != 0 {
				t.Fatalf("%d blobs still missing", got)
			}
			st, err = b.Run(context.Background(), request(2))
			if err != nil || st.Missing != 0 || st.Requests != 0 {
				t.Fatalf("re-run: %+v, %v; want nothing missing", st, err)
			}
		})
	}
}

// TestRunSameBatchesWithAnyReaders: the batches do not depend on how many
// processes read trees.
func TestRunSameBatchesWithAnyReaders(t *testing.T) {
	r, clone := blobless(t, "sha1", 60)
	b := newBackfiller(t, r, clone)
	var plans []string
	for _, readers := range []int{1, 2, 4} {
		var plan bytes.Buffer
		req := request(readers)
		req.DryRun, req.Plan = true, &plan
		if _, err := b.Run(context.Background(), req); err != nil {
			t.Fatal(err)
		}
		plans = append(plans, plan.String())
	}
	if plans[0] == "" || plans[0] != plans[1] || plans[0] != plans[2] {
		t.Fatalf("plans differ by number of readers:\n%s\n---\n%s\n---\n%s", plans[0], plans[1], plans[2])
	}
}

// TestForDiffsUsesTheObjectStore: blobs first fetches exactly the missing
// blobs of the pairs' diffs, without any lazy fetch.
func TestForDiffsUsesTheObjectStore(t *testing.T) {
	r, clone := blobless(t, "sha1", 10)
	b := newBackfiller(t, r, clone)
	head := git.OID(strings.TrimSpace(r.Must("-C", clone, "rev-parse", "HEAD")))
	parent := git.OID(strings.TrimSpace(r.Must("-C", clone, "rev-parse", "HEAD~1")))
	st, err := b.ForDiffs(context.Background(), request(1), []git.Pair{{Commit: head, Base: parent}})
	if err != nil {
		t.Fatal(err)
	}
	// Three files changed: their old and new versions, less any old
	// version shared with the new side.
	if st.Blobs < 3 || st.Blobs != st.Missing || st.Requests != 1 {
		t.Fatalf("%+v: want the changed files' blobs in one request", st)
	}
	if _, err := b.ForDiffs(context.Background(), request(1), []git.Pair{{Commit: head, Base: parent}}); err != nil {
		t.Fatal(err)
	}
	promisor, _ := filepath.Glob(filepath.Join(clone, ".git", "objects", "pack", "*.promisor"))
	if len(promisor) != 2 {
		t.Fatalf("%d promisor packs: the second call fetched again, or git fetched lazily", len(promisor))
	}
}
