package selection

import (
	"context"
	"errors"
	"io"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/git-backfill/git-backfill/internal/backfill"
	"github.com/git-backfill/git-backfill/internal/git"
	"github.com/git-backfill/git-backfill/internal/gittest"
)

// TestListedCommits: listed commits that are here are kept, missing ones
// fetched, and one the server does not have is skipped; order and
// de-duplication follow the list.
func TestListedCommits(t *testing.T) {
	server := gittest.New(t, []string{"a.txt"})
	commit := func(msg string) string {
		server.Must("-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-q", "--allow-empty", "-m", msg)
		return strings.TrimSpace(server.Must("rev-parse", "HEAD"))
	}
	first := strings.TrimSpace(server.Must("rev-parse", "HEAD"))
	second := commit("second")
	server.Must("config", "uploadpack.allowFilter", "true")
	server.Must("config", "uploadpack.allowAnySHA1InWant", "true")
	clone := filepath.Join(filepath.Dir(server.Dir), "clone")
	server.Must("clone", "-q", "--filter=blob:none", "--no-checkout", "file://"+server.Dir, clone)
	server.Must("checkout", "-q", "-b", "side")
	side := commit("side")
	absent := strings.Repeat("7", 40)

	g := git.NewRunner(clone, server.Env())
	repo, err := g.Discover(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	list := strings.Join([]string{"# handed over", side, first, absent, strings.ToUpper(second), side, ""}, "\n")
	got, err := ListedCommits(context.Background(), g, repo, strings.NewReader(list), "list", backfill.IDsRequest{
		Remote: "origin", Jobs: 1, Retries: 1, Filter: "blob:none", Backoff: time.Millisecond,
		StallTimeout: time.Minute, SilenceTimeout: 5 * time.Second, ProbeTimeout: 5 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := []git.OID{git.OID(side), git.OID(first), git.OID(second)}; !reflect.DeepEqual(got.Commits, want) {
		t.Errorf("commits %v, want %v", got.Commits, want)
	}
	if !reflect.DeepEqual(got.Skipped, []git.OID{git.OID(absent)}) {
		t.Errorf("skipped %v, want the absent id", got.Skipped)
	}
	if !g.HasCommit(context.Background(), side) {
		t.Error("the side commit was not fetched")
	}
	if _, err := ListedCommits(context.Background(), g, repo, strings.NewReader("not-an-id\n"), "list", backfill.IDsRequest{}); err == nil ||
		!strings.Contains(err.Error(), "list:1") {
		t.Errorf("a bad line: got %v, want an error naming list:1", err)
	}
}

// A listed annotated tag stands for its commit (a tag of that tag too);
// a tree's id is refused with its line, before any export work.
func TestListedTagsAndTrees(t *testing.T) {
	server := gittest.New(t, []string{"a.txt"})
	id := func(rev string) string { return strings.TrimSpace(server.Must("rev-parse", rev)) }
	head := id("HEAD")
	server.Must("-c", "user.name=T", "-c", "user.email=t@example.com", "tag", "-a", "-m", "v1", "v1")
	server.Must("-c", "user.name=T", "-c", "user.email=t@example.com", "tag", "-a", "-m", "of v1", "v1-again", "v1")
	tag, tagOfTag, tree := id("v1"), id("v1-again"), id("HEAD^{tree}")
	g := git.NewRunner(server.Dir, server.Env())
	repo, err := g.Discover(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	req := backfill.IDsRequest{Remote: "origin", Jobs: 1, Retries: 1, ProbeTimeout: 5 * time.Second}
	got, err := ListedCommits(context.Background(), g, repo, strings.NewReader(tagOfTag+"\n"+tag+"\n"+head+"\n"), "list", req)
	if err != nil {
		t.Fatal(err)
	}
	if want := []git.OID{git.OID(head)}; !reflect.DeepEqual(got.Commits, want) {
		t.Errorf("commits %v, want the tagged commit once", got.Commits)
	}
	_, err = ListedCommits(context.Background(), g, repo, strings.NewReader(head+"\n\n"+tree+"\n"), "list", req)
	if err == nil || err.Error() != "list:3: "+tree+" is a tree, not a commit" {
		t.Errorf("a tree: %v", err)
	}
}

// A list that never comes (a FIFO no one writes, a terminal) does not hold
// the run past its context.
func TestListedCommitsReadEndsWithContext(t *testing.T) {
	r, w := io.Pipe()
	defer w.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := ListedCommits(ctx, nil, nil, r, "fifo", backfill.IDsRequest{})
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 5*time.Second {
		t.Fatalf("%v after %v: want the context's end at once", err, time.Since(start))
	}
}
