package export

import (
	"context"
	"strings"
	"testing"
)

// branchyFixture has feature branches merged and unmerged, a branch off a
// branch, a branch that merged main in, a merged history with its own root,
// a branch off that history and an unrelated orphan branch.
func branchyFixture(t *testing.T) *fixture {
	f := newFixture(t)
	step := func(name string) string {
		f.write(name+".txt", name+"\n")
		return f.commit(name + "\n")
	}
	step("m1")
	f.Must("checkout", "-q", "-b", "a")
	step("a1")
	f.Must("checkout", "-q", "-b", "c")
	step("c1")
	f.Must("checkout", "-q", "a")
	step("a2")
	f.Must("checkout", "-q", "main")
	step("m2")
	f.Must("checkout", "-q", "-b", "b")
	step("b1")
	f.Must("checkout", "-q", "main")
	f.merge("a")
	step("m4")
	f.Must("checkout", "-q", "b")
	f.merge("main")
	step("b3")
	f.Must("checkout", "-q", "--orphan", "u")
	f.Must("rm", "-rfq", ".")
	step("u1")
	step("u2")
	f.Must("checkout", "-q", "-b", "d")
	step("d1")
	// d2 merges u1, an ancestor of u2: two join points, one merge base.
	tree, u1 := strings.TrimSpace(f.Must("rev-parse", "HEAD^{tree}")), strings.TrimSpace(f.Must("rev-parse", "u~"))
	d2 := f.run(nil, identity, "commit-tree", tree, "-p", "HEAD", "-p", u1, "-m", "d2")
	f.Must("update-ref", "refs/heads/d", strings.TrimSpace(d2))
	f.Must("checkout", "-q", "-f", "main")
	f.merge("u", "--allow-unrelated-histories")
	step("m6")
	f.Must("checkout", "-q", "--orphan", "o")
	f.Must("rm", "-rfq", ".")
	step("o1")
	f.Must("checkout", "-q", "-f", "main")
	return f
}

var identity = []string{"GIT_AUTHOR_NAME=M", "GIT_AUTHOR_EMAIL=m@x", "GIT_COMMITTER_NAME=M", "GIT_COMMITTER_EMAIL=m@x"}

func (f *fixture) merge(branch string, opts ...string) {
	f.t.Helper()
	args := append([]string{"merge", "-q", "--no-ff", "-m", "Merge " + branch}, opts...)
	f.run(nil, identity, append(args, branch)...)
}

// referenceBase is the fork-point rule run the slow way, one git command
// at a time, straight from its definition.
func referenceBase(f *fixture, chain []string, c string) string {
	firstParent := func() string {
		ps := strings.Fields(f.Must("show", "-s", "--format=%P", c))
		if len(ps) == 0 {
			return ""
		}
		return ps[0]
	}
	for _, id := range chain {
		if id == c {
			return firstParent()
		}
	}
	if out, _, err := f.Run("merge-base", "--fork-point", "refs/heads/main", c); err == nil && strings.TrimSpace(out) != c {
		return strings.TrimSpace(out)
	}
	for _, id := range chain {
		if _, _, err := f.Run("merge-base", "--is-ancestor", id, c); err == nil {
			return id
		}
	}
	if out, _, err := f.Run("merge-base", "refs/heads/main", c); err == nil && strings.TrimSpace(out) != c {
		return strings.TrimSpace(out)
	}
	return firstParent()
}

func checkBases(t *testing.T, f *fixture, want map[string]string) {
	t.Helper()
	commits := f.allCommits("--all")
	chain := strings.Fields(f.Must("rev-list", "--first-parent", "main"))
	pairs, err := Bases(context.Background(), f.runner(), commits, Options{DiffBase: DiffBaseForkPoint, DefaultBranch: "refs/heads/main"})
	if err != nil {
		t.Fatal(err)
	}
	name := func(id string) string {
		if id == "" {
			return "(empty tree)"
		}
		return strings.TrimSpace(f.Must("log", "-1", "--format=%s", id))
	}
	for i, pair := range pairs {
		p := struct{ Commit, Base string }{string(pair.Commit), string(pair.Base)}
		if pair.Commit != commits[i] {
			t.Fatalf("pair %d is for %s, want %s", i, p.Commit, commits[i])
		}
		if p.Base == p.Commit {
			t.Errorf("%s is diffed against itself", name(p.Commit))
		}
		if ref := referenceBase(f, chain, p.Commit); p.Base != ref {
			t.Errorf("%s: base %s, the reference says %s", name(p.Commit), name(p.Base), name(ref))
		}
		if w, ok := want[name(p.Commit)]; ok && name(p.Base) != w {
			t.Errorf("%s: base %s, want %s", name(p.Commit), name(p.Base), w)
		}
	}
}

func TestForkPointBases(t *testing.T) {
	f := branchyFixture(t)
	checkBases(t, f, map[string]string{
		"m1": "tree", "m4": "Merge a", "tree": "(empty tree)", // on the chain: first parent
		"a1": "m1", "a2": "m1", "c1": "m1", // merged, and a branch off a branch
		"b1": "m2", "Merge main": "m4", "b3": "m4", // merged main in: the newest
		"u1": "(empty tree)", "u2": "u1", "d1": "u2", "d2": "u2", // another root's history
		"o1": "(empty tree)", // unrelated
	})
}

// After main was reset, its reflog holds commits off its chain, and the
// reflog's fork point wins over the chain's answer.
func TestForkPointBasesRewrittenMain(t *testing.T) {
	f := branchyFixture(t)
	f.write("x1.txt", "x1\n")
	f.commit("x1\n")
	f.Must("checkout", "-q", "-b", "e")
	f.write("e1.txt", "e1\n")
	f.commit("e1\n")
	f.Must("checkout", "-q", "main")
	f.Must("reset", "-q", "--hard", "HEAD~")
	f.write("x2.txt", "x2\n")
	f.commit("x2\n")
	checkBases(t, f, map[string]string{"e1": "x1", "a1": "m1", "b3": "m4"})
}

func TestBasesParent(t *testing.T) {
	f := branchyFixture(t)
	commits := f.allCommits("--all")
	pairs, err := Bases(context.Background(), f.runner(), commits, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pairs {
		ps := strings.Fields(f.Must("show", "-s", "--format=%P", string(p.Commit)))
		if len(ps) == 0 && p.Base != "" || len(ps) > 0 && string(p.Base) != ps[0] {
			t.Errorf("%s: base %q, parents %v", p.Commit, p.Base, ps)
		}
	}
	if _, err := Bases(context.Background(), f.runner(), commits, Options{DiffBase: "nonsense"}); err == nil {
		t.Error("unknown diff base: want an error")
	}
	if _, err := Bases(context.Background(), f.runner(), commits, Options{DiffBase: DiffBaseForkPoint}); err == nil {
		t.Error("fork-point without a default branch: want an error")
	}
}
