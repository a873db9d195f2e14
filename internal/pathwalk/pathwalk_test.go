package pathwalk

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/git-backfill/git-backfill/internal/git"
)

// Two root trees (two commits): b.txt changes, dir "a" changes, "z" is shared.
func fixture() *fakeStore {
	f := newFakeStore()
	f.add("root1", fblob("b.txt", "b1"), ftree("a", "a1"), fblob("a.txt", "x"), ftree("z", "z1"),
		fakeEntry{"160000", "sub", "c0"})
	f.add("root2", fblob("b.txt", "b2"), ftree("a", "a2"), fblob("a.txt", "x"), ftree("z", "z1"))
	f.add("a1", fblob("f", "f1"), ftree("deep", "d1"))
	f.add("a2", fblob("f", "f2"), ftree("deep", "d1"), fblob("copy", "b1"))
	f.add("d1", fblob("g", "g1"))
	f.add("z1", fblob("h", "h1"), ftree("a", "a1"))
	return f
}

func hexIDs(names ...string) []git.OID {
	var out []git.OID
	for _, n := range names {
		out = append(out, git.OID(hex.EncodeToString(fakeID(n))))
	}
	return out
}

// walk runs a Walker over the store with the given number of workers and
// returns "path=blob,blob" lines.
func walk(t testing.TB, f *fakeStore, workers int, setup func(*Walker), roots ...string) ([]string, error) {
	t.Helper()
	r := NewReader(context.Background(), f.open, workers, 20)
	w := &Walker{Trees: r}
	if setup != nil {
		setup(w)
	}
	var got []string
	err := w.Walk(hexIDs(roots...), visitNames(f, &got))
	if cerr := r.Close(); err == nil {
		err = cerr
	}
	return got, err
}

// visitNames records each path visited as "path=blob,blob", blobs by name.
func visitNames(f *fakeStore, got *[]string) func(string, [][]byte) error {
	return func(path string, blobs [][]byte) error {
		var names []string
		for _, b := range blobs {
			names = append(names, f.name(b))
		}
		*got = append(*got, path+"="+strings.Join(names, ","))
		return nil
	}
}

func TestWalkOrder(t *testing.T) {
	for _, workers := range []int{1, 3} {
		f := fixture()
		got, err := walk(t, f, workers, nil, "root1", "root2", "root1")
		if err != nil {
			t.Fatal(err)
		}
		// Files before subdirectories, byte order; each path's versions
		// together; tree z1's subtree a1 was already read under "a".
		want := []string{"a.txt=x", "b.txt=b1,b2", "a/copy=b1", "a/f=f1,f2", "a/deep/g=g1", "z/h=h1"}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("workers %d: got  %v\nwant %v", workers, got, want)
		}
		reads := map[string]int{}
		for _, id := range f.reads {
			reads[id]++
		}
		for id, n := range reads {
			if n != 1 {
				t.Errorf("tree %s read %d times", id, n)
			}
		}
		if len(reads) != 6 { // root1, root2, a1, a2, d1, z1
			t.Errorf("read %d distinct trees, want 6: %v", len(reads), f.reads)
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
	f := fixture()
	got, err := walk(t, f, 2, func(w *Walker) { w.Filter = prefixFilter("a/deep/") }, "root1", "root2")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"a/deep/g=g1"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	if slices.Contains(f.reads, "z1") {
		t.Fatal("excluded directory z was read")
	}
}

func TestWalkMissingTree(t *testing.T) {
	f := fixture()
	var missing []string
	got, err := walk(t, f, 1, func(w *Walker) {
		w.Has = func(id []byte) bool { return !bytes.Equal(id, fakeID("a2")) }
		w.OnMissingTree = func(dir string, id []byte) { missing = append(missing, dir+":"+f.name(id)) }
	}, "root2")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"a.txt=x", "b.txt=b2", "z/h=h1", "z/a/f=f1", "z/a/deep/g=g1"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got  %v\nwant %v", got, want)
	}
	if !reflect.DeepEqual(missing, []string{"a:a2"}) {
		t.Fatalf("missing trees reported: %v", missing)
	}
	if slices.Contains(f.reads, "a2") {
		t.Fatal("a missing tree was read")
	}
}

func TestWalkReadError(t *testing.T) {
	f := fixture()
	f.fail = "d1"
	_, err := walk(t, f, 2, nil, "root1", "root2")
	if err == nil || !strings.Contains(err.Error(), "cannot read d1") {
		t.Fatalf("got %v, want the read error", err)
	}
}

func TestWalkVisitErrorStops(t *testing.T) {
	f := fixture()
	r := NewReader(context.Background(), f.open, 2, 20)
	stop := errors.New("stop")
	n := 0
	err := (&Walker{Trees: r}).Walk(hexIDs("root1", "root2"), func(string, [][]byte) error {
		n++
		return stop
	})
	if !errors.Is(err, stop) || n != 1 {
		t.Fatalf("got %v after %d visits", err, n)
	}
	if err := r.Close(); err != nil {
		t.Fatalf("Close after an abandoned walk: %v", err)
	}
}

