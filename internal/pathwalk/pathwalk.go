// Package pathwalk walks the trees of many commits grouped by path, the
// order in which blob backfill builds its batches: all versions of one path
// come out together, so a fetch request holds a path's whole history and
// the server can delta-compress it well.
package pathwalk

import (
	"slices"

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

// TreeReader reads tree objects. ReadTrees calls fn once per id, in order.
type TreeReader interface {
	ReadTrees(ids []string, fn func(id string, entries []git.TreeEntry) error) error
}

// Walker walks trees by path. The zero value is not usable: Trees is required.
type Walker struct {
	Trees TreeReader
	// Filter, if not nil, limits which paths are visited.
	Filter Filter
	// SkipTree, if not nil, names trees that must not be read (they are not
	// in the local object store, and reading them would fetch them one by one).
	SkipTree func(id string) bool
	// OnSkippedTree, if not nil, is told each tree SkipTree skipped and the
	// directory it stands for ("" for a root tree).
	OnSkippedTree func(dir, id string)

	seen map[string]struct{} // trees already read, under any path
}

// Walk visits every file path reachable from the root trees, depth first in
// byte order of the full path, a directory's files before its
// subdirectories. visit gets the path and the distinct blob ids found at
// it. Each tree is read once, under the first path it is met at; a blob met
// at several paths is passed at each of them, and the caller keeps the
// first (only the caller knows which blobs it cares about, so only it needs
// to remember them). Gitlinks (submodules) are skipped.
func (w *Walker) Walk(roots []string, visit func(path string, blobs []string) error) error {
	if w.seen == nil {
		w.seen = map[string]struct{}{}
	}
	return w.walkDir("", roots, Partial, visit)
}

func (w *Walker) walkDir(dir string, trees []string, match Match, visit func(string, []string) error) error {
	trees = w.unseen(dir, trees)
	if len(trees) == 0 {
		return nil
	}
	files := map[string][]string{}
	dirs := map[string][]string{}
	// Most versions of a directory share most entries: keep each
	// (kind, name, id) once.
	dup := map[string]struct{}{}
	err := w.Trees.ReadTrees(trees, func(_ string, entries []git.TreeEntry) error {
		for _, e := range entries {
			if e.Kind == git.KindGitlink {
				continue
			}
			key := string(rune('0'+e.Kind)) + e.Name + "\x00" + e.ID
			if _, ok := dup[key]; ok {
				continue
			}
			dup[key] = struct{}{}
			if e.Kind == git.KindBlob {
				files[e.Name] = append(files[e.Name], e.ID)
			} else {
				dirs[e.Name] = append(dirs[e.Name], e.ID)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, name := range sortedKeys(files) {
		path := join(dir, name)
		if match == Included || w.Filter == nil || w.Filter.File(path) {
			if err := visit(path, files[name]); err != nil {
				return err
			}
		}
	}
	for _, name := range sortedKeys(dirs) {
		path := join(dir, name)
		m := match
		if m != Included && w.Filter != nil {
			m = w.Filter.Dir(path)
		}
		if m == Excluded {
			continue
		}
		if err := w.walkDir(path, dirs[name], m, visit); err != nil {
			return err
		}
	}
	return nil
}

// unseen drops trees already read (under an earlier path) and trees the
// caller asked to skip, and marks the rest as seen.
func (w *Walker) unseen(dir string, trees []string) []string {
	out := trees[:0:0]
	for _, id := range trees {
		if _, ok := w.seen[id]; ok {
			continue
		}
		w.seen[id] = struct{}{}
		if w.SkipTree != nil && w.SkipTree(id) {
			if w.OnSkippedTree != nil {
				w.OnSkippedTree(dir, id)
			}
			continue
		}
		out = append(out, id)
	}
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
