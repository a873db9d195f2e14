package export

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

var trailerMessages = []string{
	"Subject\n\nCo-authored-by: A <a@example.com>\n",
	"Subject only\n",
	"Subject\nCo-authored-by: title paragraph\n",
	"Subject\n\nSome text\nmore text\nSigned-off-by: A <a@x>\n",
	"Subject\n\nSome text\nmore text\nand more\nSigned-off-by: A <a@x>\n",
	"Subject\n\nbody\n\nKey: v\nnot a trailer\n",
	"Subject\n\nKey: v1\n  continued\n\tand more\nOther: x\n",
	"Subject\n\nKey: v\n# a comment\n",
	"Subject\n\nKey: v\n\n\n",
	"Subject\n\nKey: v\n# ------------------------ >8 ------------------------\nignored: x\n",
	"Subject\n\nKey: v\n---\nfoo: bar\n",
	"Subject\n\nKey: v\n\nConflicts:\n\tfile.c\n",
	"Subject\n\nKey : v\nBad Key: v\n",
	"Subject\n\n(cherry picked from commit 0123456789abcdef)\nSigned-off-by: A <a@x>\n",
	"Subject\r\n\r\nKey: v\r\n",
	"Subject\n\nKey:\n",
	"Subject\n\nKey: v\n   \n",
	"Subject\n\nKey: v",
	"Subject\n\nKey: ünïcödé välue\n",
	"Subject\n\nhttp://example.com: foo\n",
	"\n\nKey: v\n",
	"# comment\nSubject\n\nKey: v\n",
	"Merge pull request #1 from x/y\n\nFix it\n\nCo-authored-by: A <a@x>\nCo-authored-by: B <b@x>\n",
	"Subject\n\n  indented: first\nKey: v\n",
	"Subject\n\nKey: v\n  \n  cont after blank\n",
	"",
	"\n",
	"Subject\n\n",
	"Subject\n\nKey:v:w\n",
	"Subject\n\n-Key-: v\n",
	"Subject\n\n:nokey\n",
}

// randomMessages combines lines that matter to the trailer rules.
func randomMessages(n int) []string {
	lines := []string{"Subject", "", "Key: v", "Signed-off-by: S <s@x>", "  cont", "\tcont", "plain text",
		"# comment", "Conflicts:", "\tpath", "(cherry picked from commit abc)", "Bad Key: v", "   ", "---",
		"Co-authored-by: C", "a:b", "x :y"}
	rng := rand.New(rand.NewPCG(3, 4))
	var out []string
	for i := 0; i < n; i++ {
		var b strings.Builder
		for j := rng.IntN(9); j >= 0; j-- {
			b.WriteString(lines[rng.IntN(len(lines))] + "\n")
		}
		out = append(out, b.String())
	}
	return out
}

func TestParseTrailersMatchesGit(t *testing.T) {
	f := newFixture(t)
	for _, msg := range append(trailerMessages, randomMessages(200)...) {
		got := parseTrailers(msg)
		if want := gitTrailers(f, msg); !reflect.DeepEqual(got, want) {
			t.Errorf("message %q:\n got %q\nwant %q", msg, got, want)
		}
	}
}

func FuzzParseTrailers(f *testing.F) {
	for _, m := range trailerMessages {
		f.Add(m)
	}
	f.Fuzz(func(t *testing.T, msg string) {
		for _, tr := range parseTrailers(msg) {
			if tr.Key == "" || strings.ContainsAny(tr.Key, ":\n") || strings.Contains(tr.Value, "\n") {
				t.Fatalf("trailer %q from %q", tr, msg)
			}
		}
	})
}

func TestValidUTF8(t *testing.T) {
	for in, want := range map[string]string{
		"plain":             "plain",
		"caf\xe9":           "café",
		"ünï":               "ünï",
		"\xff\xfe":          "ÿþ",
		"a\xc3":             "aÃ",
		"\xef\xbf\xbd ok":   "\ufffd ok", // a real U+FFFD stays
		"\xe2\x82 cut \x80": "â\u0082 cut \u0080",
	} {
		if got := validUTF8(in); got != want {
			t.Errorf("validUTF8(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzValidUTF8(f *testing.F) {
	f.Add("caf\xe9")
	f.Add("\xf0\x9f\x98")
	f.Fuzz(func(t *testing.T, s string) {
		got := validUTF8(s)
		if !utf8.ValidString(got) {
			t.Fatalf("invalid output for %q", s)
		}
		if utf8.ValidString(s) && got != s {
			t.Fatalf("valid input changed: %q", s)
		}
		if len(got) < len(s) {
			t.Fatalf("bytes lost: %q -> %q", s, got)
		}
	})
}
