package sparse

import (
	"strings"
	"testing"
)

func TestTrimTrailingSpaces(t *testing.T) {
	cases := map[string]string{
		"a":       "a",
		"a  ":     "a",
		"a\t ":    "a\t",
		`a\ `:     `a\ `,
		`a\  `:    `a\ `,
		`a \`:     `a \`,
		"   ":     "",
		`a\\  `:   `a\\`,
		"a b c  ": "a b c",
	}
	for in, want := range cases {
		if got := trimTrailingSpaces(in); got != want {
			t.Errorf("trimTrailingSpaces(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParsePatterns(t *testing.T) {
	cases := []struct {
		line      string
		negative  bool
		mustBeDir bool
		base      bool
		literal   string
		rest      bool
	}{
		{"foo", false, false, true, "", false},
		{"!foo/", true, true, true, "", false},
		{"/foo", false, false, false, "foo", false},
		{"/a/b/", false, true, false, "a/b", false},
		{"a/*.c", false, false, false, "a/", true},
		{"**/x", false, false, false, "", true},
		{`\!x`, false, false, true, "", false},
		{"!/*/", true, true, false, "", true},
	}
	for _, c := range cases {
		p := newPattern(c.line)
		if p.negative != c.negative || p.mustBeDir != c.mustBeDir || (p.base != nil) != c.base ||
			p.literal != c.literal || (p.rest != nil) != c.rest {
			t.Errorf("newPattern(%q) = negative %v, mustBeDir %v, base %v, literal %q, rest %v",
				c.line, p.negative, p.mustBeDir, p.base != nil, p.literal, p.rest != nil)
		}
	}
}

// coneFallbackCases are files read in cone mode; git_test.go checks them
// against git too.
var coneFallbackCases = []struct {
	file    string
	warning string // "" means the file is read in cone mode
}{
	{"/*\n!/*/\n/a/\n!/a/*/\n/a/b/\n", ""},
	{"/*\n!/*/\n/a\\*b/\n!/a\\*b/*/\n/a\\*b/c\\?/\n", ""},
	{"# comment\n\n/*\n!/*/\n", ""},
	{"/*\n!/*/\n/a\n", "unrecognized pattern: '/a'"},
	{"/*\n!/*/\nb/\n", "unrecognized pattern: 'b'"},
	{"/*\n!/*/\n/a/*/\n", "unrecognized pattern: '/a/*'"},
	{"/*\n!/*/\n/a/**/\n", "unrecognized pattern: '/a/**'"},
	{"/*\n!/*/\n/a?/\n", "unrecognized pattern: '/a?'"},
	{"/*\n!/*/\n/a\\b/\n", "unrecognized pattern: '/a\\b'"},
	{"/*\n!/*/\n!/a/*/\n", "unrecognized negative pattern: '/a/*'"},
	{"/*\n!/*/\n!/a/\n", "unrecognized negative pattern: '/a'"},
	{"/*\n!/*/\n/a/\n!/a/*/\n/a/\n", "your sparse-checkout file may have issues: pattern '/a' is repeated"},
	{"/*\r\n\r\n!/*/\r\n", "unrecognized pattern: ''"},
}

func TestConeFallback(t *testing.T) {
	for _, c := range coneFallbackCases {
		p, err := Parse(strings.NewReader(c.file), true)
		if err != nil {
			t.Fatal(err)
		}
		want := ""
		if c.warning != "" {
			want = c.warning + "; disabling cone pattern matching"
		}
		if p.Warning != want || p.Cone() != (c.warning == "") {
			t.Errorf("Parse(%q): cone %v, warning %q; want warning %q", c.file, p.Cone(), p.Warning, want)
		}
		if np, _ := Parse(strings.NewReader(c.file), false); np.Warning != "" || np.Cone() {
			t.Errorf("Parse(%q) without cone: cone %v, warning %q", c.file, np.Cone(), np.Warning)
		}
	}
}

func TestConeEscapedNames(t *testing.T) {
	p, err := Parse(strings.NewReader("/*\n!/*/\n/a\\*b/\n!/a\\*b/*/\n/a\\*b/c\\?/\n"), true)
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]bool{
		"a*b/x":      true,
		"a*b/d/x":    false,
		"a*b/c?/d/x": true,
		"axb/x":      false,
		"a*b/cx/x":   false,
	} {
		if got := p.File(path); got != want {
			t.Errorf("File(%q) = %v, want %v", path, got, want)
		}
	}
}
