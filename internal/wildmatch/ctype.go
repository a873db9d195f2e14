package wildmatch

// Character classes use git's own ASCII-only ctype table (ctype.c), not
// the C library's locale: bytes 0x80 and above are in no class, and
// "space" is only tab, newline, carriage return and space (no \v, \f).
var classes = map[string]func(c byte, caseFold bool) bool{
	"alnum":  func(c byte, _ bool) bool { return isAlpha(c) || isDigit(c) },
	"alpha":  func(c byte, _ bool) bool { return isAlpha(c) },
	"blank":  func(c byte, _ bool) bool { return c == ' ' || c == '\t' },
	"cntrl":  func(c byte, _ bool) bool { return c < 0x20 || c == 0x7f },
	"digit":  func(c byte, _ bool) bool { return isDigit(c) },
	"graph":  func(c byte, _ bool) bool { return c > 0x20 && c < 0x7f },
	"lower":  func(c byte, _ bool) bool { return isLower(c) },
	"print":  func(c byte, _ bool) bool { return c >= 0x20 && c < 0x7f },
	"punct":  func(c byte, _ bool) bool { return c > 0x20 && c < 0x7f && !isAlpha(c) && !isDigit(c) },
	"space":  func(c byte, _ bool) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' },
	"xdigit": func(c byte, _ bool) bool { return isDigit(c) || ('a' <= c && c <= 'f') || ('A' <= c && c <= 'F') },
	// Under CaseFold the text byte is already lower case, so git lets
	// [:upper:] accept lower-case letters. [:lower:] needs no such rule.
	"upper": func(c byte, caseFold bool) bool { return isUpper(c) || (caseFold && isLower(c)) },
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
func isLower(c byte) bool { return 'a' <= c && c <= 'z' }
func isUpper(c byte) bool { return 'A' <= c && c <= 'Z' }
func isAlpha(c byte) bool { return isLower(c) || isUpper(c) }

func toLower(c byte) byte {
	if isUpper(c) {
		return c + 'a' - 'A'
	}
	return c
}

func toUpper(c byte) byte {
	if isLower(c) {
		return c - ('a' - 'A')
	}
	return c
}
