package wildmatch

import (
	"strings"
	"testing"
)

// TestMatchQuirks pins behaviours of git's wildmatch that are easy to get
// "right" in a way git does not. Each was checked with git 2.39's
// "git ls-files -- ':(glob,icase)...'" where the pathspec's literal-prefix
// shortcut does not apply.
func TestMatchQuirks(t *testing.T) {
	cases := []struct {
		pattern, text string
		flags         Flags
		want          bool
	}{
		// Under CaseFold, bracket members and escaped letters are
		// compared as written against the lower-cased text.
		{`[A]`, `A`, PathName | CaseFold, false},
		{`[A]`, `a`, PathName | CaseFold, false},
		{`[a]`, `A`, PathName | CaseFold, true},
		{`\A`, `A`, CaseFold, false},
		{`\a`, `A`, CaseFold, true},
		{`[A-Z]`, `a`, CaseFold, true},
		{`ABC`, `abc`, CaseFold, true},
		// "**" is special only as a whole component.
		{`a**/b`, `a/x/b`, PathName, false},
		{`a**/b`, `ax/b`, PathName, true},
		{`**/b`, `b`, PathName, true},
		{`**/b`, `x/y/b`, PathName, true},
		{`a/**`, `a`, PathName, false},
		{`a/**`, `a/`, PathName, true},
		{`a/**`, `a/b/c`, PathName, true},
		{`a/**/b`, `a/b`, PathName, true},
		{`a/**/b`, `a//b`, PathName, true},
		{`a/**\/b`, `a/b`, PathName, false},
		{`a/**\/b`, `a/x/b`, PathName, true},
		{`\/**/b`, `/b`, PathName, true},
		{`***/b`, `x/y/b`, PathName, true},
		{`**`, ``, PathName, true},
		{`*`, ``, PathName, true},
		{`*`, `a/b`, PathName, false},
		{`*`, `a/b`, 0, true},
		{`**/`, `a/`, PathName, true},
		{`**/`, `a`, PathName, false},
		// Without PathName, "**/" does not match zero directories.
		{`**/b`, `b`, 0, false},
		// Brackets never match '/' under PathName, even negated.
		{`a[!x]b`, `a/b`, PathName, false},
		{`a[!x]b`, `a/b`, 0, true},
		// git's classes are ASCII only; space excludes \v and \f.
		{`[[:space:]]`, "\v", 0, false},
		{`[[:space:]]`, "\r", 0, true},
		{`[[:alpha:]]`, "\xe9", 0, false},
		{`[![:alpha:]]`, "\xe9", 0, true},
		{`[[:cntrl:]]`, "\x7f", 0, true},
		{`[[:punct:]]`, "~", 0, true},
		{`[[:graph:]]`, " ", 0, false},
		{`[[:print:]]`, " ", 0, true},
		{`[[:blank:]]`, "\t", 0, true},
		// Malformed patterns match nothing, not even themselves.
		{`a[b`, `a[b`, 0, false},
		{`a\`, `a\`, 0, false},
		{`[[:nope:]]`, `n`, 0, false},
		// 8-bit bytes are ordinary characters.
		{"caf\xc3\xa9*", "caf\xc3\xa9.txt", PathName, true},
		{"?", "\xc3", PathName, true},
	}
	for _, c := range cases {
		if got := Match(c.pattern, c.text, c.flags); got != c.want {
			t.Errorf("Match(%q, %q, %v) = %v, want %v", c.pattern, c.text, c.flags, got, c.want)
		}
	}
}

func TestPrefix(t *testing.T) {
	cases := []struct {
		pattern, prefix string
		flags           Flags
		want            PrefixMatch
	}{
		{`*`, `a/`, PathName, PrefixNone},
		{`*`, `a/`, 0, PrefixAll},
		{`*/`, `a/`, PathName, PrefixSome},
		{`**`, `a/`, PathName, PrefixAll},
		{`a/**`, `a/`, PathName, PrefixAll},
		{`a/**`, `b/`, PathName, PrefixNone},
		{`a/**/x`, `a/b/c/`, PathName, PrefixSome},
		{`**/file.1.txt`, `d/`, PathName, PrefixSome},
		{`d/*.txt`, `a/`, PathName, PrefixNone},
		{`d/*.txt`, `d/`, PathName, PrefixSome},
		{`d/*.txt`, `d/f/`, PathName, PrefixNone},
		{`d/*.txt`, `d/f/`, 0, PrefixSome},
		{`d/*`, `d/f/`, 0, PrefixAll},
		{`d/*x`, `d/f/`, 0, PrefixSome},
		{`abc`, `abc`, 0, PrefixSome},
		{`abc`, ``, 0, PrefixSome},
		{`a[b`, ``, 0, PrefixNone},
		{`\A*`, ``, CaseFold, PrefixNone},
		{`[A]*`, ``, CaseFold, PrefixNone},
		{`[a]*`, ``, CaseFold, PrefixSome},
		{`A*`, `a`, CaseFold, PrefixAll},
	}
	for _, c := range cases {
		if got := Compile(c.pattern, c.flags).Prefix(c.prefix); got != c.want {
			t.Errorf("Compile(%q, %v).Prefix(%q) = %v, want %v", c.pattern, c.flags, c.prefix, got, c.want)
		}
	}
}

// TestMatchIsNotExponential would never finish with a naive backtracking
// matcher.
func TestMatchIsNotExponential(t *testing.T) {
	text := strings.Repeat("a", 20000)
	for _, flags := range []Flags{0, PathName, CaseFold} {
		if Match(`*a*a*a*a*a*a*a*a*a*a*a*a*b`, text, flags) {
			t.Errorf("flags %v: matched a text without b", flags)
		}
		if Match(`**/*a*a*a*a*a*a*/**/b`, strings.Repeat("a/", 5000), flags) {
			t.Errorf("flags %v: matched a text without b", flags)
		}
	}
}

func BenchmarkMatch(b *testing.B) {
	p := Compile(`**/src/**/*_test.go`, PathName)
	text := "services/payments/internal/src/ledger/entries/ledger_entry_test.go"
	for b.Loop() {
		if !p.Match(text) {
			b.Fatal("no match")
		}
	}
}

func BenchmarkMatchPathological(b *testing.B) {
	p := Compile(`*a*a*a*a*a*a*b`, 0)
	text := strings.Repeat("a", 1000)
	for b.Loop() {
		p.Match(text)
	}
}
