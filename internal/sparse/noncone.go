package sparse

import (
	"github.com/git-backfill/git-backfill/internal/pathwalk"

	"strings"

	"github.com/git-backfill/git-backfill/internal/wildmatch"
)

// decision is what the pattern list says about one path.
type decision uint8

const (
	undecided decision = iota
	included
	excluded
)

// decide returns the verdict of the last pattern matching path (git's
// last_matching_pattern_from_list()); isDir says whether path is a
// directory, which directory-only patterns require.
func (p *Patterns) decide(path string, isDir bool) decision {
	for i := len(p.list) - 1; i >= 0; i-- {
		pat := &p.list[i]
		if pat.mustBeDir && !isDir {
			continue
		}
		if pat.matches(path) {
			if pat.negative {
				return excluded
			}
			return included
		}
	}
	return undecided
}

func (pat *pattern) matches(path string) bool {
	if pat.base != nil {
		return pat.base.Match(path[strings.LastIndexByte(path, '/')+1:])
	}
	if !strings.HasPrefix(path, pat.literal) {
		return false
	}
	if pat.rest == nil {
		return len(path) == len(pat.literal)
	}
	return pat.rest.Match(path[len(pat.literal):])
}

// nonConeIncludes is git's path_in_sparse_checkout(): the file decides if
// some pattern matches it; otherwise its directory, as a directory, then
// that directory's directory, and so on. This is why "/d/" includes every
// file below d/. Undecided at the top means excluded.
func (p *Patterns) nonConeIncludes(path string) bool {
	return p.inherit(path, false) == included
}

// inherit decides path, falling back to its directories; never undecided.
func (p *Patterns) inherit(path string, isDir bool) decision {
	for ok := path != ""; ok; path, ok = parent(path) {
		if d := p.decide(path, isDir); d != undecided {
			return d
		}
		isDir = true
	}
	return excluded
}

// nonConeDir: every path below dir gets the verdict dir inherits unless a
// pattern matches it (or one of its directories below dir). So the
// verdict is uniform when every pattern that could match something below
// dir agrees with the inherited one.
func (p *Patterns) nonConeDir(dir string) pathwalk.Match {
	verdict := p.inherit(dir, true)
	prefix := ""
	if dir != "" {
		prefix = dir + "/"
	}
	for i := range p.list {
		pat := &p.list[i]
		if pat.negative == (verdict == excluded) {
			continue
		}
		if pat.mayMatchBelow(prefix) {
			return pathwalk.Partial
		}
	}
	if verdict == included {
		return pathwalk.Included
	}
	return pathwalk.Excluded
}

// mayMatchBelow reports whether pat might match some path beginning with
// prefix; false is certain.
func (pat *pattern) mayMatchBelow(prefix string) bool {
	if pat.base != nil {
		// A base-name pattern may match any name at any depth.
		return pat.base.Prefix("") != wildmatch.PrefixNone
	}
	if len(pat.literal) >= len(prefix) {
		if !strings.HasPrefix(pat.literal, prefix) {
			return false
		}
		return pat.rest == nil || pat.rest.Prefix("") != wildmatch.PrefixNone
	}
	if !strings.HasPrefix(prefix, pat.literal) || pat.rest == nil {
		return false
	}
	return pat.rest.Prefix(prefix[len(pat.literal):]) != wildmatch.PrefixNone
}
