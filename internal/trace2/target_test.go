package trace2

import (
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestParseTarget(t *testing.T) {
	long := "/" + strings.Repeat("s", sunPathLen)
	for _, tc := range []struct {
		value string
		want  targetSpec
	}{
		{"", targetSpec{off: true}},
		{"0", targetSpec{off: true}},
		{"false", targetSpec{off: true}},
		{"FaLsE", targetSpec{off: true}},
		{"1", targetSpec{stderr: true}},
		{"2", targetSpec{stderr: true}},
		{"True", targetSpec{stderr: true}},
		{"3", targetSpec{fd: 3}},
		{"9", targetSpec{fd: 9}},
		{"10", targetSpec{bad: valueUnknown}},
		{"yes", targetSpec{bad: valueUnknown}},
		{"trace.json", targetSpec{bad: valueUnknown}},
		{"/tmp/trace", targetSpec{path: "/tmp/trace"}},
		{"/", targetSpec{path: "/"}},
		{"af_unix:/run/s", targetSpec{socket: "/run/s", stream: true, dgram: true}},
		{"af_unix:stream:/run/s", targetSpec{socket: "/run/s", stream: true}},
		{"af_unix:dgram:/run/s", targetSpec{socket: "/run/s", dgram: true}},
		{"af_unix:", targetSpec{stream: true, dgram: true, bad: socketNoPath}},
		{"af_unix:dgram:", targetSpec{dgram: true, bad: socketNoPath}},
		{"af_unix:run/s", targetSpec{socket: "run/s", stream: true, dgram: true, bad: socketBadPath}},
		{"af_unix:" + long, targetSpec{socket: long, stream: true, dgram: true, bad: socketBadPath}},
		{"af_inet:/x", targetSpec{bad: valueUnknown}},
	} {
		if got := parseTarget(tc.value); got != tc.want {
			t.Errorf("parseTarget(%q) = %+v, want %+v", tc.value, got, tc.want)
		}
	}
}

func TestFDTarget(t *testing.T) {
	if _, err := openFD(9); err == nil {
		t.Skip("descriptor 9 is open in this test process")
	}
	var warnings []string
	tr := Open([]string{"GIT_TRACE2=9", "GIT_TRACE2_DST_DEBUG=1"}, Options{Warn: func(m string) { warnings = append(warnings, m) }})
	if tr != nil || len(warnings) != 1 {
		t.Fatalf("a closed descriptor: %v, %q", tr, warnings)
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	fd := int(w.Fd())
	if fd > 9 {
		t.Skipf("the pipe got descriptor %d", fd)
	}
	tr = Open([]string{fmt.Sprintf("GIT_TRACE2=%d", fd), "GIT_TRACE2_BRIEF=1"}, Options{Version: "v"})
	tr.Exit(5)
	w.Close()
	out, _ := io.ReadAll(r)
	if want := "version v\nexit elapsed:"; !strings.HasPrefix(string(out), want) || !strings.Contains(string(out), " code:5\natexit elapsed:") {
		t.Fatalf("descriptor %d got %q", fd, out)
	}
}

func TestSID(t *testing.T) {
	now := time.Date(2024, 1, 2, 3, 4, 5, 678901234, time.FixedZone("X", 3600))
	sid, depth := newSID("", now, "build-host", nil, 0x12345)
	sum := sha1.Sum([]byte("build-host"))
	if sid != "20240102T020405.678901Z-H"+hex.EncodeToString(sum[:4])+"-P00012345" || depth != 0 {
		t.Errorf("sid %q depth %d", sid, depth)
	}
	sid, depth = newSID("a/b", now, "", errors.New("no host"), -1)
	if sid != "a/b/20240102T020405.678901Z-Localhost-Pffffffff" || depth != 2 {
		t.Errorf("sid %q depth %d", sid, depth)
	}
}

func TestQuoting(t *testing.T) {
	for in, want := range map[string]string{
		"":             "''",
		"plain-1.2_3":  "plain-1.2_3",
		"a=b,c@d^e+/:": "a=b,c@d^e+/:",
		"two words":    "'two words'",
		"it's":         `'it'\''s'`,
		"wow!":         `'wow'\!''`,
		"tab\there":    "'tab\there'",
		"été":          "'été'",
	} {
		var b strings.Builder
		sqQuotePretty(&b, in)
		if b.String() != want {
			t.Errorf("sqQuotePretty(%q) = %s, want %s", in, b.String(), want)
		}
	}
	for in, want := range map[string]string{
		"plain":          `"plain"`,
		"q\"b\\":         `"q\"b\\"`,
		"\n\r\t\f\b":     `"\n\r\t\f\b"`,
		"\x01\x1f\x7f é": "\"\\u0001\\u001f\x7f é\"",
	} {
		if got := string(appendJSONString(nil, in)); got != want {
			t.Errorf("appendJSONString(%q) = %s, want %s", in, got, want)
		}
	}
	for in, want := range map[string]string{
		"https://user:pass@host/repo":   "https://user:<REDACTED>@host/repo",
		"http://user:p:a:ss@host":       "http://user:<REDACTED>@host",
		"https://user@host/repo":        "https://user@host/repo",
		"https://host/user:pass@x":      "https://host/user:pass@x",
		"ssh://user:pass@host/repo":     "ssh://user:pass@host/repo",
		"--url=https://user:pass@host/": "--url=https://user:pass@host/",
		"https://:@h":                   "https://:<REDACTED>@h",
	} {
		if got := redactArg(in); got != want {
			t.Errorf("redactArg(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestSettings(t *testing.T) {
	for in, want := range map[string]int{"": 0, "3": 3, " 12x": 12, "-4": -4, "+5": 5, "x": 0} {
		if got := atoi(in); got != want {
			t.Errorf("atoi(%q) = %d, want %d", in, got, want)
		}
	}
	if got := atoi("99999999999999999999999"); got < 1<<30 {
		t.Errorf("atoi of a huge number = %d, want it large", got)
	}
	for in, want := range map[string]bool{"": true, "yes": true, "On": true, "false": false, "0": false, "2": true, "1k": true, "0m": false, "maybe": true, "1kk": true} {
		if got := parseMaybeBool(in, true); got != want {
			t.Errorf("parseMaybeBool(%q, true) = %v, want %v", in, got, want)
		}
	}
}

func parseEventTime(v any) (time.Time, error) {
	s, ok := v.(string)
	if !ok {
		return time.Time{}, nil // absent in brief events
	}
	return time.Parse("2006-01-02T15:04:05.000000Z", s)
}

// listen serves a Unix socket of the given network at path and returns
// what one session writes to it: a stream until it is closed, datagrams
// until the atexit event.
func listen(t *testing.T, network, path string) <-chan string {
	t.Helper()
	got := make(chan string, 1)
	if network == "unix" {
		l, err := net.Listen("unix", path)
		if err != nil {
			t.Fatal(err)
		}
		go func() {
			defer l.Close()
			c, err := l.Accept()
			if err != nil {
				got <- err.Error()
				return
			}
			data, _ := io.ReadAll(c)
			c.Close()
			got <- string(data)
		}()
		return got
	}
	c, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: path, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		defer os.Remove(path)
		defer c.Close()
		var text strings.Builder
		buf := make([]byte, 1<<16)
		_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
		for !strings.Contains(text.String(), `"event":"atexit"`) {
			n, err := c.Read(buf)
			if err != nil {
				break
			}
			text.Write(buf[:n])
		}
		got <- text.String()
	}()
	return got
}

type failingWriter struct{ calls int }

func (w *failingWriter) Write([]byte) (int, error) {
	w.calls++
	return 0, &os.PathError{Op: "write", Path: "x", Err: syscall.EPIPE}
}
