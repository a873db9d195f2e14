package wildmatch

// parseBracket parses the bracket expression whose body starts at i (just
// after the '['). It returns the set of text bytes it matches, the index
// after the closing ']', and false if git would treat the whole pattern as
// unmatchable (no closing ']', an unknown [:class:], or a backslash at the
// end).
//
// The parse follows git byte for byte:
//   - '!' or '^' first negates the set;
//   - the first member is taken literally even if it is ']' ("[]]", "[!]]");
//   - "a-z" is a range only if something came before the '-' (and that was
//     not itself a range or a class) and the '-' is not followed by ']';
//     so "[-a]", "[a-]" and "[a-e-n]" contain a literal '-';
//   - '\' escapes the next byte, also as a range end ("[\1-\3]");
//   - "[:name:]" is a class; "[:" without a later ":]" is a literal '[';
//   - under PathName the set never contains '/', even when negated.
func parseBracket(pattern string, i int, flags Flags) (byteSet, int, bool) {
	negated := false
	if i < len(pattern) && (pattern[i] == '!' || pattern[i] == '^') {
		negated = true
		i++
	}
	var m members
	prev := -1 // previous literal member, -1 after a range or class
	for first := true; ; first = false {
		if i >= len(pattern) {
			return byteSet{}, 0, false
		}
		c := pattern[i]
		switch {
		case c == ']' && !first:
			return m.set(negated, flags), i + 1, true
		case c == '\\':
			i++
			if i >= len(pattern) {
				return byteSet{}, 0, false
			}
			m.lits.add(pattern[i])
			prev = int(pattern[i])
		case c == '-' && prev >= 0 && i+1 < len(pattern) && pattern[i+1] != ']':
			i++
			hi := pattern[i]
			if hi == '\\' {
				i++
				if i >= len(pattern) {
					return byteSet{}, 0, false
				}
				hi = pattern[i]
			}
			m.ranges = append(m.ranges, [2]byte{byte(prev), hi})
			prev = -1
		case c == '[' && i+1 < len(pattern) && pattern[i+1] == ':':
			end := i + 2
			for end < len(pattern) && pattern[end] != ']' {
				end++
			}
			if end >= len(pattern) {
				return byteSet{}, 0, false
			}
			if end-(i+2) < 1 || pattern[end-1] != ':' {
				// No ":]": the '[' is an ordinary member and the
				// parse goes on with the ':' after it.
				m.lits.add('[')
				prev = '['
				i++
				continue
			}
			class, ok := classes[pattern[i+2:end-1]]
			if !ok {
				return byteSet{}, 0, false
			}
			m.classes = append(m.classes, class)
			prev = -1
			i = end
		default:
			m.lits.add(c)
			prev = int(c)
		}
		i++
	}
}

// members collects the parts of a bracket expression.
type members struct {
	lits    byteSet
	ranges  [][2]byte
	classes []func(c byte, caseFold bool) bool
}

// set evaluates the members for every possible text byte. Under CaseFold
// git lower-cases the text byte first; literal members are compared as
// written, while ranges also accept the upper-case form of a lower-case
// text byte (so "[A-Z]" matches 'a' but "[A]" does not).
func (m *members) set(negated bool, flags Flags) byteSet {
	caseFold := flags&CaseFold != 0
	var s byteSet
	for b := 0; b < 256; b++ {
		t := byte(b)
		if caseFold {
			t = toLower(t)
		}
		matched := m.lits.has(t)
		for _, r := range m.ranges {
			if r[0] <= t && t <= r[1] {
				matched = true
			} else if caseFold && isLower(t) && r[0] <= toUpper(t) && toUpper(t) <= r[1] {
				matched = true
			}
		}
		for _, class := range m.classes {
			if class(t, caseFold) {
				matched = true
			}
		}
		if matched != negated && !(flags&PathName != 0 && t == '/') {
			s.add(byte(b))
		}
	}
	return s
}

// byteSet is a set of bytes.
type byteSet [4]uint64

func (s *byteSet) add(c byte)      { s[c/64] |= 1 << (c % 64) }
func (s *byteSet) remove(c byte)   { s[c/64] &^= 1 << (c % 64) }
func (s *byteSet) has(c byte) bool { return s[c/64]&(1<<(c%64)) != 0 }
func (s *byteSet) empty() bool     { return s[0]|s[1]|s[2]|s[3] == 0 }
func (s *byteSet) full() bool      { return s[0]&s[1]&s[2]&s[3] == ^uint64(0) }
