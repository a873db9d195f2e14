package wildmatch

// Compile parses pattern once for repeated matching. It never fails: like
// git, a malformed pattern (an unterminated bracket, an unknown [:class:],
// a trailing lone backslash) is accepted and simply matches nothing.
//
// With CaseFold, git folds the text and unescaped pattern letters to lower
// case, but compares bracket members and backslash-escaped letters as
// written. So "[A]" and "\A" match nothing under CaseFold, while "[a]", "\a"
// and "[A-Z]" match both cases. This package keeps that quirk.
func Compile(pattern string, flags Flags) *Pattern {
	p := &Pattern{}
	pathName := flags&PathName != 0
	for i := 0; i < len(pattern); {
		switch c := pattern[i]; c {
		case '\\':
			// Git compares the byte after the backslash against the
			// folded text byte without folding it; a backslash at the
			// very end compares against the string's NUL and fails.
			if i+1 == len(pattern) {
				p.never = true
				return p
			}
			p.steps = append(p.steps, step{set: literalSet(pattern[i+1], false, flags)})
			i += 2
		case '?':
			p.steps = append(p.steps, step{set: anySet(pathName)})
			i++
		case '[':
			set, next, ok := parseBracket(pattern, i+1, flags)
			if !ok {
				p.never = true
				return p
			}
			p.steps = append(p.steps, step{set: set})
			i = next
		case '*':
			i = p.compileStars(pattern, i, pathName)
		default:
			p.steps = append(p.steps, step{set: literalSet(c, true, flags)})
			i++
		}
	}
	p.analyse()
	return p
}

// compileStars compiles the run of stars starting at i and returns the
// index after it.
func (p *Pattern) compileStars(pattern string, i int, pathName bool) int {
	start := i
	for i < len(pattern) && pattern[i] == '*' {
		i++
	}
	if !pathName {
		// Without WM_PATHNAME, '*' and '**' both match anything.
		p.steps = append(p.steps, step{set: anySet(false), star: true})
		return i
	}
	// Git treats a run of two or more stars as "**" only when it is a
	// whole path component: preceded by the start of the pattern or a
	// '/', and followed by the end, a '/' or an escaped "\/". Any other
	// run is a single '*' that stops at slashes (so "foo**bar" cannot
	// cross directories).
	before := start == 0 || pattern[start-1] == '/'
	after := i == len(pattern) || pattern[i] == '/' ||
		(pattern[i] == '\\' && i+1 < len(pattern) && pattern[i+1] == '/')
	if i-start < 2 || !before || !after {
		p.steps = append(p.steps, step{set: anySet(true), star: true})
		return i
	}
	// "**/" (with a plain slash, not "\/") may also match nothing at all,
	// slash included: git first tries the rest of the pattern right here,
	// which is how "foo/**/bar" matches "foo/bar". That is a fork over the
	// star and its slash: steps fork, star, '/', then the rest.
	if i < len(pattern) && pattern[i] == '/' {
		fork := len(p.steps)
		p.steps = append(p.steps,
			step{fork: fork + 3},
			step{set: anySet(false), star: true},
			step{set: literalSet('/', false, 0)})
		return i + 1
	}
	p.steps = append(p.steps, step{set: anySet(false), star: true})
	return i
}

// analyse fills in moves, and live and rest for Prefix.
func (p *Pattern) analyse() {
	n := len(p.steps)
	p.live = make([]bool, n+1)
	p.rest = make([]bool, n+1)
	p.live[n] = true
	for i, s := range p.steps {
		if s.star || s.fork > 0 {
			p.moves = append(p.moves, i)
		}
	}
	for i := n - 1; i >= 0; i-- {
		s := p.steps[i]
		switch {
		case s.fork > 0:
			p.live[i] = p.live[i+1] || p.live[s.fork]
			p.rest[i] = p.rest[i+1] || p.rest[s.fork]
		case s.star:
			p.live[i] = p.live[i+1]
			p.rest[i] = s.set.full() && (i+1 == n || p.rest[i+1])
		default:
			p.live[i] = !s.set.empty() && p.live[i+1]
		}
	}
}

// literalSet is the set of text bytes that match pattern byte c. Under
// CaseFold git lower-cases the text byte; it lower-cases c too only when
// fold is set (c was not escaped), so an escaped upper-case letter matches
// nothing.
func literalSet(c byte, fold bool, flags Flags) byteSet {
	var s byteSet
	if flags&CaseFold == 0 {
		s.add(c)
		return s
	}
	if fold {
		c = toLower(c)
	}
	switch {
	case isLower(c):
		s.add(c)
		s.add(toUpper(c))
	case !isUpper(c):
		s.add(c)
	}
	return s
}

// anySet is every byte, or every byte but '/' when noSlash is set.
func anySet(noSlash bool) byteSet {
	var s byteSet
	for i := range s {
		s[i] = ^uint64(0)
	}
	if noSlash {
		s.remove('/')
	}
	return s
}
