package git

import (
	"fmt"
	"strings"
)

// UnquotePath undoes git's quoting of a path in text output (quote_c_style):
// a path holding a double quote, a backslash or a control character is
// printed between double quotes with C escapes (\t, \n, \", \\, \ooo
// octal). With core.quotePath=false, bytes from 0x80 up are printed as
// they are, but a git that quotes them anyway is understood too. A path
// that does not start with a double quote is returned unchanged.
func UnquotePath(s string) (string, error) {
	if !strings.HasPrefix(s, `"`) {
		return s, nil
	}
	if len(s) < 2 || s[len(s)-1] != '"' {
		return "", fmt.Errorf("unterminated quoted path %q", s)
	}
	in := s[1 : len(s)-1]
	var b strings.Builder
	b.Grow(len(in))
	for i := 0; i < len(in); i++ {
		c := in[i]
		if c == '"' {
			return "", fmt.Errorf("unescaped quote in path %q", s)
		}
		if c != '\\' {
			b.WriteByte(c)
			continue
		}
		i++
		if i == len(in) {
			return "", fmt.Errorf("dangling backslash in path %q", s)
		}
		switch c = in[i]; c {
		case 'a':
			b.WriteByte('\a')
		case 'b':
			b.WriteByte('\b')
		case 't':
			b.WriteByte('\t')
		case 'n':
			b.WriteByte('\n')
		case 'v':
			b.WriteByte('\v')
		case 'f':
			b.WriteByte('\f')
		case 'r':
			b.WriteByte('\r')
		case '"', '\\':
			b.WriteByte(c)
		case '0', '1', '2', '3':
			if i+2 >= len(in) || !isOctal(in[i+1]) || !isOctal(in[i+2]) {
				return "", fmt.Errorf("bad octal escape in path %q", s)
			}
			b.WriteByte((c-'0')<<6 | (in[i+1]-'0')<<3 | (in[i+2] - '0'))
			i += 2
		default:
			return "", fmt.Errorf("unknown escape \\%c in path %q", c, s)
		}
	}
	return b.String(), nil
}

func isOctal(c byte) bool { return c >= '0' && c <= '7' }

// QuotePath quotes a path for human output as git does with
// core.quotePath=false (quote_c_style): a path holding a double quote, a
// backslash or a control character is printed between double quotes with
// C escapes, so that a name cannot fake lines or terminal sequences.
// UnquotePath undoes it.
func QuotePath(p string) string {
	if !strings.ContainsFunc(p, needsQuote) {
		return p
	}
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(p); i++ {
		switch c := p[i]; c {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\a':
			b.WriteString(`\a`)
		case '\b':
			b.WriteString(`\b`)
		case '\t':
			b.WriteString(`\t`)
		case '\n':
			b.WriteString(`\n`)
		case '\v':
			b.WriteString(`\v`)
		case '\f':
			b.WriteString(`\f`)
		case '\r':
			b.WriteString(`\r`)
		default:
			if c < 0x20 || c == 0x7f {
				fmt.Fprintf(&b, `\%03o`, c)
			} else {
				b.WriteByte(c)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}

func needsQuote(r rune) bool {
	return r == '"' || r == '\\' || r < 0x20 || r == 0x7f
}
