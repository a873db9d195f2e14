package wildmatch

import "testing"

// FuzzMatch checks that matching never panics, agrees with reference (a
// direct recursive reading of git's rules) and that Prefix is consistent
// with Match.
func FuzzMatch(f *testing.F) {
	for _, c := range t3070Cases {
		f.Add(c.pattern, c.text, uint8(PathName))
	}
	f.Add(`*a*a*a*a*a*a*b`, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", uint8(0))
	f.Add(`a/**/b/**\/c`, "a/x/b/c", uint8(PathName|CaseFold))
	f.Fuzz(func(t *testing.T, pattern, text string, flagBits uint8) {
		flags := Flags(flagBits) & (PathName | CaseFold)
		p := Compile(pattern, flags)
		got := p.Match(text)
		if len(pattern) <= 24 && len(text) <= 48 {
			if want := reference(pattern, text, flags); got != want {
				t.Fatalf("Match(%q, %q, %v) = %v, reference says %v", pattern, text, flags, got, want)
			}
		}
		for k := 0; k <= len(text) && k <= 64; k++ {
			switch p.Prefix(text[:k]) {
			case PrefixNone:
				if got {
					t.Fatalf("Prefix(%q) of %q is None, but %q matches", text[:k], pattern, text)
				}
			case PrefixAll:
				if !got {
					t.Fatalf("Prefix(%q) of %q is All, but %q does not match", text[:k], pattern, text)
				}
			}
		}
	})
}

// reference matches by plain memoised recursion over the pattern text.
func reference(pattern, text string, flags Flags) bool {
	pathName := flags&PathName != 0
	memo := map[[2]int]bool{}
	var match func(pi, ti int) bool
	match = func(pi, ti int) bool {
		key := [2]int{pi, ti}
		if v, ok := memo[key]; ok {
			return v
		}
		result := false
		defer func() { memo[key] = result }()
		if pi == len(pattern) {
			result = ti == len(text)
			return result
		}
		one := func(set byteSet, next int) bool {
			return ti < len(text) && set.has(text[ti]) && match(next, ti+1)
		}
		switch pattern[pi] {
		case '\\':
			result = pi+1 < len(pattern) && one(literalSet(pattern[pi+1], false, flags), pi+2)
		case '?':
			result = ti < len(text) && !(pathName && text[ti] == '/') && match(pi+1, ti+1)
		case '[':
			set, next, ok := parseBracket(pattern, pi+1, flags)
			result = ok && one(set, next)
		case '*':
			end := pi
			for end < len(pattern) && pattern[end] == '*' {
				end++
			}
			slash := !pathName
			if pathName && end-pi >= 2 && (pi == 0 || pattern[pi-1] == '/') &&
				(end == len(pattern) || pattern[end] == '/' || (pattern[end] == '\\' && end+1 < len(pattern) && pattern[end+1] == '/')) {
				slash = true
				if end < len(pattern) && pattern[end] == '/' && match(end+1, ti) {
					result = true
					return result
				}
			}
			for k := ti; k <= len(text); k++ {
				if match(end, k) {
					result = true
					return result
				}
				if k < len(text) && !slash && text[k] == '/' {
					break
				}
			}
		default:
			result = one(literalSet(pattern[pi], true, flags), pi+1)
		}
		return result
	}
	return match(0, 0)
}
