package pathspec

import (
	"github.com/git-backfill/git-backfill/internal/wildmatch"
)

// item is one parsed pathspec (git's struct pathspec_item).
type item struct {
	original string // as given, for messages
	// match is the pathspec relative to the top of the worktree. Its
	// first prefixLen bytes came from the current directory; git compares
	// them exactly even under :(icase).
	match     string
	prefixLen int
	// noWild is the length of the literal part before the first wildcard
	// (never less than prefixLen; all of match for :(literal)). When it
	// is shorter than match, wild matches the rest.
	noWild int
	wild   *wildmatch.Pattern
	icase  bool
}

// matchFile is git's match_pathspec_item() for a file.
func (it *item) matchFile(name string) bool {
	m := it.match
	if m == "" {
		// "." at the top (or ":/"): everything.
		return true
	}
	// Equal, or a leading directory. This literal comparison comes first
	// for every pathspec, wildcards or not, so "a*" matches a file
	// literally named "a*" and ":(glob)d" matches everything in d/.
	if len(m) <= len(name) && it.equalPrefix(len(m), name) {
		if len(m) == len(name) || m[len(m)-1] == '/' || name[len(m)] == '/' {
			return true
		}
	}
	if it.wild == nil {
		return false
	}
	// Git splits the pathspec at the first wildcard: the literal part
	// must match exactly (git_fnmatch's prefix), and the rest is matched
	// as a pattern of its own.
	if len(name) < it.noWild || !it.equalPrefix(it.noWild, name) {
		return false
	}
	return it.wild.Match(name[it.noWild:])
}

// equalPrefix compares the first n bytes of match and name: exactly for
// the current directory's part, ASCII case-insensitively after it under
// :(icase). name must be at least n bytes long.
func (it *item) equalPrefix(n int, name string) bool {
	for i := 0; i < n; i++ {
		a, b := it.match[i], name[i]
		if a == b {
			continue
		}
		if !it.icase || i < it.prefixLen || lower(a) != lower(b) {
			return false
		}
	}
	return true
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// reach says how many of the paths beginning with some prefix an item
// matches.
type reach uint8

const (
	none reach = iota
	some
	all
)

// below says which of the files whose paths begin with prefix (a
// directory with its trailing slash, or "" for the root) the item
// matches. none and all are certain; some means "maybe".
func (it *item) below(prefix string) reach {
	m := it.match
	// The literal comparison: m covers the directory when it is the
	// directory itself or one above it; if it lies below the directory
	// it matches something there.
	result := none
	switch {
	case len(m) <= len(prefix):
		if it.equalPrefix(len(m), prefix) &&
			(m == "" || m[len(m)-1] == '/' || prefix[len(m)] == '/') {
			return all
		}
	case it.equalPrefix(len(prefix), prefix):
		result = some
	}
	if it.wild == nil {
		return result
	}
	lit := it.noWild
	if lit >= len(prefix) {
		if !it.equalPrefix(len(prefix), prefix) {
			return result
		}
		if lit > len(prefix) {
			return max(result, some)
		}
		return max(result, fromPrefix(it.wild.Prefix("")))
	}
	if !it.equalPrefix(lit, prefix) {
		return result
	}
	return max(result, fromPrefix(it.wild.Prefix(prefix[lit:])))
}

func fromPrefix(m wildmatch.PrefixMatch) reach {
	switch m {
	case wildmatch.PrefixAll:
		return all
	case wildmatch.PrefixSome:
		return some
	}
	return none
}
