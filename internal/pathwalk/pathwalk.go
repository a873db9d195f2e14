// Package pathwalk walks the trees of many commits grouped by path, the
// order in which blob backfill builds its batches: all versions of one path
// come out together, so a fetch request holds a path's whole history and
// the server can delta-compress it well.
//
// The walk reads each tree once, through a Reader that keeps several
// "git cat-file" processes busy ahead of it, and keeps only the distinct
// entries of each directory's versions, compared as raw bytes: nothing is
// decoded or allocated for the millions of entries that repeat from one
// version to the next.
package pathwalk

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"

	"github.com/git-backfill/git-backfill/internal/git"
)

// Match is a filter's verdict on a directory.
type Match int

// Directory verdicts.
const (
	Partial  Match = iota // look at each path below
	Excluded              // nothing below can match: the subtree is not read
	Included              // everything below matches: no more checks needed
)

// Filter limits the walk to some paths. Paths are slash-separated and
// relative to the top of the repository, directories without a trailing
// slash.
type Filter interface {
	Dir(path string) Match
	File(path string) bool
}

// Walker walks trees by path. Trees is required; a Walker walks once.
type Walker struct {
	Trees *Reader
	// Filter, if not nil, limits which paths are visited.
	Filter Filter
	// Has, if not nil, tells which trees are in the local object store.
	// A tree that is not is never read (reading it would fetch it alone
	// from the promisor remote) and is passed to OnMissingTree, if set,
	// with the directory it stands for ("" for a root tree).
	Has           func(id []byte) bool
	OnMissingTree func(dir string, id []byte)
	// Paths, if not nil, counts the file paths visited, for progress.
	Paths *atomic.Int64
	// Dirs, if not nil, counts the directories below the roots whose
	// trees the walk reads (those with a tree not taken before and in the
	// object store): with the root and the file paths visited, the paths
	// git's path-walk counts.
	Dirs *atomic.Int64
	// StopAtMissingRoot makes a walk that meets a missing root tree take
	// the rest of the roots and return ErrRootMissing, having visited
	// nothing and without telling OnMissingTree: in a treeless clone the
	// caller fetches the trees first.
	StopAtMissingRoot bool

	seen map[string]struct{} // trees already taken, under any path
}

// Walk visits every file path reachable from the root trees (hex ids),
// depth first in byte order of the full path, a directory's files before
// its subdirectories. visit gets the path and the distinct binary blob ids
// found at it, valid during the call. Each tree is read once, under the
// first path it is met at; a blob met at several paths is passed at each
// of them, and the caller keeps the first (only the caller knows which
// blobs it cares about, so only it needs to remember them). Gitlinks
// (submodules) are skipped.
func (w *Walker) Walk(roots []git.OID, visit func(path string, blobs [][]byte) error) error {
	return w.WalkRoots(RootList(roots), visit)
}

// RootList hands out roots in order, as WalkRoots takes them.
func RootList(roots []git.OID) func() (git.OID, bool, error) {
	i := 0
	return func() (git.OID, bool, error) {
		if i == len(roots) {
			return "", false, nil
		}
		i++
		return roots[i-1], true, nil
	}
}

// ErrRootMissing ends a walk with StopAtMissingRoot set.
var ErrRootMissing = errors.New("pathwalk: a root tree is missing")

// WalkRoots is Walk with root trees that arrive one at a time, from a
// revision walk still running: next returns the next root, or ok false at
// the end, or an error that ends the walk. The first root trees are read
// while the rest arrive; nothing is visited before the last one is known.
func (w *Walker) WalkRoots(next func() (root git.OID, ok bool, err error), visit func(path string, blobs [][]byte) error) error {
	if w.seen == nil {
		w.seen = map[string]struct{}{}
	}
	var chunks []*chunk
	var ids [][]byte
	flush := func() {
		if len(ids) > 0 {
			chunks = append(chunks, w.Trees.request(dirKey(""), len(chunks), ids, false)...)
			ids = nil
		}
	}
	// The root trees read so far are merged while the rest arrive, so
	// that their subdirectories are read during the revision walk too.
	m := w.newDirMerge("", Partial)
	fail := func(err error) error {
		w.abandon(chunks[m.merged:])
		m.abandon()
		return err
	}
	rootMissing := false
	for {
		root, ok, err := next()
		if err != nil {
			return fail(err)
		}
		if !ok {
			break
		}
		id, err := hex.DecodeString(string(root))
		if err != nil || len(id) != w.Trees.idLen {
			return fail(fmt.Errorf("pathwalk: bad tree id %q", root))
		}
		if w.StopAtMissingRoot && w.Has != nil && !w.Has(id) {
			rootMissing = true
		}
		if rootMissing {
			continue // take the rest of the roots, read nothing more
		}
		ids = append(ids, w.take("", [][]byte{id})...)
		if len(ids) == chunkTrees {
			flush()
		}
		m.mergeDone(chunks)
	}
	if rootMissing {
		return fail(ErrRootMissing)
	}
	flush()
	return w.finishDir(m, chunks, visit)
}

