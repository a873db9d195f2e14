package sparse

import (
	"github.com/git-backfill/git-backfill/internal/pathwalk"

	"fmt"
	"strings"
)

// buildCone reads the patterns as cone patterns, as git's
// add_pattern_to_hashsets() does, line by line. Cone form is:
//
//	/*          include the files at the root (and "full" until the next line)
//	!/*/        exclude every directory at the root
//	/a/         include a/ with everything below it
//	!/a/*/      ...then exclude a/'s subdirectories, keeping a/'s own files
//	/a/b/       include a/b/ with everything below it
//
// Directory names may escape glob characters with a backslash. On the
// first line that is not of this form, git warns and matches the whole file
// in non-cone mode; p.cone then stays false and p.Warning says why.
func (p *Patterns) buildCone() {
	p.recursive = map[string]int{}
	p.parents = map[string]bool{}
	for _, pat := range p.list {
		if msg := p.addCone(pat); msg != "" {
			p.Warning = msg + "; disabling cone pattern matching"
			p.recursive, p.parents = nil, nil
			return
		}
	}
	p.cone = true
	p.inner = map[string]bool{"": true}
	for dir := range p.recursive {
		p.addInner(dir)
	}
	for dir := range p.parents {
		p.addInner(dir)
	}
}

func (p *Patterns) addInner(dir string) {
	for d, ok := parent(dir); ok; d, ok = parent(d) {
		p.inner[d] = true
	}
}

// addCone adds one pattern to the cone sets, or returns git's complaint.
func (p *Patterns) addCone(pat pattern) string {
	text := pat.text
	switch {
	case pat.negative && pat.mustBeDir && text == "/*":
		p.full = false
		return ""
	case !pat.negative && !pat.mustBeDir && text == "/*":
		p.full = true
		return ""
	}
	unrecognized := fmt.Sprintf("unrecognized pattern: '%s'", text)
	if len(text) < 2 || text[0] != '/' || strings.Contains(text, "**") {
		return unrecognized
	}
	if !pat.mustBeDir && text != "/*" {
		return unrecognized
	}
	if !coneGlobsOK(text) {
		return unrecognized
	}
	if len(text) > 2 && strings.HasSuffix(text, "/*") {
		// "!/a/*/": a/ keeps only its own files. Git requires "/a/"
		// to have come first.
		if !pat.negative {
			return unrecognized
		}
		dir := unescapeCone(text)
		if p.recursive[dir] == 0 {
			return fmt.Sprintf("unrecognized negative pattern: '%s'", text)
		}
		// Git's hash set keeps duplicates and this removes one: after
		// "/a/" twice, a/ stays recursive despite "!/a/*/".
		p.recursive[dir]--
		p.parents[dir] = true
		return ""
	}
	if pat.negative {
		return fmt.Sprintf("unrecognized negative pattern: '%s'", text)
	}
	dir := unescapeCone(text)
	p.recursive[dir]++
	if p.parents[dir] {
		return fmt.Sprintf("your sparse-checkout file may have issues: pattern '%s' is repeated", text)
	}
	return ""
}

// coneGlobsOK reports whether text (after its leading '/') has no glob
// characters except escaped ones and a final "/*".
func coneGlobsOK(text string) bool {
	for i := 1; i < len(text); i++ {
		c := text[i]
		if !isGlobSpecial(c) || text[i-1] == '\\' {
			continue
		}
		if c == '\\' && i+1 < len(text) && isGlobSpecial(text[i+1]) {
			continue
		}
		if c == '*' && text[i-1] == '/' && i+1 == len(text) {
			continue
		}
		return false
	}
	return true
}

func isGlobSpecial(c byte) bool {
	return c == '*' || c == '?' || c == '[' || c == '\\'
}

// unescapeCone turns "/a\*b/*" into the directory name "a*b": git drops
// each escaping backslash, then a trailing "/*".
func unescapeCone(text string) string {
	var b strings.Builder
	for i := 0; i < len(text); i++ {
		if text[i] == '\\' {
			i++
			if i == len(text) {
				break
			}
		}
		b.WriteByte(text[i])
	}
	s := b.String()
	if len(s) > 2 && strings.HasSuffix(s, "/*") {
		s = s[:len(s)-2]
	}
	return strings.TrimPrefix(s, "/")
}

// coneResult is git's pattern_match_result in cone mode.
type coneResult uint8

const (
	notMatched coneResult = iota
	matched
	matchedRecursive
)

// coneMatch is git's path_matches_pattern_list() in cone mode, for a file
// or a directory: a recursive directory (or anything below one) is
// matchedRecursive; an entry at the root, or directly in a parent
// directory, is matched.
func (p *Patterns) coneMatch(path string) coneResult {
	if p.recursive[path] > 0 {
		return matchedRecursive
	}
	dir, ok := parent(path)
	if !ok {
		return matched
	}
	if p.parents[dir] {
		return matched
	}
	for ; ok; dir, ok = parent(dir) {
		if p.recursive[dir] > 0 {
			return matchedRecursive
		}
	}
	return notMatched
}

// coneIncludes follows checkout (clear_ce_flags() in unpack-trees.c): it
// walks down the file's directories from the top, taking everything below
// a matchedRecursive one and skipping everything below a notMatched one,
// then matches the file itself. With the files "git sparse-checkout"
// writes this is plain coneMatch, but a hand-written "/a/b/c/" without
// "/a/" and "/a/b/" lines includes nothing below a/, as in git: a/b is not
// matched, so checkout never looks inside it.
func (p *Patterns) coneIncludes(path string) bool {
	if p.full {
		return true
	}
	for i := 0; i < len(path); i++ {
		if path[i] != '/' {
			continue
		}
		switch p.coneMatch(path[:i]) {
		case matchedRecursive:
			return true
		case notMatched:
			return false
		}
	}
	return p.coneMatch(path) != notMatched
}

// coneDir walks down to dir as coneIncludes does. Below a directory it
// reaches, only a parent directory holds included files, and only an
// ancestor of another entry can lead to some.
func (p *Patterns) coneDir(dir string) pathwalk.Match {
	if p.full {
		return pathwalk.Included
	}
	if dir != "" {
		for i := 0; i <= len(dir); i++ {
			if i < len(dir) && dir[i] != '/' {
				continue
			}
			switch p.coneMatch(dir[:i]) {
			case matchedRecursive:
				return pathwalk.Included
			case notMatched:
				return pathwalk.Excluded
			}
		}
	}
	if p.parents[dir] || p.inner[dir] {
		return pathwalk.Partial
	}
	return pathwalk.Excluded
}
