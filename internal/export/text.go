package export

import (
	"strings"
	"unicode/utf8"
)

// validUTF8 makes git's bytes valid UTF-8 for JSON, keeping every byte
// visible. Valid UTF-8 is returned as it is. Each byte that is not part of
// a valid UTF-8 sequence is read as ISO-8859-1 (Latin-1), the usual
// encoding of legacy commit messages and file contents: "caf\xe9" becomes
// "café" instead of the "caf\ufffd" that encoding/json would make of it,
// and no byte silently disappears.
//
// Messages come from git already re-encoded to UTF-8 where the commit
// names its encoding, so this only touches commits that carry other bytes
// without saying so, non-UTF-8 paths and diffs of non-UTF-8 files.
func validUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size <= 1 {
			b.WriteRune(rune(s[i]))
			i++
			continue
		}
		b.WriteString(s[i : i+size])
		i += size
	}
	return b.String()
}
