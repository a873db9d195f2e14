package git

import (
	"bytes"
	"strings"
	"testing"
)

func TestParseFetchProgress(t *testing.T) {
	for _, tc := range []struct {
		line string
		want FetchProgress
		ok   bool
	}{
		{"Receiving objects:  45% (22/48), 1.20 MiB | 300.00 KiB/s", FetchProgress{22, 48, 1258291}, true},
		{"Receiving objects: 100% (48/48), 1.59 KiB | 1.59 MiB/s, done.", FetchProgress{48, 48, 1628}, true},
		{"Receiving objects:   0% (0/7)", FetchProgress{0, 7, 0}, true},
		{"Resolving deltas: 100% (3/3), done.", FetchProgress{}, false},
		{"Receiving objects: (x/5)", FetchProgress{}, false},
		{"Receiving objects: (-1/5)", FetchProgress{}, false},
		{"Receiving objects: )(", FetchProgress{}, false},
	} {
		got, ok := ParseFetchProgress(tc.line)
		if ok != tc.ok || got != tc.want {
			t.Errorf("%q: got %+v %v, want %+v %v", tc.line, got, ok, tc.want, tc.ok)
		}
	}
}

// FuzzParseFetchProgress: no line makes the parser panic or report
// negative counts.
func FuzzParseFetchProgress(f *testing.F) {
	f.Add("Receiving objects:  45% (22/48), 1.20 MiB | 300.00 KiB/s")
	f.Add("Receiving objects: 100% (48/48), 1.59 KiB | 1.59 MiB/s, done.")
	f.Add("Receiving objects: (9999999999999999999999/1), 1e300 TiB")
	f.Fuzz(func(t *testing.T, line string) {
		p, ok := ParseFetchProgress(line)
		if ok && (p.Objects < 0 || p.Total < 0 || p.Bytes < 0) {
			t.Fatalf("%q: %+v", line, p)
		}
	})
}

// FuzzReadFetchStderr: whatever git writes on stderr, every progress
// report is valid, and only "Receiving objects" lines give counts (other
// progress chatter is reported empty, as a sign of life).
func FuzzReadFetchStderr(f *testing.F) {
	f.Add([]byte("remote: Enumerating objects: 5\rReceiving objects:  40% (2/5)\rReceiving objects: 100% (5/5), done.\nfatal: oops\n"))
	f.Add([]byte("\r\r\n\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		n := 0
		rest := readFetchStderr(bytes.NewReader(data), func(p FetchProgress) {
			if p != (FetchProgress{}) {
				n++
			}
			if p.Objects < 0 || p.Total < 0 || p.Bytes < 0 {
				t.Fatalf("bad progress %+v", p)
			}
		})
		if strings.Count(string(data), "Receiving objects:") < n {
			t.Fatalf("%d counted reports from %d progress lines", n, strings.Count(string(data), "Receiving objects:"))
		}
		_ = rest
	})
}
