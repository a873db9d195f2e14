package git

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/git-backfill/git-backfill/internal/gittest"
)

func TestDiffTree(t *testing.T) {
	r := gittest.New(t, []string{"a.txt", "b.txt"})
	root := OID(strings.TrimSpace(r.Must("rev-parse", "HEAD")))
	r.Must("mv", "a.txt", "c.txt")
	r.Must("-c", "user.name=T", "-c", "user.email=t@x", "commit", "-q", "-m", "rename")
	second := OID(strings.TrimSpace(r.Must("rev-parse", "HEAD")))
	g := NewRunner(r.Dir, r.Env())
	ctx := context.Background()
	d, err := g.StartDiffTree(ctx, DiffOptions{Patch: true})
	if err != nil {
		t.Fatal(err)
	}
	pairs := []Pair{{root, ""}, {second, root}, {root, second}}
	var blocks []string
	err = d.Diff(pairs, func(i int, block []byte) error {
		blocks = append(blocks, string(block))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range pairs {
		want := r.Must("diff-tree", "--root", "--always", "-r", "--raw", "--numstat", "-p", "-M", "--full-index", string(p.Commit))
		if p.Base != "" {
			want = r.Must("diff-tree", "--always", "-r", "--raw", "--numstat", "-p", "-M", "--full-index", string(p.Base), string(p.Commit))
			want = string(p.Commit) + "\n" + want // with two trees given, diff-tree prints no id
		}
		if blocks[i] != want {
			t.Errorf("pair %d:\n got %q\nwant %q", i, blocks[i], want)
		}
	}
	// After fn fails, the process stays in step for the next batch.
	stop := errors.New("stop")
	if err := d.Diff(pairs, func(int, []byte) error { return stop }); err != stop {
		t.Fatalf("fn error: got %v", err)
	}
	var again string
	if err := d.Diff(pairs[1:2], func(_ int, b []byte) error { again = string(b); return nil }); err != nil || again != blocks[1] {
		t.Fatalf("after an fn error: %q, %v", again, err)
	}
	// A commit that is not there: git says so on stderr and goes on.
	missing := OID(strings.Repeat("e", 40))
	err = d.Diff([]Pair{{missing, root}}, func(_ int, b []byte) error {
		_, err := ParseDiff(missing, b)
		return err
	})
	if err == nil || !strings.Contains(err.Error(), "no output for "+string(missing)) {
		t.Fatalf("a missing commit: got %v", err)
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestDiffTreeFailure(t *testing.T) {
	r := gittest.New(t, []string{"a.txt"})
	g := NewRunner(r.Dir, r.Env())
	d, err := g.StartDiffTree(context.Background(), DiffOptions{Pathspecs: []string{":(bad-magic)x"}})
	if err != nil {
		t.Fatal(err)
	}
	head := OID(strings.TrimSpace(r.Must("rev-parse", "HEAD")))
	err = d.Diff([]Pair{{head, ""}}, func(int, []byte) error { return nil })
	var gerr *Error
	if !errors.As(err, &gerr) || !strings.Contains(gerr.Message(), "bad-magic") || gerr.Args[0] != "diff-tree" {
		t.Fatalf("want git's error about the pathspec, got %v", err)
	}
	_ = d.Close()
}
