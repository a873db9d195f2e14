package pathspec

import (
	"strings"
	"testing"
)

func TestParseErrors(t *testing.T) {
	cases := []struct {
		spec, prefix string
		want         string // a substring of the error
	}{
		{"", "", "empty string is not a valid pathspec"},
		{"../x", "", "'../x' is outside repository"},
		{"../../../x", "a/b/", "'../../../x' is outside repository"},
		{"..", "", "'..' is outside repository"},
		{"/etc/passwd", "", "absolute paths are not supported"},
		{":(attr:text)x", "", "magic 'attr' is not supported"},
		{":(top,attr)x", "", "magic 'attr' is not supported"},
		{":(prefix:2)x", "", "magic 'prefix' is not supported"},
		{":(top,bogus)x", "", "invalid pathspec magic 'bogus' in ':(top,bogus)x'"},
		{":(Top)x", "", "invalid pathspec magic 'Top'"},
		{":(top", "", "missing ')' at the end of pathspec magic in ':(top'"},
		{":-x", "", "unimplemented pathspec magic '-' in ':-x'"},
		{":/~x", "", "unimplemented pathspec magic '~'"},
		{":(literal,glob)x", "", "'literal' and 'glob' are incompatible"},
	}
	for _, c := range cases {
		_, err := Parse([]string{c.spec}, c.prefix)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Parse(%q, %q) error = %v, want one containing %q", c.spec, c.prefix, err, c.want)
		}
	}
}

func TestParseItems(t *testing.T) {
	cases := []struct {
		spec, prefix string
		match        string
		prefixLen    int
		noWild       int
		exclude      bool
	}{
		{"x", "", "x", 0, 1, false},
		{"x", "a/b", "a/b/x", 4, 5, false},
		{"./x/./y//z/", "a/", "a/x/y/z/", 2, 8, false},
		{"../x", "a/b/", "a/x", 2, 3, false},
		{"..", "a/b/", "a/", 2, 2, false},
		{"../..", "a/b/", "", 0, 0, false},
		{".", "", "", 0, 0, false},
		{"d/.", "", "d/", 0, 2, false},
		{"*.c", "a/", "a/*.c", 2, 2, false},
		{"x", "a*/", "a*/x", 3, 3, false}, // the directory part is never a wildcard
		{":(literal)*.c", "a/", "a/*.c", 2, 5, false},
		{":/a/../d", "x/", "a/../d", 0, 6, false},
		{":!x", "a/", "a/x", 2, 3, true},
		{":^x", "", "x", 0, 1, true},
		{":/!x", "a/", "x", 0, 1, true},
		{":!/x", "a/", "x", 0, 1, true},
		{"::x", "", "x", 0, 1, false},
		{":*.c", "a/", "a/*.c", 2, 2, false},
		{":", "a/", "a/", 2, 2, false},
		{":(,top,,exclude,)x", "a/", "x", 0, 1, true},
		{":(top)", "a/", "", 0, 0, false},
		{":(icase)X", "a/", "a/X", 2, 3, false},
	}
	for _, c := range cases {
		s, err := Parse([]string{c.spec}, c.prefix)
		if err != nil {
			t.Errorf("Parse(%q, %q): %v", c.spec, c.prefix, err)
			continue
		}
		list := s.includes
		if c.exclude {
			list = s.excludes
		}
		if len(list) != 1 {
			t.Errorf("Parse(%q, %q): exclude = %v, want %v", c.spec, c.prefix, len(s.excludes) == 1, c.exclude)
			continue
		}
		it := list[0]
		if it.match != c.match || it.prefixLen != c.prefixLen || it.noWild != c.noWild {
			t.Errorf("Parse(%q, %q) = match %q, prefixLen %d, noWild %d; want %q, %d, %d",
				c.spec, c.prefix, it.match, it.prefixLen, it.noWild, c.match, c.prefixLen, c.noWild)
		}
	}
}
