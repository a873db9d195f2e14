package git

import (
	"strings"
	"testing"
)

func TestParseFetchProgress(t *testing.T) {
	for _, tc := range []struct {
		line string
		want FetchProgress
		ok   bool
	}{
		{"Receiving objects:  45% (22/48), 1.20 MiB | 300.00 KiB/s", FetchProgress{Objects: 22, Total: 48, Bytes: 1258291}, true},
		{"Receiving objects: 100% (48/48), 1.59 KiB | 1.59 MiB/s, done.", FetchProgress{Objects: 48, Total: 48, Bytes: 1628, Received: true}, true},
		{"Receiving objects:   0% (0/7)", FetchProgress{Total: 7}, true},
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

// FuzzFetchStderr: whatever git writes on stderr, in whatever pieces,
// every progress report is valid, only "Receiving objects" lines give
// counts (other progress chatter is reported without them, as a sign of
// life),
// and what is kept for an error holds no progress line.
func FuzzFetchStderr(f *testing.F) {
	f.Add([]byte("remote: Enumerating objects: 5\rReceiving objects:  40% (2/5)\rReceiving objects: 100% (5/5), done.\nfatal: oops\n"), uint(17))
	f.Add([]byte("\r\r\n\n"), uint(1))
	f.Fuzz(func(t *testing.T, data []byte, split uint) {
		n := 0
		s := newFetchStderr(func(p FetchProgress) {
			if p.Objects != 0 || p.Total != 0 || p.Bytes != 0 || p.Received {
				n++
			}
			if p.Objects < 0 || p.Total < 0 || p.Bytes < 0 {
				t.Fatalf("bad progress %+v", p)
			}
		})
		cut := int(split % uint(len(data)+1))
		_, _ = s.Write(data[:cut])
		_, _ = s.Write(data[cut:])
		if strings.Count(string(data), "Receiving objects:") < n {
			t.Fatalf("%d counted reports from %d progress lines", n, strings.Count(string(data), "Receiving objects:"))
		}
		for _, line := range strings.Split(string(s.Bytes()), "\n") {
			if _, ok := ParseFetchProgress(line); ok {
				t.Fatalf("progress line %q kept as a message", line)
			}
		}
	})
}

// Lines split across writes are put together before they are parsed;
// messages keep their order and the last line needs no newline.
func TestFetchStderrJoinsLinesAcrossWrites(t *testing.T) {
	var got []FetchProgress
	s := newFetchStderr(func(p FetchProgress) { got = append(got, p) })
	for _, piece := range []string{"Receiving obj", "ects:  50% (1/2)\rRecei", "ving objects: 100% (2/2), 3 KiB | 1 MiB/s, done.\nerror: one\nfatal: ", "two"} {
		_, _ = s.Write([]byte(piece))
	}
	if len(got) != 2 || got[0].Objects != 1 || got[1].Objects != 2 || got[1].Total != 2 {
		t.Errorf("progress %+v", got)
	}
	if msg := string(s.Bytes()); msg != "error: one\nfatal: two\n" {
		t.Errorf("messages %q", msg)
	}
}

// The end of the server's compression says the pack is on its way; other
// chatter says only that the fetch is alive.
func TestFetchStderrSending(t *testing.T) {
	var got []FetchProgress
	s := newFetchStderr(func(p FetchProgress) { got = append(got, p) })
	_, _ = s.Write([]byte("remote: Counting objects: 100% (4/4), done.\nremote: Compressing objects:  50% (2/4)\r" +
		"remote: Compressing objects: 100% (4/4), done.\nremote: Total 4 (delta 0), reused 0 (delta 0)\n"))
	want := []FetchProgress{{}, {}, {Sending: true}, {}}
	if len(got) != len(want) {
		t.Fatalf("reports %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("report %d: %+v, want %+v", i, got[i], want[i])
		}
	}
}