func TestWalkCancelled(t *testing.T) {
	f := fixture()
	ctx, cancel := context.WithCancel(context.Background())
	r := NewReader(ctx, f.open, 2, 20)
	cancel()
	err := (&Walker{Trees: r}).Walk(hexIDs("root1"), func(string, [][]byte) error { return nil })
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	_ = r.Close()
}

func TestWalkBadRoot(t *testing.T) {
	r := NewReader(context.Background(), fixture().open, 1, 20)
	defer r.Close()
	if err := (&Walker{Trees: r}).Walk([]git.OID{"xyz"}, nil); err == nil {
		t.Fatal("a root that is no hex id must fail")
	}
}

// TestWalkMatchesReference compares the walk with a plain recursive
// implementation of the same rules on random histories large enough to
// spread directories over several chunks and workers, with trees shared
// between paths (a directory copied elsewhere) and files that turn into
// directories.
func TestWalkMatchesReference(t *testing.T) {
	for seed := uint64(1); seed <= 6; seed++ {
		f, roots := randomHistory(seed, 700)
		want := referenceWalk(f, roots)
		for _, workers := range []int{1, 2, 4} {
			got, err := walk(t, f, workers, nil, roots...)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("seed %d, %d workers: walk differs from the reference\n got %d paths\nwant %d paths\nfirst difference: %s",
					seed, workers, len(got), len(want), firstDiff(got, want))
			}
		}
	}
}

func firstDiff(a, b []string) string {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return fmt.Sprintf("%q vs %q", a[i], b[i])
		}
	}
	return "length"
}

// randomHistory builds commits over a tree of up to 3 levels where each
// commit changes one or two files, sometimes copies a directory, and
// sometimes replaces a file by a directory of the same name.
func randomHistory(seed uint64, commits int) (*fakeStore, []string) {
	rng := rand.New(rand.NewPCG(seed, 7))
	f := newFakeStore()
	files := map[string]string{} // path -> blob name
	for i := range 60 {
		p := fmt.Sprintf("d%d/e%d/f%d", i%4, i%3, i)
		if i%5 == 0 {
			p = fmt.Sprintf("top%d", i)
		}
		files[p] = p + "@0"
	}
	var roots []string
	for c := 1; c <= commits; c++ {
		paths := make([]string, 0, len(files))
		for p := range files {
			paths = append(paths, p)
		}
		slices.Sort(paths)
		for range 1 + rng.IntN(2) {
			p := paths[rng.IntN(len(paths))]
			files[p] = fmt.Sprintf("%s@%d", p, c)
		}
		switch rng.IntN(40) {
		case 0: // copy a directory's files elsewhere: same trees, new path
			src := fmt.Sprintf("d%d/", rng.IntN(4))
			for _, p := range paths {
				if rest, ok := strings.CutPrefix(p, src); ok {
					files["copy/"+rest] = files[p]
				}
			}
		case 1: // a file becomes a directory
			p := paths[rng.IntN(len(paths))]
			if !strings.Contains(p, "/") {
				delete(files, p)
				files[p+"/inner"] = fmt.Sprintf("%s/inner@%d", p, c)
			}
		}
		roots = append(roots, f.addSnapshot(files))
	}
	return f, roots
}

// addSnapshot stores the trees of a set of files and returns the root's
// name. Trees are named by content, so equal directories share a tree.
func (f *fakeStore) addSnapshot(files map[string]string) string {
	var build func(prefix string) string
	build = func(prefix string) string {
		children := map[string]bool{}
		var entries []fakeEntry
		for p, blob := range files {
			rest, ok := strings.CutPrefix(p, prefix)
			if !ok {
				continue
			}
			if name, _, isDir := strings.Cut(rest, "/"); isDir {
				children[name] = true
			} else {
				entries = append(entries, fblob(rest, blob))
			}
		}
		for name := range children {
			entries = append(entries, ftree(name, build(prefix+name+"/")))
		}
		slices.SortFunc(entries, func(a, b fakeEntry) int { return strings.Compare(a.name, b.name) })
		var key strings.Builder
		for _, e := range entries {
			key.WriteString(e.mode + " " + e.name + " " + e.target + ";")
		}
		name := "tree:" + key.String()
		if _, ok := f.trees[hex.EncodeToString(fakeID(name))]; !ok {
			f.add(name, entries...)
		}
		return name
	}
	return build("")
}

