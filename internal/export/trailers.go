package export

import (
	"strings"

	"github.com/git-backfill/git-backfill/exporters"
)

// The parser follows git's trailer.c (git 2.39) as used by
// "git interpret-trailers --parse --no-divider" and %(trailers:unfold,only):
// a commit message is not a patch, so "---" is no divider. It uses git's
// defaults, not the user's configuration: ':' separates, '#' starts a
// comment, and no trailer.<token>.key is known.

// gitGeneratedPrefixes are trailers git writes itself; one of them lets a
// block count as trailers when only a quarter of its lines are.
var gitGeneratedPrefixes = []string{"Signed-off-by: ", "(cherry picked from commit "}

// parseTrailers returns the "Key: value" lines of msg's trailer block (the
// last paragraph, if it is one), continuation lines unfolded; never nil.
func parseTrailers(msg string) []exporters.Trailer {
	trailers := []exporters.Trailer{}
	end := len(msg) - ignoredTail(msg)
	start := trailerStart(msg[:end])
	var last *exporters.Trailer
	for _, line := range splitLines(msg[start:end]) {
		if last != nil && len(line) > 0 && isSpace(line[0]) {
			last.Value += "\n" + strings.TrimRight(line, "\n")
			continue
		}
		last = nil
		sep := findSeparator(line)
		if sep < 1 {
			continue // not a trailer: only trailers are returned
		}
		trailers = append(trailers, exporters.Trailer{
			Key:   trimSpace(line[:sep]),
			Value: strings.TrimRight(line[sep+1:], "\n"),
		})
		last = &trailers[len(trailers)-1]
	}
	for i := range trailers {
		trailers[i].Value = unfold(trailers[i].Value)
	}
	return trailers
}

// trailerStart finds where the trailer block of buf begins, len(buf) if
// it has none: scanning up from the end, the last paragraph after the
// title counts if all its lines are trailers or continuation lines, or if
// it holds a git-generated trailer and at least 25% trailers.
func trailerStart(buf string) int {
	endOfTitle := len(buf)
	for s := 0; s < len(buf); s = nextLine(buf, s) {
		if buf[s] == '#' {
			continue
		}
		if isBlankLine(buf[s:]) {
			endOfTitle = s
			break
		}
	}
	onlySpaces, recognized := true, false
	trailerLines, nonTrailerLines, possibleContinuation := 0, 0, 0
	for l := lastLine(buf, len(buf)); l >= endOfTitle; l = lastLine(buf, l) {
		bol := buf[l:]
		if bol[0] == '#' {
			nonTrailerLines += possibleContinuation
			possibleContinuation = 0
			continue
		}
		if isBlankLine(bol) {
			if onlySpaces {
				continue
			}
			nonTrailerLines += possibleContinuation
			if recognized && trailerLines*3 >= nonTrailerLines ||
				trailerLines > 0 && nonTrailerLines == 0 {
				return nextLine(buf, l)
			}
			return len(buf)
		}
		onlySpaces = false
		if hasGitGeneratedPrefix(bol) {
			trailerLines++
			possibleContinuation = 0
			recognized = true
			continue
		}
		switch {
		case findSeparator(bol) >= 1 && !isSpace(bol[0]):
			trailerLines++
			possibleContinuation = 0
		case isSpace(bol[0]):
			possibleContinuation++
		default:
			nonTrailerLines += 1 + possibleContinuation
			possibleContinuation = 0
		}
	}
	return len(buf)
}

func hasGitGeneratedPrefix(s string) bool {
	for _, p := range gitGeneratedPrefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// findSeparator returns the index of the ':' ending a token made of
// letters, digits and '-', possibly followed by spaces, or -1. Like git's,
// it looks at the line's start only: anything else ends the token.
func findSeparator(line string) int {
	whitespace := false
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == ':':
			return i
		case !whitespace && (isAlnum(c) || c == '-'):
		case i > 0 && (c == ' ' || c == '\t'):
			whitespace = true
		default:
			return -1
		}
	}
	return -1
}

// ignoredTail is the length of the end of msg that git leaves out before
// looking for trailers: everything from a scissors line, and trailing
// comment or blank lines and an old-style "Conflicts:" block.
func ignoredTail(msg string) int {
	cutoff := len(msg)
	const scissors = "# ------------------------ >8 ------------------------\n"
	if strings.HasPrefix(msg, scissors) {
		cutoff = 0
	} else if i := strings.Index(msg, "\n"+scissors); i >= 0 {
		cutoff = i + 1
	}
	boc, inConflicts := 0, false
	for bol := 0; bol < cutoff; bol = nextLine(msg, bol) {
		switch {
		case msg[bol] == '#' || msg[bol] == '\n':
			if boc == 0 {
				boc = bol
			}
		case strings.HasPrefix(msg[bol:], "Conflicts:\n"):
			inConflicts = true
			if boc == 0 {
				boc = bol
			}
		case inConflicts && msg[bol] == '\t':
		case boc != 0:
			boc, inConflicts = 0, false
		}
	}
	if boc != 0 {
		return len(msg) - boc
	}
	return len(msg) - cutoff
}

// unfold joins continuation lines with single spaces and trims, like
// git's unfold_value.
func unfold(v string) string {
	var b strings.Builder
	for i := 0; i < len(v); {
		c := v[i]
		i++
		if c != '\n' {
			b.WriteByte(c)
			continue
		}
		for i < len(v) && isSpace(v[i]) {
			i++
		}
		b.WriteByte(' ')
	}
	return trimSpace(b.String())
}

// splitLines splits s after each newline, keeping the newlines.
func splitLines(s string) []string {
	return strings.SplitAfter(strings.TrimSuffix(s, "\n"), "\n")
}

func nextLine(s string, i int) int {
	if j := strings.IndexByte(s[i:], '\n'); j >= 0 {
		return i + j + 1
	}
	return len(s)
}

// lastLine returns the start of the line before position end, -1 at the
// beginning; a newline just before end belongs to that line.
func lastLine(s string, end int) int {
	if end <= 0 {
		return -1
	}
	if end == 1 {
		return 0
	}
	if i := strings.LastIndexByte(s[:end-1], '\n'); i >= 0 {
		return i + 1
	}
	return 0
}

func isBlankLine(s string) bool {
	for i := 0; i < len(s) && s[i] != '\n'; i++ {
		if !isSpace(s[i]) {
			return false
		}
	}
	return true
}

// isSpace and isAlnum are git's ASCII-only character classes.
func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func trimSpace(s string) string {
	return strings.TrimFunc(s, func(r rune) bool { return r < 0x80 && isSpace(byte(r)) })
}
