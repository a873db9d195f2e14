package pathwalk

import (
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
type digester struct {
	idLen int
	seen  map[string]struct{}
}

func newDigester(idLen int) *digester {
	return &digester{idLen: idLen, seen: map[string]struct{}{}}
}

// reset starts a new chunk.
func (g *digester) reset() { clear(g.seen) }

// add puts the entries of one raw tree that the chunk has not seen yet
// into d. Gitlinks are left out: they are not objects of this repository.
func (g *digester) add(d *digest, tree []byte) error {
	for len(tree) > 0 {
		e, rest, err := git.NextTreeEntry(tree, g.idLen)
		if err != nil {
			return err
		}
		tree = rest
		if e.Kind == git.KindGitlink {
			continue
		}
		// Looking up string(bytes) does not allocate; only a new entry
		// costs a copy of its key.
		if _, ok := g.seen[string(e.Raw)]; ok {
			continue
		}
		g.seen[string(e.Raw)] = struct{}{}
		d.append(e)
	}
	return nil
}

// append copies one raw entry into the digest.
func (d *digest) append(e git.RawEntry) {
	rawStart := len(d.arena)
	nameStart := rawStart + len(e.Raw) - len(e.ID) - 1 - len(e.Name)
	d.arena = append(d.arena, e.Raw...)
	d.entries = append(d.entries, entry{kind: e.Kind, rawStart: rawStart, nameStart: nameStart,
		nameEnd: nameStart + len(e.Name), end: len(d.arena)})
}
