package trace2

import "strings"

// appendJSONString appends s quoted as git's json-writer quotes
// (append_quoted_string): '"' and '\\' escaped, \n \r \t \f \b by name,
// other control characters as \u00XX, every other byte as it is.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '"':
			b = append(b, '\\', '"')
		case '\\':
			b = append(b, '\\', '\\')
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		case '\f':
			b = append(b, '\\', 'f')
		case '\b':
			b = append(b, '\\', 'b')
		default:
			if c < 0x20 {
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			} else {
				b = append(b, c)
			}
		}
	}
	return append(b, '"')
}

// sqArgv quotes each argument for a shell where it needs it, separated by
// spaces (git's sq_append_quote_argv_pretty).
func sqArgv(argv []string) string {
	var b strings.Builder
	for i, a := range argv {
		if i > 0 {
			b.WriteByte(' ')
		}
		sqQuotePretty(&b, a)
	}
	return b.String()
}

// sqQuotePretty writes s as is when it holds only letters, digits and
// "+,-./:=@_^", else in single quotes, with ' and ! outside them
// backslashed (git's sq_quote_buf_pretty); an empty s as a pair of quotes.
func sqQuotePretty(b *strings.Builder, s string) {
	if s == "" {
		b.WriteString("''")
		return
	}
	plain := true
	for i := 0; i < len(s) && plain; i++ {
		c := s[i]
		plain = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			strings.IndexByte("+,-./:=@_^", c) >= 0
	}
	if plain {
		b.WriteString(s)
		return
	}
	b.WriteByte('\'')
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '\'' || c == '!' {
			b.WriteString("'\\")
			b.WriteByte(c)
			b.WriteByte('\'')
		} else {
			b.WriteByte(c)
		}
	}
	b.WriteByte('\'')
}

// redactArgv returns argv with the password of each http(s) URL with
// credentials replaced by <REDACTED> (git's redact_argv); argv itself when
// there is none.
func redactArgv(argv []string) []string {
	var out []string
	for i, a := range argv {
		if r := redactArg(a); r != a {
			if out == nil {
				out = append([]string(nil), argv...)
			}
			out[i] = r
		}
	}
	if out == nil {
		return argv
	}
	return out
}

// redactArg hides the password in "http(s)://user:password@host...": the
// text between the first ':' and the '@' that ends the user information
// (before any '/').
func redactArg(arg string) string {
	rest, ok := strings.CutPrefix(arg, "https://")
	if !ok {
		if rest, ok = strings.CutPrefix(arg, "http://"); !ok {
			return arg
		}
	}
	at := strings.IndexAny(rest, "@/")
	if at < 0 || rest[at] != '@' {
		return arg
	}
	colon := strings.IndexByte(rest[:at], ':')
	if colon < 0 {
		return arg
	}
	head := arg[:len(arg)-len(rest)+colon]
	return head + ":<REDACTED>" + rest[at:]
}
