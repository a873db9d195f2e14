package pathwalk

import (
	"cmp"
	"slices"

	"github.com/git-backfill/git-backfill/internal/git"
)

// dirState gathers the distinct entries of all versions of one directory,
// merged from the digests of its chunks, in the order first met.
type dirState struct {
	raw   map[string]struct{} // distinct raw entries
	files slots
	dirs  slots
}

// slots holds, per name, the distinct ids met under it.
type slots struct {
	index map[string]int
	list  []slot
}

type slot struct {
	name string
	ids  [][]byte // binary ids, slices of a digest's arena
}

func newDirState() *dirState {
	return &dirState{raw: map[string]struct{}{}}
}

// merge adds a chunk's digest. The digest's arena must stay untouched: the
// slots keep slices of it.
func (s *dirState) merge(d *digest) {
	for _, e := range d.entries {
		raw := d.raw(e)
		if _, ok := s.raw[string(raw)]; ok {
			continue
		}
		s.raw[string(raw)] = struct{}{}
		if e.kind == git.KindBlob {
			s.files.add(d.name(e), d.id(e))
		} else {
			s.dirs.add(d.name(e), d.id(e))
		}
	}
}

func (s *slots) add(name, id []byte) {
	i, ok := s.index[string(name)]
	if !ok {
		if s.index == nil {
			s.index = map[string]int{}
		}
		i = len(s.list)
		s.index[string(name)] = i
		s.list = append(s.list, slot{name: string(name)})
	}
	s.list[i].ids = append(s.list[i].ids, id)
}

// sorted returns the slots in byte order of their names.
func (s *slots) sorted() []slot {
	slices.SortFunc(s.list, func(a, b slot) int { return cmp.Compare(a.name, b.name) })
	return s.list
}
