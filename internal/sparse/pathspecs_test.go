package sparse

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestPathspecs(t *testing.T) {
	for _, tc := range []struct {
		name, file string
		want       []string
	}{
		{"root only", "/*\n!/*/\n", []string{":(top,glob)*"}},
		{"set d", "/*\n!/*/\n/d/\n", []string{":(top,glob)*", ":(top,literal)d"}},
		{"set a/b and d/f", "/*\n!/*/\n/a/\n!/a/*/\n/a/b/\n/d/\n!/d/*/\n/d/f/\n",
			[]string{":(top,glob)*", ":(top,glob)a/*", ":(top,glob)d/*", ":(top,literal)a/b", ":(top,literal)d/f"}},
		{"everything", "/*\n", nil},
	} {
		p, err := Parse(strings.NewReader(tc.file), true)
		if err != nil {
			t.Fatal(err)
		}
		got, err := p.Pathspecs()
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: Pathspecs() = %q, %v; want %q", tc.name, got, err, tc.want)
		}
	}
	p, _ := Parse(strings.NewReader("**/file.1.txt\n"), false)
	if _, err := p.Pathspecs(); !errors.Is(err, ErrNotCone) {
		t.Errorf("non-cone: err = %v, want ErrNotCone", err)
	}
}
