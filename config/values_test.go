package config

import (
	"math"
	"strconv"
	"strings"
	"testing"
)

func TestParseSize(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"50000", 50000, true},
		{"0", 0, true},
		{"1k", 1024, true},
		{"20K", 20 << 10, true},
		{"1m", 1 << 20, true},
		{"3M", 3 << 20, true},
		{"2g", 2 << 30, true},
		{"2G", 2 << 30, true},
		{" 7k\t", 7 << 10, true},
		{"010", 10, true}, // decimal, not octal as in git
		{"9223372036854775807", math.MaxInt64, true},
		{"8589934591g", 8589934591 << 30, true},
		{"8589934592g", 0, false}, // overflows
		{"9223372036854775808", 0, false},
		{"", 0, false},
		{"k", 0, false},
		{"12q", 0, false},
		{"-1", 0, false},
		{"+1", 0, false},
		{"1.5k", 0, false},
		{"0x10", 0, false},
		{"1kk", 0, false},
		{"1 k", 0, false},
		{"1t", 0, false},
	}
	for _, tt := range tests {
		got, err := ParseSize(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d, ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestParseBool(t *testing.T) {
	tests := []struct {
		in   string
		want bool
		ok   bool
	}{
		{"true", true, true}, {"TRUE", true, true}, {"yes", true, true}, {"On", true, true}, {"1", true, true},
		{"false", false, true}, {"No", false, true}, {"off", false, true}, {"0", false, true},
		{"", false, true}, // git: an empty value is false
		{" yes ", true, true},
		{"maybe", false, false}, {"2", false, false}, {"t", false, false}, {"-1", false, false},
	}
	for _, tt := range tests {
		got, err := ParseBool(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseBool(%q) = %v, %v; want %v, ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestValidators(t *testing.T) {
	tests := []struct {
		name string
		f    func(string) bool
		in   string
		want bool
	}{
		{"name", validName, "s3", true},
		{"name", validName, "my-lake_2", true},
		{"name", validName, "S3", true},
		{"name", validName, "", false},
		{"name", validName, "-x", false},
		{"name", validName, "_x", false},
		{"name", validName, "a.b", false},
		{"name", validName, "a/b", false},
		{"name", validName, "a b", false},
		{"name", validName, "<name>", false},
		{"remote", validRemote, "origin", true},
		{"remote", validRemote, "https://example.com/r.git", true},
		{"remote", validRemote, "", false},
		{"remote", validRemote, "--upload-pack=x", false},
		{"remote", validRemote, "a b", false},
		{"remote", validRemote, "a\nb", false},
		{"sha256", validSHA256, strings.Repeat("ab", 32), true},
		{"sha256", validSHA256, strings.Repeat("AB", 32), true},
		{"sha256", validSHA256, strings.Repeat("a", 63), false},
		{"sha256", validSHA256, strings.Repeat("g", 64), false},
		{"url", validURL, "http://127.0.0.1:7070", true},
		{"url", validURL, "https://s3.example.com/x", true},
		{"url", validURL, "ftp://x", false},
		{"url", validURL, "127.0.0.1:7070", false},
		{"url", validURL, "http://", false},
		{"path", validPath, "/usr/bin/x", true},
		{"path", validPath, "bin/x", false},
	}
	for _, tt := range tests {
		if got := tt.f(tt.in); got != tt.want {
			t.Errorf("valid %s(%q) = %v, want %v", tt.name, tt.in, got, tt.want)
		}
	}
}

// FuzzParseSize checks that ParseSize never panics and that what it accepts
// is a non-negative number it can print back in a form it accepts again.
func FuzzParseSize(f *testing.F) {
	for _, s := range []string{"50000", "20k", "1M", "2g", "", "-1", "9223372036854775807", "8589934592g", "0x10"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseSize(s)
		if err != nil {
			return
		}
		if n < 0 {
			t.Fatalf("ParseSize(%q) = %d < 0", s, n)
		}
		if m, err := ParseSize(strconv.FormatInt(n, 10)); err != nil || m != n {
			t.Fatalf("ParseSize(%q) = %d, but its decimal form gives %d, %v", s, n, m, err)
		}
	})
}
