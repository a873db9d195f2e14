package sparse

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/git-backfill/git-backfill/internal/wildmatch"
)

// Parse reads the contents of a sparse-checkout file. cone is the value of
// core.sparseCheckoutCone. Lines are read as git reads them: a UTF-8 byte
// order mark is skipped, a final line needs no newline, "\r\n" counts as a
// newline, empty lines and lines starting with '#' are ignored, and
// trailing spaces are removed unless escaped with a backslash. The only
// error is one from r.
func Parse(r io.Reader, cone bool) (*Patterns, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("reading sparse-checkout patterns: %w", err)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	p := &Patterns{}
	for len(data) > 0 {
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		// Git skips empty lines before removing '\r', so a line
		// holding only "\r" (or only spaces) becomes an empty pattern.
		// That matches nothing, but it does break cone mode.
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		line = bytes.TrimSuffix(line, []byte("\r"))
		p.list = append(p.list, newPattern(trimTrailingSpaces(string(line))))
	}
	if cone {
		p.buildCone()
	}
	return p, nil
}

// trimTrailingSpaces removes trailing spaces (not tabs) unless the first of
// them is escaped: "a\ " keeps its escaped space.
func trimTrailingSpaces(s string) string {
	lastSpace := -1
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ' ':
			if lastSpace < 0 {
				lastSpace = i
			}
		case '\\':
			i++
			if i == len(s) {
				// A trailing lone backslash: git keeps the line.
				return s
			}
			lastSpace = -1
		default:
			lastSpace = -1
		}
	}
	if lastSpace >= 0 {
		return s[:lastSpace]
	}
	return s
}

// pattern is one line of gitignore syntax.
type pattern struct {
	text      string // the line without '!' and without a trailing '/'
	negative  bool   // "!pattern": a match excludes
	mustBeDir bool   // "pattern/": matches directories only
	// A pattern without a '/' other than a trailing one matches the last
	// path component at any depth (base). Any other pattern matches the
	// whole path from the root, a leading '/' removed: git compares its
	// literal part (up to the first wildcard) byte for byte and matches
	// the rest with wildmatch (rest, nil when there is none).
	base    *wildmatch.Pattern
	literal string
	rest    *wildmatch.Pattern
}

func newPattern(line string) pattern {
	var p pattern
	if strings.HasPrefix(line, "!") {
		p.negative = true
		line = line[1:]
	}
	if strings.HasSuffix(line, "/") {
		p.mustBeDir = true
		line = line[:len(line)-1]
	}
	p.text = line
	if !strings.Contains(line, "/") {
		// The base name is matched without WM_PATHNAME; it holds no
		// '/' anyway.
		p.base = wildmatch.Compile(line, 0)
		return p
	}
	// Splitting at the first wildcard is not just an optimisation: the
	// rest is matched as a pattern of its own, so in "a**/b" the "**"
	// starts that pattern and counts as "**/" (matching "a/x/y/b").
	pat := line
	n := literalLen(pat)
	if pat[0] == '/' {
		pat, n = pat[1:], n-1
	}
	p.literal = pat[:n]
	if n < len(pat) {
		p.rest = wildmatch.Compile(pat[n:], wildmatch.PathName)
	}
	return p
}

// literalLen is the length of s before its first wildcard or backslash
// (git's simple_length).
func literalLen(s string) int {
	if i := strings.IndexAny(s, `*?[\`); i >= 0 {
		return i
	}
	return len(s)
}
