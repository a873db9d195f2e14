// Package odb tells which objects a repository's object store holds,
// without running git: it reads the pack indexes, the loose object
// directories and the alternates, as git itself does.
//
// Asking git instead is either slow or unsafe in a partial clone: "rev-list
// --objects --missing=print" walks every object of the history (a second
// traversal beside ours), and "cat-file --batch-check" fetches a missing
// object from the promisor remote, one request each. Reading the indexes
// costs a few milliseconds, and a lookup is a binary search.
package odb

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Store is a snapshot of which objects were present when it was opened.
// Objects that arrive later (a fetch's new pack) are not seen: open a new
// Store. A Store is safe for concurrent use.
type Store struct {
	idLen int
	packs []*packIndex
	loose map[string]struct{} // binary ids of loose objects
}

// Open reads the object directory objectsDir, its alternates (from
// info/alternates, recursively) and the extra alternate directories in
// alternates (GIT_ALTERNATE_OBJECT_DIRECTORIES, already split). idLen is
// the binary object id length: 20 for SHA-1, 32 for SHA-256. Close the
// Store to release the pack indexes.
func Open(objectsDir string, alternates []string, idLen int) (*Store, error) {
	if idLen != 20 && idLen != 32 {
		return nil, fmt.Errorf("object store: unsupported object id length %d", idLen)
	}
	s := &Store{idLen: idLen, loose: map[string]struct{}{}}
	dirs, err := objectDirs(objectsDir, alternates)
	if err != nil {
		return nil, err
	}
	for _, dir := range dirs {
		if err := s.addDir(dir); err != nil {
			s.Close()
			return nil, err
		}
	}
	// Largest first: after a backfill the clone's own pack holds the trees
	// and commits, and each fetch added a small pack that a lookup would
	// otherwise search in vain first.
	slices.SortStableFunc(s.packs, func(a, b *packIndex) int { return b.count - a.count })
	return s, nil
}

// Has reports whether the object with binary id is in the store.
func (s *Store) Has(id []byte) bool {
	if len(id) != s.idLen {
		return false
	}
	for _, p := range s.packs {
		if p.has(id) {
			return true
		}
	}
	_, ok := s.loose[string(id)]
	return ok
}

// Count is the number of objects the store holds (an object in several
// packs is counted in each).
func (s *Store) Count() int {
	n := len(s.loose)
	for _, p := range s.packs {
		n += p.count
	}
	return n
}

// Close releases the pack indexes. The Store must not be used after.
func (s *Store) Close() {
	for _, p := range s.packs {
		p.close()
	}
	s.packs = nil
}

// addDir reads one object directory: every pack index that has its pack
// beside it (git ignores an index without one), and the loose objects.
func (s *Store) addDir(dir string) error {
	packDir := filepath.Join(dir, "pack")
	entries, err := os.ReadDir(packDir)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("object store: %w", err)
	}
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".idx") || !e.Type().IsRegular() {
			continue
		}
		base := strings.TrimSuffix(name, ".idx")
		if fi, err := os.Stat(filepath.Join(packDir, base+".pack")); err != nil || !fi.Mode().IsRegular() {
			continue
		}
		p, err := openPackIndex(filepath.Join(packDir, name), s.idLen)
		if errors.Is(err, os.ErrNotExist) {
			continue // removed by a concurrent repack since we listed it
		}
		if err != nil {
			return err
		}
		s.packs = append(s.packs, p)
	}
	return s.addLoose(dir)
}

// addLoose records the loose objects: files named by the id's first byte
// in hex as a directory and the rest of the hex id as the file name. Only
// the fan-out directories that exist are read: a freshly cloned or packed
// repository has none, and 256 failed opens would be most of the cost.
func (s *Store) addLoose(dir string) error {
	hexLen := 2 * s.idLen
	id := make([]byte, s.idLen)
	subdirs, err := readNames(dir)
	if err != nil {
		return err
	}
	for _, sub := range subdirs {
		if len(sub) != 2 || !decodeHex(id[:1], sub) {
			continue // pack/, info/ and strays
		}
		names, err := readNames(filepath.Join(dir, sub))
		if err != nil {
			return err
		}
		for _, name := range names {
			if len(name) != hexLen-2 || !decodeHex(id[1:], name) {
				continue // git's temporary files (tmp_obj_*) and strays
			}
			s.loose[string(id)] = struct{}{}
		}
	}
	return nil
}

func readNames(dir string) ([]string, error) {
	f, err := os.Open(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("object store: %w", err)
	}
	defer f.Close()
	names, err := f.Readdirnames(-1)
	if err != nil {
		return nil, fmt.Errorf("object store: reading %s: %w", dir, err)
	}
	return names, nil
}

// decodeHex decodes lower-case hex s into dst, which must be len(s)/2
// bytes; it reports false for anything else, as git only writes lower case.
func decodeHex(dst []byte, s string) bool {
	for i := range dst {
		hi, ok1 := nibble(s[2*i])
		lo, ok2 := nibble(s[2*i+1])
		if !ok1 || !ok2 {
			return false
		}
		dst[i] = hi<<4 | lo
	}
	return true
}

func nibble(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	}
	return 0, false
}

// compareIDs orders binary ids as pack indexes store them.
func compareIDs(a, b []byte) int { return bytes.Compare(a, b) }