// referenceWalk is the walk's contract written as plainly as possible.
func referenceWalk(f *fakeStore, roots []string) []string {
	seen := map[string]bool{}
	var out []string
	var walkDir func(dir string, trees []string)
	walkDir = func(dir string, trees []string) {
		var unseen []string
		for _, id := range trees {
			if !seen[id] {
				seen[id] = true
				unseen = append(unseen, id)
			}
		}
		files, dirs := map[string][]string{}, map[string][]string{}
		for _, id := range unseen {
			raw := f.trees[id]
			for len(raw) > 0 {
				e, rest, err := git.NextTreeEntry(raw, 20)
				if err != nil {
					panic(err)
				}
				raw = rest
				name, target := string(e.Name), hex.EncodeToString(e.ID)
				m := files
				if e.Kind == git.KindTree {
					m = dirs
				}
				if !slices.Contains(m[name], target) {
					m[name] = append(m[name], target)
				}
			}
		}
		for _, name := range sortedKeys(files) {
			var names []string
			for _, id := range files[name] {
				names = append(names, f.names[id])
			}
			out = append(out, join(dir, name)+"="+strings.Join(names, ","))
		}
		for _, name := range sortedKeys(dirs) {
			walkDir(join(dir, name), dirs[name])
		}
	}
	walkDir("", git.Strings(hexIDs(roots...)))
	return out
}

func sortedKeys(m map[string][]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func TestDirKeyOrdersDepthFirst(t *testing.T) {
	// The order the walk visits directories in.
	dirs := []string{"", "a", "a/b", "a/b/c", "a/bc", "a-c", "ab", "b"}
	shuffled := slices.Clone(dirs)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	slices.SortFunc(shuffled, func(a, b string) int { return strings.Compare(dirKey(a), dirKey(b)) })
	if !reflect.DeepEqual(shuffled, dirs) {
		t.Fatalf("got %q, want %q", shuffled, dirs)
	}
}

func TestSmallWalkStartsOneStream(t *testing.T) {
	f := fixture()
	if _, err := walk(t, f, 4, nil, "root1", "root2"); err != nil {
		t.Fatal(err)
	}
	if f.opens != 1 {
		t.Fatalf("a walk of 6 trees opened %d streams, want 1", f.opens)
	}
}

// BenchmarkWalk walks 2,000 commits of a tree of 20 directories of 50
// files in which each commit changes one file.
func BenchmarkWalk(b *testing.B) {
	f := newFakeStore()
	files := map[string]string{}
	for d := range 20 {
		for i := range 50 {
			p := fmt.Sprintf("d%02d/f%02d", d, i)
			files[p] = p + "@0"
		}
	}
	var roots []string
	for c := 1; c <= 2000; c++ {
		p := fmt.Sprintf("d%02d/f%02d", c%20, (c*7)%50)
		files[p] = fmt.Sprintf("%s@%d", p, c)
		roots = append(roots, f.addSnapshot(files))
	}
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		r := NewReader(context.Background(), f.open, 2, 20)
		err := (&Walker{Trees: r}).Walk(hexIDs(roots...), func(_ string, blobs [][]byte) error {
			n += len(blobs)
			return nil
		})
		r.Close()
		if err != nil || n != 2999 { // 1,000 files, one first version replaced before the first commit
			b.Fatalf("walked %d blobs, err %v", n, err)
		}
	}
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

// FuzzDigest: any bytes, cut into up to three trees digested in turn,
// either fail as a tree or give a digest holding exactly the distinct
// non-gitlink entries of the trees, in the order first met, as a plain
// parse of each tree finds them (the digest skips what repeats the
// previous tree without parsing it).
func FuzzDigest(f *testing.F) {
	fx := fixture()
	for _, raw := range fx.trees {
		f.Add(raw, uint16(len(raw)/2), uint16(len(raw)))
	}
	r1, r2 := fx.trees[hex.EncodeToString(fakeID("root1"))], fx.trees[hex.EncodeToString(fakeID("root2"))]
	f.Add(append(append(append([]byte{}, r1...), r2...), r1...), uint16(len(r1)), uint16(len(r1)+len(r2)))
	f.Add([]byte("100644 a\x00"), uint16(0), uint16(0))
	f.Fuzz(func(t *testing.T, data []byte, cut1, cut2 uint16) {
		c1 := min(int(cut1), len(data))
		c2 := min(max(int(cut2), c1), len(data))
		trees := [][]byte{data[:c1], data[c1:c2], data[c2:]}
		g := newDigester(20)
		var d digest
		var want [][]byte
		for _, tree := range trees {
			if err := g.add(&d, tree); err != nil {
				return
			}
			for rest := tree; len(rest) > 0; {
				e, r, err := git.NextTreeEntry(rest, 20)
				if err != nil {
					t.Fatalf("digest accepted a tree the parser refuses: %v", err)
				}
				rest = r
				if e.Kind != git.KindGitlink && !slices.ContainsFunc(want, func(w []byte) bool { return bytes.Equal(w, e.Raw) }) {
					want = append(want, e.Raw)
				}
			}
		}
		if len(d.entries) != len(want) {
			t.Fatalf("digest has %d entries, want %d", len(d.entries), len(want))
		}
		for i, e := range d.entries {
			if !bytes.Equal(d.raw(e), want[i]) {
				t.Fatalf("entry %d: %q, want %q", i, d.raw(e), want[i])
			}
			if !bytes.HasSuffix(d.raw(e), d.id(e)) || !bytes.Contains(d.raw(e), append(append([]byte(" "), d.name(e)...), 0)) {
				t.Fatalf("entry %d: name %q or id %x not where the raw entry has them", i, d.name(e), d.id(e))
			}
		}
	})
}

// TestWalkRootsStreams: root trees are read while later roots are still
// to come, and the result is the same as a walk of the whole list.
func TestWalkRootsStreams(t *testing.T) {
	f, roots := randomHistory(9, 600)
	readEarly := false
	walkStreamed(t, f, roots, 2, func(r *Reader, i int) {
		if i == len(roots)-1 {
			// The last root: the first chunk of roots must be read by now.
			readEarly = waitFor(func() bool { return r.TreesRead() > 0 })
		}
	})
	if !readEarly {
		t.Error("no tree was read before the last root arrived")
	}
}

// walkStreamed walks roots handed out one at a time, calling before(i)
// before root i goes, and checks the walk against the reference.
func walkStreamed(t *testing.T, f *fakeStore, roots []string, workers int, before func(r *Reader, i int)) {
	t.Helper()
	want := referenceWalk(f, roots)
	r := NewReader(context.Background(), f.open, workers, 20)
	defer r.Close()
	ids := hexIDs(roots...)
	i := 0
	next := func() (git.OID, bool, error) {
		if i == len(ids) {
			return "", false, nil
		}
		before(r, i)
		i++
		return ids[i-1], true, nil
	}
	var got []string
	if err := (&Walker{Trees: r}).WalkRoots(next, visitNames(f, &got)); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("streamed walk differs from the reference: %s", firstDiff(got, want))
	}
}