// ahead is a directory's trees requested before the walk reached it.
type ahead struct {
	ids     [][]byte // the trees it would read, as known then
	chunks  []*chunk // reading ids[:covered]
	covered int
}

func (w *Walker) walkDir(dir string, trees [][]byte, match Match, pre *ahead, visit func(string, [][]byte) error) error {
	trees = w.take(dir, trees)
	if w.Dirs != nil && len(trees) > 0 {
		w.Dirs.Add(1)
	}
	return w.walkChunks(dir, w.chunks(dir, trees, pre), match, visit)
}

// walkChunks merges the digests of a directory's trees, visits its files
// and walks its subdirectories.
func (w *Walker) walkChunks(dir string, chunks []*chunk, match Match, visit func(string, [][]byte) error) error {
	if len(chunks) == 0 {
		return nil
	}
	return w.finishDir(w.newDirMerge(dir, match), chunks, visit)
}

// finishDir merges the rest of a directory's chunks, visits its files and
// walks its subdirectories.
func (w *Walker) finishDir(m *dirMerge, chunks []*chunk, visit func(string, [][]byte) error) error {
	if err := m.mergeAll(chunks); err != nil {
		return err
	}
	// Ask for the rest of the subdirectories now: the reader works on them
	// while the walk goes down the first one.
	m.readAheadSubs()
	for _, f := range m.st.files.sorted() {
		path := join(m.dir, f.name)
		if m.match == Included || w.Filter == nil || w.Filter.File(path) {
			if w.Paths != nil {
				w.Paths.Add(1)
			}
			if err := visit(path, f.ids); err != nil {
				m.abandon()
				return err
			}
		}
	}
	subs := m.st.dirs.sorted()
	for i, d := range subs {
		s := m.sub(d.name)
		if s.match == Excluded {
			continue
		}
		if err := w.walkDir(join(m.dir, d.name), d.ids, s.match, s.pre, visit); err != nil {
			for _, rest := range subs[i+1:] {
				w.drop(m.sub(rest.name).pre)
			}
			return err
		}
	}
	return nil
}

// take drops trees already taken (under an earlier path) and trees that
// are not in the object store, and marks the rest as taken.
func (w *Walker) take(dir string, trees [][]byte) [][]byte {
	out := trees[:0:0]
	for _, id := range trees {
		if _, ok := w.seen[string(id)]; ok {
			continue
		}
		w.seen[string(id)] = struct{}{}
		if w.Has != nil && !w.Has(id) {
			if w.OnMissingTree != nil {
				w.OnMissingTree(dir, id)
			}
			continue
		}
		out = append(out, id)
	}
	return out
}

// chunks returns the requests that read trees: what was read ahead, if it
// is still a prefix of what is needed, and the rest. Trees taken in the
// meantime under another path make the walk drop what was read.
func (w *Walker) chunks(dir string, trees [][]byte, pre *ahead) []*chunk {
	var chunks []*chunk
	done := 0
	if pre != nil && len(pre.ids) <= len(trees) && sameIDs(pre.ids, trees[:len(pre.ids)]) {
		chunks, done = pre.chunks, pre.covered
	} else {
		w.drop(pre)
	}
	if done < len(trees) {
		chunks = append(chunks, w.Trees.request(dirKey(dir), len(chunks), trees[done:], false)...)
	}
	return chunks
}

// drop abandons what was read ahead for a directory.
func (w *Walker) drop(pre *ahead) {
	if pre != nil {
		w.abandon(pre.chunks)
	}
}

func (w *Walker) abandon(chunks []*chunk) {
	for _, c := range chunks {
		c.cancelled.Store(true)
		w.Trees.release(c)
	}
}

func sameIDs(a, b [][]byte) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !bytes.Equal(a[i], b[i]) {
			return false
		}
	}
	return true
}

// dirKey orders directories as the depth-first walk visits them: by
// component, a directory before its subdirectories. A NUL separator (no
// name holds one) sorts below every byte of a name, as "/" does not.
func dirKey(dir string) string {
	return strings.ReplaceAll(dir, "/", "\x00")
}

func join(dir, name string) string {
	if dir == "" {
		return name
	}
	return dir + "/" + name
}

// String returns "partial", "excluded" or "included".
func (m Match) String() string {
	switch m {
	case Excluded:
		return "excluded"
	case Included:
		return "included"
	}
	return "partial"
}
