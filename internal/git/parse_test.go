package git

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func TestParseConfigList(t *testing.T) {
	data := []byte("global\x00file:/h/.gitconfig\x00user.name\nA U Thor\x00" +
		"local\x00file:.git/config\x00backfill.sparse\x00" +
		"command\x00command line:\x00backfill.minbatchsize\n20k\x00" +
		"local\x00file:.git/config\x00remote.origin.url\nfile:///srv/x\ny\x00")
	got, err := ParseConfigList(data)
	if err != nil {
		t.Fatal(err)
	}
	want := []ConfigEntry{
		{Scope: "global", Origin: "file:/h/.gitconfig", Key: "user.name", Value: "A U Thor"},
		{Scope: "local", Origin: "file:.git/config", Key: "backfill.sparse", NoValue: true},
		{Scope: "command", Origin: "command line:", Key: "backfill.minbatchsize", Value: "20k"},
		// A value may itself hold newlines; only the first separates the key.
		{Scope: "local", Origin: "file:.git/config", Key: "remote.origin.url", Value: "file:///srv/x\ny"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %#v\nwant %#v", got, want)
	}
	if _, err := ParseConfigList([]byte("local\x00file:x")); err == nil {
		t.Fatal("truncated input: want an error")
	}
}

func TestConfigLookups(t *testing.T) {
	cfg := Config{
		{Key: "core.sparsecheckout", Value: "true"},
		{Key: "core.sparsecheckout", Value: "false"},
		{Key: "extensions.partialclone", Value: "upstream"},
		{Key: "remote.origin.promisor", Value: "true"},
		{Key: "remote.Mirror.promisor", NoValue: true},
		{Key: "remote.off.promisor", Value: "false"},
		{Key: "core.bad", Value: "maybe"},
	}
	if v, err := cfg.Bool("core.sparseCheckout", true); err != nil || v {
		t.Fatalf("last value wins, case-insensitive key: got %v, %v", v, err)
	}
	if v, _ := cfg.Bool("core.missing", true); !v {
		t.Fatal("absent key: want the default")
	}
	if _, err := cfg.Bool("core.bad", false); err == nil || !strings.Contains(err.Error(), "core.bad") {
		t.Fatalf("bad boolean: want an error naming the key, got %v", err)
	}
	if got, want := cfg.PromisorRemotes(), []string{"upstream", "origin", "Mirror"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("PromisorRemotes = %v, want %v", got, want)
	}
}

func TestParseTree(t *testing.T) {
	id := func(b byte) []byte { return bytes.Repeat([]byte{b}, 20) }
	var raw bytes.Buffer
	for _, e := range []struct {
		mode, name string
		id         []byte
	}{
		{"100644", "a.txt", id(1)}, {"100755", "run", id(2)}, {"120000", "link", id(3)},
		{"40000", "dir", id(4)}, {"160000", "sub", id(5)},
	} {
		raw.WriteString(e.mode + " " + e.name + "\x00")
		raw.Write(e.id)
	}
	var got []TreeEntry
	err := ParseTree(raw.Bytes(), 20, func(e TreeEntry) error {
		got = append(got, e)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	hexID := func(b byte) string { return hex.EncodeToString(id(b)) }
	want := []TreeEntry{
		{KindBlob, "a.txt", hexID(1)}, {KindBlob, "run", hexID(2)}, {KindBlob, "link", hexID(3)},
		{KindTree, "dir", hexID(4)}, {KindGitlink, "sub", hexID(5)},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v\nwant %v", got, want)
	}
	for _, bad := range []string{"100644 a", "999999 a\x00" + strings.Repeat("x", 20), "100644 a\x00short"} {
		if err := ParseTree([]byte(bad), 20, func(TreeEntry) error { return nil }); err == nil {
			t.Errorf("ParseTree(%q): want an error", bad)
		}
	}
}

func TestParseRevListLine(t *testing.T) {
	c := strings.Repeat("a", 40)
	tr := strings.Repeat("b", 40)
	for _, tc := range []struct {
		line     string
		boundary bool
		ok       bool
	}{
		{"> " + c + " " + tr, false, true},
		{"< " + c + " " + tr, false, true},
		{"- " + c + " " + tr, true, true},
		{c + " " + tr, false, false},
		{"> " + c, false, false},
		{"> " + c + " nothex", false, false},
	} {
		got, boundary, err := parseRevListLine(tc.line)
		if (err == nil) != tc.ok {
			t.Errorf("%q: err = %v, want ok=%v", tc.line, err, tc.ok)
			continue
		}
		if tc.ok && (got.ID != OID(c) || got.Tree != OID(tr) || boundary != tc.boundary) {
			t.Errorf("%q: got %+v boundary=%v", tc.line, got, boundary)
		}
	}
}

func TestCleanEnv(t *testing.T) {
	env := CleanEnv([]string{"PATH=/bin", "HOME=/h", "GIT_DIR=/r/.git", "GIT_TRACE2=1",
		"GIT_EXTERNAL_DIFF=evil", "GIT_NO_LAZY_FETCH=0", "LANG=de_DE.UTF-8", "GIT_CONFIG_KEY_0=a.b",
		"GIT_PAGER=less", "RANDOM_VAR=1"})
	want := []string{"PATH=/bin", "HOME=/h", "GIT_DIR=/r/.git", "GIT_TRACE2=1", "GIT_CONFIG_KEY_0=a.b",
		"LC_ALL=C", "LANGUAGE=C"}
	if !reflect.DeepEqual(env, want) {
		t.Fatalf("CleanEnv = %v\nwant %v", env, want)
	}
}

func FuzzParseTree(f *testing.F) {
	f.Add([]byte("100644 a\x00" + strings.Repeat("\x01", 20)))
	f.Add([]byte("40000 d\x00" + strings.Repeat("\x02", 32)))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, n := range []int{20, 32} {
			_ = ParseTree(data, n, func(e TreeEntry) error {
				if len(e.ID) != 2*n || e.Name == "" {
					t.Fatalf("bad entry %+v", e)
				}
				return nil
			})
		}
	})
}

func FuzzParseConfigList(f *testing.F) {
	f.Add([]byte("local\x00file:.git/config\x00a.b\nc\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		entries, err := ParseConfigList(data)
		if err == nil && len(data) > 0 && len(entries) == 0 {
			t.Fatal("input consumed without entries")
		}
	})
}

func BenchmarkParseTree(b *testing.B) {
	var raw bytes.Buffer
	for i := 0; i < 1000; i++ {
		fmt.Fprintf(&raw, "100644 file-%04d.txt\x00", i)
		raw.Write(bytes.Repeat([]byte{byte(i)}, 20))
	}
	b.SetBytes(int64(raw.Len()))
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		_ = ParseTree(raw.Bytes(), 20, func(TreeEntry) error { n++; return nil })
		if n != 1000 {
			b.Fatalf("parsed %d entries", n)
		}
	}
}

