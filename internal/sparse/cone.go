package sparse

import (
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
	p.recursive = map[string]bool{}
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
	for _, set := range []map[string]bool{p.recursive, p.parents} {
		for dir := range set {
			for d, ok := parent(dir); ok; d, ok = parent(d) {
				p.inner[d] = true
			}
		}
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
		if !p.recursive[dir] {
			return fmt.Sprintf("unrecognized negative pattern: '%s'", text)
		}
		delete(p.recursive, dir)
		p.parents[dir] = true
		return ""
	}
	if pat.negative {
		return fmt.Sprintf("unrecognized negative pattern: '%s'", text)
	}
	dir := unescapeCone(text)
	p.recursive[dir] = true
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

// coneIncludes is git's path_matches_pattern_list() in cone mode for a
// file: root files are always in; otherwise the file's directory must be a
// parent, or the file or one of its directories recursive.
func (p *Patterns) coneIncludes(path string) bool {
	if p.full || p.recursive[path] {
		return true
	}
	dir, ok := parent(path)
	if !ok || p.parents[dir] {
		return true
	}
	for ; ok; dir, ok = parent(dir) {
		if p.recursive[dir] {
			return true
		}
	}
	return false
}

func (p *Patterns) coneDir(dir string) DirMatch {
	if p.full {
		return DirIncluded
	}
	for d, ok := dir, dir != ""; ok; d, ok = parent(d) {
		if p.recursive[d] {
			return DirIncluded
		}
	}
	if p.parents[dir] || p.inner[dir] {
		return DirPartial
	}
	return DirExcluded
}
