package pathwalk

import (
	"bytes"
	"encoding/binary"
	"math/bits"
)

// entrySet is the set of raw entries a chunk's digest holds, as an
// open-addressing table of indexes into the digest. It stands in for a Go
// map keyed by the raw entry, whose string hashing and probing cost more
// than parsing the entry: object ids are already uniformly random, so a
// few of their bytes, mixed with the name's ends, make the hash.
type entrySet struct {
	slots []int32 // entry index + 1; 0 is an empty slot
	shift uint    // 64 - log2(len(slots))
	n     int
}

const minSetSlots = 1 << 10

func (s *entrySet) reset() {
	if len(s.slots) == 0 {
		s.slots = make([]int32, minSetSlots)
		s.shift = 64 - uint(bits.TrailingZeros(minSetSlots))
	}
	clear(s.slots)
	s.n = 0
}

func entryHash(raw, id []byte) uint64 {
	name := raw[:len(raw)-len(id)]
	h := binary.LittleEndian.Uint64(id) ^ uint64(len(raw))
	if len(name) >= 8 {
		h ^= bits.RotateLeft64(binary.LittleEndian.Uint64(name), 17)
		h ^= bits.RotateLeft64(binary.LittleEndian.Uint64(name[len(name)-8:]), 41)
	} else {
		for i, c := range name {
			h ^= uint64(c) << (8 * i)
		}
	}
	return h * 0x9e3779b97f4a7c15
}

// addNew adds e, an entry of d, unless d already holds an equal raw entry;
// it reports whether e was new. The caller appends e to d when it was, as
// entry number d.len().
func (s *entrySet) addNew(d *digest, raw, id []byte) bool {
	if 2*(s.n+1) > len(s.slots) {
		s.grow(d)
	}
	mask := len(s.slots) - 1
	for i := int(entryHash(raw, id) >> s.shift); ; i = (i + 1) & mask {
		v := s.slots[i]
		if v == 0 {
			s.slots[i] = int32(len(d.entries) + 1)
			s.n++
			return true
		}
		if bytes.Equal(d.raw(d.entries[v-1]), raw) {
			return false
		}
	}
}

// grow doubles the table and puts the digest's entries back.
func (s *entrySet) grow(d *digest) {
	s.slots = make([]int32, 2*len(s.slots))
	s.shift--
	mask := len(s.slots) - 1
	for k, e := range d.entries {
		i := int(entryHash(d.raw(e), d.id(e)) >> s.shift)
		for s.slots[i] != 0 {
			i = (i + 1) & mask
		}
		s.slots[i] = int32(k + 1)
	}
}
