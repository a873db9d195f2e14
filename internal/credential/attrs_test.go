package credential

import (
	"slices"
	"testing"
)

func TestParseAttrs(t *testing.T) {
	a := parseAttrs([]byte("protocol=https\nhost=example.com:8443\nno equals sign\nwwwauth[]=Basic a\nwwwauth[]=Bearer\npassword=p=q\n\nafter=blank\n"))
	want := attrs{{"protocol", "https"}, {"host", "example.com:8443"}, {"wwwauth[]", "Basic a"},
		{"wwwauth[]", "Bearer"}, {"password", "p=q"}}
	if !slices.Equal(a, want) {
		t.Fatalf("parsed %q, want %q", a, want)
	}
	if got := a.get("password"); got != "p=q" {
		t.Errorf("password %q", got)
	}
	if got := string(a.without("password", "wwwauth[]").bytes()); got != "protocol=https\nhost=example.com:8443\n" {
		t.Errorf("without: %q", got)
	}
	other := parseAttrs([]byte("host=example.com:8443\nprotocol=https\npassword=x\n"))
	if a.target() != other.target() {
		t.Errorf("the same place, in another order, is another target")
	}
	if parseAttrs([]byte("protocol=https\nhost=example.com:8443\nusername=bob\n")).target() == a.target() {
		t.Errorf("a user named in the URL does not make another target")
	}
}

// Whatever git (or anything on the socket) sends, parsing does not fail
// and what it keeps prints back as the same description.
func FuzzParseAttrs(f *testing.F) {
	f.Add([]byte("protocol=https\nhost=example.com\nusername=a\npassword=b\n"))
	f.Add([]byte("=\n==\nx\n\ny=z"))
	f.Fuzz(func(t *testing.T, data []byte) {
		a := parseAttrs(data)
		again := parseAttrs(a.bytes())
		if !slices.Equal(a, again) {
			t.Fatalf("%q parsed as %q, printed and parsed again as %q", data, a, again)
		}
	})
}
