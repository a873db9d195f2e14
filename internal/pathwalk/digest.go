package pathwalk

import (
	"encoding/binary"
	"math/bits"
	"sort"

	"github.com/git-backfill/git-backfill/internal/git"
)

// digest is what a chunk of one directory's tree versions holds: each
// distinct entry once, in the order first met. Successive versions of a
// directory share almost all their entries (git/git's top directory has
// about 80,000 versions of some 600 entries), so this is a small fraction
// of what was read, and all the walk itself has to look at.
type digest struct {
	arena   []byte  // the distinct raw entries, one after another
	entries []entry // into arena
}

// entry locates one distinct raw entry, "<mode> <name>\0<id>", in a
// digest's arena.
type entry struct {
	kind                         git.EntryKind
	rawStart, nameStart, nameEnd int
	end                          int
}

func (d *digest) name(e entry) []byte { return d.arena[e.nameStart:e.nameEnd] }
func (d *digest) id(e entry) []byte   { return d.arena[e.nameEnd+1 : e.end] }
func (d *digest) raw(e entry) []byte  { return d.arena[e.rawStart:e.end] }

// digester turns raw trees into a digest. It keeps its lookup table between
// chunks so that it allocates little once warm. Not safe for concurrent use.
//
// Trees come in commit order, and one version of a directory differs from
// the one before it in an entry or two. So each tree is compared with the
// previous one as bytes first: the entries inside their common prefix and
// common suffix are the previous tree's own entries, already digested, and
// only the entries between are parsed and looked up. That is a memory
// comparison at tens of gigabytes a second instead of a parse and a hash
// lookup per entry.
type digester struct {
	idLen   int
	seen    entrySet
	prev    []byte  // the previous tree of this chunk; nil at the start
	prevOff []int32 // where each entry of prev starts
	offs    []int32 // the same for the tree being digested
}

func newDigester(idLen int) *digester {
	g := &digester{idLen: idLen}
	g.reset()
	return g
}

// reset starts a new chunk: a new digest, none of its entries seen.
func (g *digester) reset() {
	g.seen.reset()
	g.prev = nil
}

// add puts the entries of one raw tree that the chunk has not seen yet
// into d. Gitlinks are left out: they are not objects of this repository.
// tree must stay unchanged until the next add (it becomes prev).
func (g *digester) add(d *digest, tree []byte) error {
	offs := g.offs[:0]
	pos, resume, resumeEntry := 0, -1, 0
	if g.prev != nil {
		prev, prevOff := g.prev, g.prevOff
		// The entries of prev that end inside the common prefix are
		// the same entries, at the same offsets, in tree.
		p := commonPrefix(prev, tree)
		k := sort.Search(len(prevOff), func(i int) bool { return entryEnd(prevOff, i, len(prev)) > p })
		offs = append(offs, prevOff[:k]...)
		if k < len(prevOff) {
			pos = int(prevOff[k])
		} else {
			pos = len(prev)
		}
		// Likewise for the entries of prev that start inside the common
		// suffix (not reaching back into the prefix's entries): if the
		// parse of tree lands on where such an entry would start in tree,
		// the rest of tree is prev's entries again.
		s := commonSuffix(prev[pos:], tree[min(pos, len(tree)):])
		j := sort.Search(len(prevOff)-k, func(i int) bool { return int(prevOff[k+i]) >= len(prev)-s }) + k
		if j < len(prevOff) {
			resume, resumeEntry = int(prevOff[j])+len(tree)-len(prev), j
		}
	}
	for rest := tree[min(pos, len(tree)):]; len(rest) > 0; {
		if pos == resume {
			delta := int32(len(tree) - len(g.prev))
			for _, o := range g.prevOff[resumeEntry:] {
				offs = append(offs, o+delta)
			}
			break
		}
		e, next, err := git.NextTreeEntry(rest, g.idLen)
		if err != nil {
			return err
		}
		offs = append(offs, int32(pos))
		pos += len(e.Raw)
		rest = next
		if e.Kind == git.KindGitlink {
			continue
		}
		if g.seen.addNew(d, e.Raw, e.ID) {
			d.append(e)
		}
	}
	if len(tree) > 1<<31-1 {
		g.prev = nil // offsets would not fit; compare nothing with it
	} else {
		g.prev = tree
	}
	g.prevOff, g.offs = offs, g.prevOff
	return nil
}

func entryEnd(off []int32, i, size int) int {
	if i+1 < len(off) {
		return int(off[i+1])
	}
	return size
}

// commonPrefix is the length of the longest common prefix of a and b.
func commonPrefix(a, b []byte) int {
	n := min(len(a), len(b))
	i := 0
	for ; i+8 <= n; i += 8 {
		if x := binary.LittleEndian.Uint64(a[i:]) ^ binary.LittleEndian.Uint64(b[i:]); x != 0 {
			return i + bits.TrailingZeros64(x)/8
		}
	}
	for ; i < n && a[i] == b[i]; i++ {
	}
	return i
}

// commonSuffix is the length of the longest common suffix of a and b.
func commonSuffix(a, b []byte) int {
	n := min(len(a), len(b))
	i := 0
	for ; i+8 <= n; i += 8 {
		x := binary.BigEndian.Uint64(a[len(a)-i-8:]) ^ binary.BigEndian.Uint64(b[len(b)-i-8:])
		if x != 0 {
			return i + bits.TrailingZeros64(x)/8
		}
	}
	for ; i < n && a[len(a)-1-i] == b[len(b)-1-i]; i++ {
	}
	return i
}

// append copies one raw entry into the digest.
func (d *digest) append(e git.RawEntry) {
	rawStart := len(d.arena)
	nameStart := rawStart + len(e.Raw) - len(e.ID) - 1 - len(e.Name)
	d.arena = append(d.arena, e.Raw...)
	d.entries = append(d.entries, entry{kind: e.Kind, rawStart: rawStart, nameStart: nameStart,
		nameEnd: nameStart + len(e.Name), end: len(d.arena)})
}
