package git

import "testing"

func TestQuotePath(t *testing.T) {
	for in, want := range map[string]string{
		"dir/file.txt":     "dir/file.txt",
		"naïve/café":       "naïve/café", // core.quotePath=false: UTF-8 stays
		"a\nb":             `"a\nb"`,
		"tab\there":        `"tab\there"`,
		"\x1b[2Jclear":     `"\033[2Jclear"`,
		`quote"back\slash`: `"quote\"back\\slash"`,
		"del\x7f":          `"del\177"`,
	} {
		if got := QuotePath(in); got != want {
			t.Errorf("QuotePath(%q) = %s, want %s", in, got, want)
		}
	}
}

// FuzzQuotePath: whatever the name, the quoted form holds no control
// character and reads back as the name.
func FuzzQuotePath(f *testing.F) {
	f.Add("a\nb\x1b[31m\"\\\x00\xff")
	f.Fuzz(func(t *testing.T, p string) {
		q := QuotePath(p)
		for i := 0; i < len(q); i++ {
			if q[i] < 0x20 || q[i] == 0x7f {
				t.Fatalf("QuotePath(%q) = %q holds a control character", p, q)
			}
		}
		back, err := UnquotePath(q)
		if err != nil || back != p {
			t.Fatalf("QuotePath(%q) = %q reads back as %q, %v", p, q, back, err)
		}
	})
}
