package pathwalk

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/git-backfill/git-backfill/internal/git"
)

// fakeTrees is an in-memory object store of trees.
type fakeTrees struct {
	trees map[string][]git.TreeEntry
	reads []string
}

func (f *fakeTrees) ReadTrees(ids []string, fn func(string, []git.TreeEntry) error) error {
	for _, id := range ids {
		f.reads = append(f.reads, id)
		entries, ok := f.trees[id]
		if !ok {
			return fmt.Errorf("tree %s not found", id)
		}
		if err := fn(id, entries); err != nil {
			return err
		}
	}
	return nil
}

func blob(name, id string) git.TreeEntry {
	return git.TreeEntry{Kind: git.KindBlob, Name: name, ID: id}
}
func tree(name, id string) git.TreeEntry {
	return git.TreeEntry{Kind: git.KindTree, Name: name, ID: id}
}

// Two root trees (two commits): b.txt changes, dir "a" changes, "z" is shared.
func fixture() *fakeTrees {
	return &fakeTrees{trees: map[string][]git.TreeEntry{
		"root1": {blob("b.txt", "b1"), tree("a", "a1"), blob("a.txt", "x"), tree("z", "z1"),
			{Kind: git.KindGitlink, Name: "sub", ID: "c0"}},
		"root2": {blob("b.txt", "b2"), tree("a", "a2"), blob("a.txt", "x"), tree("z", "z1")},
		"a1":    {blob("f", "f1"), tree("deep", "d1")},
		"a2":    {blob("f", "f2"), tree("deep", "d1"), blob("copy", "b1")},
		"d1":    {blob("g", "g1")},
		"z1":    {blob("h", "h1"), tree("a", "a1")},
	}}
}

func collect(t *testing.T, w *Walker, roots ...string) []string {
	t.Helper()
	var got []string
	err := w.Walk(roots, func(path string, blobs []string) error {
		got = append(got, path+"="+strings.Join(blobs, ","))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestWalkOrder(t *testing.T) {
	trees := fixture()
	got := collect(t, &Walker{Trees: trees}, "root1", "root2", "root1")
	// Files before subdirectories, byte order; each path's versions
	// together; tree z1's subtree a1 was already read under "a".
	want := []string{"a.txt=x", "b.txt=b1,b2", "a/copy=b1", "a/f=f1,f2", "a/deep/g=g1", "z/h=h1"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got  %v\nwant %v", got, want)
	}
	reads := map[string]int{}
	for _, id := range trees.reads {
		reads[id]++
	}
	for id, n := range reads {
		if n != 1 {
			t.Errorf("tree %s read %d times", id, n)
		}
	}
}

type prefixFilter string

func (p prefixFilter) Dir(path string) Match {
	switch {
	case strings.HasPrefix(path+"/", string(p)):
		return Included
	case strings.HasPrefix(string(p), path+"/"):
		return Partial
	}
	return Excluded
}
func (p prefixFilter) File(path string) bool { return strings.HasPrefix(path, string(p)) }

func TestWalkFilterPrunes(t *testing.T) {
	trees := fixture()
	got := collect(t, &Walker{Trees: trees, Filter: prefixFilter("a/deep/")}, "root1", "root2")
	if want := []string{"a/deep/g=g1"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for _, id := range trees.reads {
		if id == "z1" {
			t.Fatal("excluded directory z was read")
		}
	}
}

func TestWalkSkipTree(t *testing.T) {
	trees := fixture()
	w := &Walker{Trees: trees, SkipTree: func(id string) bool { return id == "a2" }}
	got := collect(t, w, "root2")
	want := []string{"a.txt=x", "b.txt=b2", "z/h=h1", "z/a/f=f1", "z/a/deep/g=g1"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got  %v\nwant %v", got, want)
	}
}

// BenchmarkWalk walks 200 commits of a tree of 20 directories of 50 files
// in which each commit changes one file.
func BenchmarkWalk(b *testing.B) {
	trees := &fakeTrees{trees: map[string][]git.TreeEntry{}}
	var roots []string
	version := map[string]int{}
	for c := 0; c < 200; c++ {
		changed := fmt.Sprintf("d%02d/f%02d", c%20, (c*7)%50)
		version[changed]++
		var root []git.TreeEntry
		for d := 0; d < 20; d++ {
			var dir []git.TreeEntry
			for f := 0; f < 50; f++ {
				path := fmt.Sprintf("d%02d/f%02d", d, f)
				dir = append(dir, blob(fmt.Sprintf("f%02d", f), fmt.Sprintf("%s@%d", path, version[path])))
			}
			id := fmt.Sprintf("tree-d%02d-%d", d, c)
			if d != c%20 && c > 0 {
				id = fmt.Sprintf("tree-d%02d-%d", d, lastChange(d, c))
			}
			trees.trees[id] = dir
			root = append(root, tree(fmt.Sprintf("d%02d", d), id))
		}
		rootID := fmt.Sprintf("root-%d", c)
		trees.trees[rootID] = root
		roots = append(roots, rootID)
	}
	b.ReportAllocs()
	for b.Loop() {
		trees.reads = trees.reads[:0]
		n := 0
		err := (&Walker{Trees: trees}).Walk(roots, func(_ string, blobs []string) error {
			n += len(blobs)
			return nil
		})
		if err != nil || n != 1199 {
			b.Fatalf("walked %d blobs, err %v", n, err)
		}
	}
}

// lastChange is the last commit at or before c that changed directory d.
func lastChange(d, c int) int {
	for ; c > 0; c-- {
		if c%20 == d {
			return c
		}
	}
	return 0
}

func TestAll(t *testing.T) {
	if All() != nil {
		t.Fatal("All() of nothing must be nil (no filtering)")
	}
	f := All(prefixFilter("a/"), prefixFilter("a/deep/"))
	for path, want := range map[string]Match{"a": Partial, "a/deep": Included, "z": Excluded} {
		if got := f.Dir(path); got != want {
			t.Errorf("Dir(%q) = %v, want %v", path, got, want)
		}
	}
	if f.File("a/x") || !f.File("a/deep/x") {
		t.Error("File must require every filter")
	}
}
