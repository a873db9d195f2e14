package git

import (
	"context"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/git-backfill/git-backfill/internal/gittest"
)

func TestRefsCommitsAndConfig(t *testing.T) {
	repo := gittest.New(t, []string{"a.txt", "d/b.txt"})
	repo.Must("-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-q", "--allow-empty", "-m", "empty")
	g := NewRunner(repo.Dir, repo.Env())
	ctx := context.Background()
	head := strings.TrimSpace(repo.Must("rev-parse", "HEAD"))
	first := strings.TrimSpace(repo.Must("rev-parse", "HEAD~1"))
	repo.Must("update-ref", "refs/remotes/origin/main", head)

	got, err := g.ExistingRefs(ctx, []string{"refs/remotes/origin/HEAD", "refs/remotes/origin/main", "refs/heads/nope"})
	if err != nil || !reflect.DeepEqual(got, []string{"refs/remotes/origin/main"}) {
		t.Fatalf("ExistingRefs = %v, %v", got, err)
	}
	if !g.HasCommit(ctx, "HEAD") || g.HasCommit(ctx, "refs/heads/nope") || g.HasCommit(ctx, "HEAD^{tree}") {
		t.Fatal("HasCommit answers wrongly")
	}
	all, err := g.ListCommits(ctx, CommitQuery{Revs: []string{"HEAD"}})
	if err != nil || !reflect.DeepEqual(all, []OID{OID(head), OID(first)}) {
		t.Fatalf("ListCommits = %v, %v", all, err)
	}
	touching, err := g.ListCommits(ctx, CommitQuery{Revs: []string{"HEAD"}, Pathspecs: []string{"d"}})
	if err != nil || !reflect.DeepEqual(touching, []OID{OID(first)}) {
		t.Fatalf("ListCommits -- d = %v, %v (the empty commit does not touch d)", touching, err)
	}
	if _, err := g.ListCommits(ctx, CommitQuery{Revs: []string{"no-such"}}); err == nil {
		t.Fatal("a bad revision must fail")
	}

	mirror := filepath.Join(t.TempDir(), "m.git")
	if err := g.CloneMirror(ctx, filepath.Join(repo.Dir, ".git"), mirror); err != nil {
		t.Fatal(err)
	}
	m := NewRunner(mirror, repo.Env())
	if !m.HasCommit(ctx, head) {
		t.Fatal("the mirror lacks HEAD")
	}
	if err := m.SetConfig(ctx, "gc.auto", "0"); err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{"+refs/a/*:refs/a/*", "+refs/b/*:refs/b/*"} {
		if err := m.AddConfig(ctx, "remote.up.fetch", v); err != nil {
			t.Fatal(err)
		}
	}
	if err := m.RemoveConfigSection(ctx, "remote.origin"); err != nil {
		t.Fatal(err)
	}
	cfg, err := m.Output(ctx, "config", "--local", "--list")
	if err != nil {
		t.Fatal(err)
	}
	out := string(cfg)
	if !strings.Contains(out, "gc.auto=0") || strings.Count(out, "remote.up.fetch=") != 2 || strings.Contains(out, "remote.origin") {
		t.Fatalf("mirror config:\n%s", out)
	}
}

func TestAlternateDirs(t *testing.T) {
	g := NewRunner("/work", []string{"GIT_ALTERNATE_OBJECT_DIRECTORIES=/a/objects:rel/objects"})
	if got := g.AlternateDirs(); !reflect.DeepEqual(got, []string{"/a/objects", "/work/rel/objects"}) {
		t.Fatalf("AlternateDirs = %q", got)
	}
	if got := NewRunner("/work", nil).AlternateDirs(); got != nil {
		t.Fatalf("no variable: %q", got)
	}
}
