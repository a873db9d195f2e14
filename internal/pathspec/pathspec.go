// Package pathspec parses and matches git pathspecs, the path arguments
// after "--" on a git command line, with git 2.39's rules.
//
// A pathspec is relative to the current directory and matches a path that
// equals it or lies below it ("d/f" matches "d/f/x.txt" but not "d/fx").
// One with wildcards also matches by fnmatch without FNM_PATHNAME, so '*'
// matches '/' too ("*.c" matches "a/b.c"), after the part before the first
// wildcard has matched literally. Magic changes that:
//
//	:(top)  or :/      relative to the top of the worktree, not the current directory
//	:(literal)         no wildcards at all
//	:(glob)            wildcards as in wildmatch with PathName ('*' stops at '/', "**/" spans directories)
//	:(icase)           ASCII case-insensitive (except for the current directory's part)
//	:(exclude), :! :^  remove what it matches from what the others match
//
// Magic combines, ":(top,icase)x" or ":/!x". When every pathspec is an
// exclude, they are taken from everything (as "git log" does, not from the
// current directory only as "git ls-files" does).
//
// Paths given to the matchers are slash-separated and relative to the top
// of the worktree, without a leading or trailing slash.
package pathspec

import (
	"strings"

	"github.com/git-backfill/git-backfill/internal/pathwalk"
)

// Set is a parsed list of pathspecs. It is immutable after Parse and safe
// for concurrent use.
type Set struct {
	includes []*item
	excludes []*item
}

// Empty reports whether the set was parsed from no pathspecs at all; an
// empty set matches every path.
func (s *Set) Empty() bool {
	return len(s.includes) == 0 && len(s.excludes) == 0
}

// File reports whether the file at path matches: some non-exclude
// pathspec matches it and no exclude pathspec does.
func (s *Set) File(path string) bool {
	if s.Empty() {
		return true
	}
	matched := false
	for _, it := range s.includes {
		if it.matchFile(path) {
			matched = true
			break
		}
	}
	if !matched {
		return false
	}
	for _, it := range s.excludes {
		if it.matchFile(path) {
			return false
		}
	}
	return true
}

// Dir reports what the set says about the files below the directory dir
// ("" is the root). pathwalk.Excluded and pathwalk.Included are only returned when
// they are certain. Literal pathspecs prune the walk: with "d/f" and "a",
// "d" is partial, "d/f" and "a/b" included, "b" excluded.
func (s *Set) Dir(dir string) pathwalk.Match {
	if s.Empty() {
		return pathwalk.Included
	}
	prefix := strings.Trim(dir, "/")
	if prefix != "" {
		prefix += "/"
	}
	best := none
	for _, it := range s.includes {
		best = max(best, it.below(prefix))
	}
	if best == none {
		return pathwalk.Excluded
	}
	for _, it := range s.excludes {
		switch it.below(prefix) {
		case all:
			return pathwalk.Excluded
		case some:
			best = some
		}
	}
	if best == all {
		return pathwalk.Included
	}
	return pathwalk.Partial
}