func TestGitMessage(t *testing.T) {
	for in, want := range map[string]string{
		"fatal: bad revision 'nope'\n": "bad revision 'nope'",
		"fatal: remote error: upload-pack: not our ref abc\nfatal: git upload-pack: not our ref abc\n":                                                                                           "remote error: upload-pack: not our ref abc",
		"fatal: '/x' does not appear to be a git repository\nfatal: Could not read from remote repository.\n\nPlease make sure you have the correct access rights\nand the repository exists.\n": "'/x' does not appear to be a git repository; Could not read from remote repository. Please make sure you have the correct access rights and the repository exists.",
		"hint: try this\nerror: it broke\n": "it broke",
		"fatal: could not read Username for 'https://h': terminal prompts disabled\nfatal: credential helper '!'/bin/git-backfill' credential-relay '/tmp/d/s'' told us to quit\n": "could not read Username for 'https://h': terminal prompts disabled",
	} {
		if got := gitMessage(in); got != want {
			t.Errorf("gitMessage(%q)\n got %q\nwant %q", in, got, want)
		}
	}
}

func TestParseBatchHeader(t *testing.T) {
	id := []byte("0123456789012345678901234567890123456789")
	typ, size, err := parseBatchHeader(append(append([]byte{}, id...), " tree 123\n"...), id)
	if err != nil || typ != "tree" || size != 123 {
		t.Fatalf("got %q %d %v", typ, size, err)
	}
	for _, bad := range []string{" missing\n", " tree\n", " tree x\n", " tree -1\n", " weird 5\n", " tree 99999999999999999999\n"} {
		if _, _, err := parseBatchHeader(append(append([]byte{}, id...), bad...), id); err == nil {
			t.Errorf("%q: want an error", bad)
		}
	}
	other := []byte("1123456789012345678901234567890123456789")
	if _, _, err := parseBatchHeader(append(append([]byte{}, other...), " tree 1\n"...), id); err == nil {
		t.Error("a reply for another object must be an error")
	}
}

func FuzzParseBatchHeader(f *testing.F) {
	f.Add([]byte("0123456789012345678901234567890123456789 tree 123\n"))
	f.Add([]byte("0123456789012345678901234567890123456789 missing\n"))
	id := []byte("0123456789012345678901234567890123456789")
	f.Fuzz(func(t *testing.T, line []byte) {
		typ, size, err := parseBatchHeader(line, id)
		if err == nil && (size < 0 || typ == "") {
			t.Fatalf("accepted %q as %q %d", line, typ, size)
		}
	})
}
