package trace2

import (
	"encoding/json"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParseTarget: every value is read as exactly one kind of target, and
// each kind only from the values git reads as it.
func FuzzParseTarget(f *testing.F) {
	for _, s := range []string{"", "0", "1", "2", "7", "true", "FALSE", "/tmp/x", "/", "rel",
		"af_unix:/s", "af_unix:stream:/s", "af_unix:dgram:/s", "af_unix:", "af_unix:stream:", "af_unix:x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		s := parseTarget(v)
		kinds := 0
		for _, k := range []bool{s.off, s.stderr, s.fd > 0, s.path != "", s.stream || s.dgram, s.bad == valueUnknown} {
			if k {
				kinds++
			}
		}
		if kinds != 1 {
			t.Fatalf("%q: %+v is not one kind of target", v, s)
		}
		switch {
		case s.off && v != "" && v != "0" && !strings.EqualFold(v, "false"):
			t.Fatalf("%q read as off", v)
		case s.stderr && v != "1" && v != "2" && !strings.EqualFold(v, "true"):
			t.Fatalf("%q read as stderr", v)
		case s.fd > 0 && (s.fd < 3 || s.fd > 9 || len(v) != 1):
			t.Fatalf("%q read as descriptor %d", v, s.fd)
		case s.path != "" && (s.path != v || !filepath.IsAbs(v)):
			t.Fatalf("%q read as path %q", v, s.path)
		case s.stream || s.dgram:
			rest, ok := strings.CutPrefix(v, "af_unix:")
			if !ok || !strings.HasSuffix(rest, s.socket) {
				t.Fatalf("%q read as socket %q", v, s.socket)
			}
			if s.bad == valueOK && (!filepath.IsAbs(s.socket) || len(s.socket) >= sunPathLen) {
				t.Fatalf("%q: bad socket path %q accepted", v, s.socket)
			}
		}
	})
}

// FuzzQuoting: JSON strings stay on one line and decode to what was
// written; shell quoting reads back as the argument; redaction is stable.
func FuzzQuoting(f *testing.F) {
	for _, s := range []string{"", "plain", "a b", "it's!", "\"\\\n\x01\x7f", "é", "\xff",
		"https://u:p@h/r", "http://:@", "https://u@h:p/x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q := appendJSONString(nil, s)
		for _, c := range q {
			if c < 0x20 {
				t.Fatalf("%q: control byte in %q", s, q)
			}
		}
		if utf8.ValidString(s) {
			var back string
			if err := json.Unmarshal(q, &back); err != nil || back != s {
				t.Fatalf("%q quoted as %s reads back as %q (%v)", s, q, back, err)
			}
		}

		var b strings.Builder
		sqQuotePretty(&b, s)
		if back, ok := shUnquote(b.String()); !ok || back != s {
			t.Fatalf("%q quoted as %s reads back as %q", s, b.String(), back)
		}

		r := redactArg(s)
		if redactArg(r) != r {
			t.Fatalf("redacting %q twice changes it: %q, %q", s, r, redactArg(r))
		}
		if r != s {
			i := strings.Index(r, ":<REDACTED>@")
			if i < 0 || !strings.HasPrefix(s, r[:i]) || !strings.HasSuffix(s, r[i+len(":<REDACTED>"):]) {
				t.Fatalf("%q redacted as %q", s, r)
			}
		}
	})
}

// shUnquote reads one shell word of single-quoted parts, backslashed
// characters and plain characters.
func shUnquote(s string) (string, bool) {
	var out strings.Builder
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\'':
			j := strings.IndexByte(s[i+1:], '\'')
			if j < 0 {
				return "", false
			}
			out.WriteString(s[i+1 : i+1+j])
			i += j + 1
		case '\\':
			if i+1 == len(s) {
				return "", false
			}
			i++
			out.WriteByte(s[i])
		case ' ', '\t', '\n', '"', '$', '`', '!', '*', '?', '[', '(', ')', '<', '>', '|', '&', ';', '#', '~':
			return "", false // would mean something to the shell unquoted
		default:
			out.WriteByte(s[i])
		}
	}
	return out.String(), true
}

// FuzzSettings: the numeric and boolean settings read any text, numbers
// as numbers; the environment is read by name whatever its entries hold.
func FuzzSettings(f *testing.F) {
	for _, s := range []string{"", "3", "-1", "1k", "yes", "GIT_TRACE2_EVENT=/x", "GIT_TRACE2", "=="} {
		f.Add(s, int32(7))
	}
	f.Fuzz(func(t *testing.T, s string, n int32) {
		_ = atoi(s)
		_ = parseMaybeBool(s, true)
		num := strconv.Itoa(int(n))
		if atoi(num) != int(n) {
			t.Fatalf("atoi(%q) = %d", num, atoi(num))
		}
		for _, def := range []bool{false, true} {
			if parseMaybeBool(num, def) != (n != 0) {
				t.Fatalf("parseMaybeBool(%q, %v) = %v", num, def, !(n != 0))
			}
		}
		env := traceEnv([]string{s, "GIT_TRACE2_EVENT=first", s})
		if name, _, _ := strings.Cut(s, "="); name != "GIT_TRACE2_EVENT" && env.get("GIT_TRACE2_EVENT") != "first" {
			t.Fatalf("%q hid GIT_TRACE2_EVENT", s)
		}
	})
}