// waitFor polls cond for up to 10 seconds.
func waitFor(cond func() bool) bool {
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			return false
		}
	}
	return true
}

func TestWalkRootsError(t *testing.T) {
	r := NewReader(context.Background(), fixture().open, 1, 20)
	defer r.Close()
	bad := errors.New("bad revision")
	n := 0
	err := (&Walker{Trees: r}).WalkRoots(func() (git.OID, bool, error) {
		n++
		if n == 1 {
			return hexIDs("root1")[0], true, nil
		}
		return "", false, bad
	}, func(string, [][]byte) error { t.Fatal("visited after a failed revision walk"); return nil })
	if !errors.Is(err, bad) {
		t.Fatalf("got %v, want the revision walk's error", err)
	}
}

func TestStopAtMissingRoot(t *testing.T) {
	f := fixture()
	var told []string
	got, err := walk(t, f, 2, func(w *Walker) {
		w.StopAtMissingRoot = true
		w.Has = func(id []byte) bool { return !bytes.Equal(id, fakeID("root2")) }
		w.OnMissingTree = func(dir string, id []byte) { told = append(told, f.name(id)) }
	}, "root1", "root2", "root1")
	if !errors.Is(err, ErrRootMissing) || len(got) != 0 || len(told) != 0 {
		t.Fatalf("got %v, visited %v, told %v; want ErrRootMissing before any visit", err, got, told)
	}
}

// BenchmarkDigest digests 1,000 versions of a 600-entry directory in which
// each version changes one entry: the shape of a busy top directory.
func BenchmarkDigest(b *testing.B) {
	f := newFakeStore()
	files := map[string]string{}
	for i := range 600 {
		files[fmt.Sprintf("file-%03d.c", i)] = fmt.Sprintf("v0-%d", i)
	}
	var trees [][]byte
	for c := 1; c <= 1000; c++ {
		p := fmt.Sprintf("file-%03d.c", (c*37)%600)
		files[p] = fmt.Sprintf("v%d-%s", c, p)
		trees = append(trees, f.trees[hex.EncodeToString(fakeID(f.addSnapshot(files)))])
	}
	var size int64
	for _, t := range trees {
		size += int64(len(t))
	}
	b.SetBytes(size)
	b.ReportAllocs()
	g := newDigester(20)
	for b.Loop() {
		g.reset()
		var d digest
		for _, t := range trees {
			if err := g.add(&d, t); err != nil {
				b.Fatal(err)
			}
		}
		if len(d.entries) != 1599 { // 600 files, one first version replaced before the first tree
			b.Fatalf("%d distinct entries, want 1599", len(d.entries))
		}
	}
}
