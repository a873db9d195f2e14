// Package wildmatch matches paths against shell-style patterns exactly as
// git's wildmatch() does: the matcher behind .gitignore, sparse-checkout
// patterns and glob pathspecs.
//
// The syntax is *, ?, [...] (ranges, ! or ^ negation, [:class:] names) and
// backslash escapes. With PathName, '*', '?' and brackets never match '/',
// and "**" is special when it forms a whole path component: "**/" at the
// start, "/**/" in the middle (zero or more directories) and "/**" at the end
// (everything inside). Without PathName every '*' may match '/' and "**" is
// just '*'.
//
// Git's own matcher backtracks; this one compiles the pattern to a list of
// single-byte steps and runs them as a set of states, so matching takes
// O(len(pattern) × len(text)) time on any input. Git's quirks are kept on
// purpose (see the comments where each is handled), because a pattern must
// select the same paths here as it does in git.
package wildmatch

// Flags change how a pattern matches.
type Flags uint8

const (
	// PathName is git's WM_PATHNAME: wildcards do not match '/', and "**"
	// between slashes matches any number of directories.
	PathName Flags = 1 << iota
	// CaseFold is git's WM_CASEFOLD: ASCII letters match either case (with
	// git's exceptions inside brackets and after a backslash; see Compile).
	CaseFold
)

// Match reports whether text matches pattern in full. It is Compile followed
// by Pattern.Match; compile once when matching many texts.
func Match(pattern, text string, flags Flags) bool {
	return Compile(pattern, flags).Match(text)
}

// Pattern is a compiled pattern. It is immutable and safe for concurrent use.
type Pattern struct {
	steps []step
	// never is set for patterns git can never match: an unterminated
	// bracket, an unknown [:class:], or a trailing lone backslash.
	never bool
	// live[i] reports whether the steps from i on can match some string.
	live []bool
	// rest[i] reports whether the steps from i on match every string.
	rest []bool
	// moves lists, in order, the steps that move on without consuming a
	// byte: stars and forks.
	moves []int
}

// step consumes one byte from set, or, for a star, any number of bytes from
// set. A fork (fork > 0) consumes nothing and continues both at the next
// step and at step fork; it lets a "**/" component match nothing at all,
// slash included.
type step struct {
	set  byteSet
	star bool
	fork int
}

// Match reports whether text matches the whole pattern.
func (p *Pattern) Match(text string) bool {
	if p.never {
		return false
	}
	var buf [2 * smallStates]uint64
	cur, ok := p.run(text, buf[:])
	return ok && cur.has(len(p.steps))
}

// PrefixMatch says how the strings that begin with some prefix fare
// against a pattern.
type PrefixMatch uint8

const (
	// PrefixNone: no string that begins with the prefix matches.
	PrefixNone PrefixMatch = iota
	// PrefixSome: some strings that begin with the prefix may match.
	PrefixSome
	// PrefixAll: every string that begins with the prefix matches.
	PrefixAll
)

// Prefix reports whether strings beginning with prefix can match the
// pattern, so that a tree walker may prune a directory "d" when
// Prefix("d/") is PrefixNone and take it whole when it is PrefixAll. Both
// answers are certain, and PrefixNone is given whenever it holds;
// PrefixSome means some strings may match, or that all do but this could
// not be shown (the pattern's final stars must match anything for that).
func (p *Pattern) Prefix(prefix string) PrefixMatch {
	if p.never {
		return PrefixNone
	}
	var buf [2 * smallStates]uint64
	cur, ok := p.run(prefix, buf[:])
	if !ok {
		return PrefixNone
	}
	result := PrefixNone
	for i := 0; i <= len(p.steps); i++ {
		switch {
		case !cur.has(i) || !p.live[i]:
		case p.rest[i]:
			return PrefixAll
		default:
			result = PrefixSome
		}
	}
	return result
}
