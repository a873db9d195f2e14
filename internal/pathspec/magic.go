package pathspec

import (
	"fmt"
	"strings"
)

// parseMagic splits arg into its magic and the path after it. Magic is
// ":(word,word)path" (long form) or ":/!path" (short form); an argument
// not starting with ':' has none.
func parseMagic(arg string) (magic, string, error) {
	if !strings.HasPrefix(arg, ":") {
		return 0, arg, nil
	}
	if strings.HasPrefix(arg, ":(") {
		return parseLongMagic(arg)
	}
	return parseShortMagic(arg)
}

// parseLongMagic parses ":(top,icase)path". Words are separated by ',';
// a backslash keeps the next byte from ending a word, as in git; empty
// words are ignored.
func parseLongMagic(arg string) (magic, string, error) {
	var m magic
	pos := 2
	for pos < len(arg) && arg[pos] != ')' {
		n := wordLen(arg[pos:])
		word := arg[pos : pos+n]
		pos += n
		if pos < len(arg) && arg[pos] == ',' {
			pos++
		}
		if word == "" {
			continue
		}
		// Git has these two, but attr needs .gitattributes and prefix
		// is internal to git.
		for _, unsupported := range []string{"attr", "prefix"} {
			if word == unsupported || strings.HasPrefix(word, unsupported+":") {
				return 0, "", fmt.Errorf("pathspec '%s': magic '%s' is not supported", arg, unsupported)
			}
		}
		bit, ok := magicWords[word]
		if !ok {
			return 0, "", fmt.Errorf("invalid pathspec magic '%s' in '%s'", word, arg)
		}
		m |= bit
	}
	if pos >= len(arg) {
		return 0, "", fmt.Errorf("missing ')' at the end of pathspec magic in '%s'", arg)
	}
	return m, arg[pos+1:], nil
}

// wordLen is the length of the magic word at the start of s: up to ',' or
// ')', skipping backslash-escaped bytes (git's strcspn_escaped).
func wordLen(s string) int {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			if i+1 < len(s) {
				i++
			}
		case ',', ')':
			return i
		}
	}
	return len(s)
}

// parseShortMagic parses ":/!path". Git reads magic characters until a
// ':' (which it drops) or the first byte that is not a punctuation mark
// it reserves for magic; a reserved one it does not implement is an error
// (":-x"). So ":*.c" is "*.c" with no magic, and "::x" is "x".
func parseShortMagic(arg string) (magic, string, error) {
	var m magic
	pos := 1
	for ; pos < len(arg) && arg[pos] != ':'; pos++ {
		c := arg[pos]
		switch {
		case c == '/':
			m |= magicTop
		case c == '!' || c == '^':
			m |= magicExclude
		case strings.IndexByte(reservedMagic, c) >= 0:
			return 0, "", fmt.Errorf("unimplemented pathspec magic '%c' in '%s'", c, arg)
		default:
			return m, arg[pos:], nil
		}
	}
	if pos < len(arg) {
		pos++ // the ':' ending the magic
	}
	return m, arg[pos:], nil
}

// reservedMagic are the bytes git's ctype table marks as pathspec magic.
const reservedMagic = "!\"#%&',-/:;<=>@_`~"
