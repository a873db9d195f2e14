package git

import (
	"bufio"
	"bytes"
	"reflect"
	"strings"
	"testing"
)

const (
	idA = "1111111111111111111111111111111111111111"
	idB = "2222222222222222222222222222222222222222"
	idZ = "0000000000000000000000000000000000000000"
)

func TestParseDiff(t *testing.T) {
	raw := ":100644 100644 " + idA + " " + idB + " M\ta.txt\n" +
		":100644 100644 " + idA + " " + idA + " R100\told name\t\"new\\tname\"\n" +
		":000000 100644 " + idZ + " " + idB + " A\tbin\n"
	numstat := "2\t1\ta.txt\n0\t0\t{old name => \"new\\tname\"}\n-\t-\tbin\n"
	patch := "diff --git a/a.txt b/a.txt\n@@ -1 +1,2 @@\n-x\n+y\n+\x01\n"
	tests := []struct {
		name    string
		block   string
		want    *Diff
		wantErr string
	}{
		{name: "empty", block: idA + "\n", want: &Diff{Raw: []byte{}, Numstat: []byte{}, Patch: []byte{}}},
		{name: "raw and numstat", block: idA + "\n" + raw + numstat, want: &Diff{
			Raw: []byte(raw), Numstat: []byte(numstat), Patch: []byte{},
			Files: []FileChange{
				{Status: 'M', OldMode: "100644", NewMode: "100644", OldID: idA, NewID: idB, Path: "a.txt", QuotedPath: "a.txt", Added: 2, Deleted: 1},
				{Status: 'R', Score: 100, OldMode: "100644", NewMode: "100644", OldID: idA, NewID: idA, Path: "new\tname", OldPath: "old name", QuotedPath: "\"new\\tname\""},
				{Status: 'A', OldMode: "000000", NewMode: "100644", OldID: idZ, NewID: idB, Path: "bin", QuotedPath: "bin", Binary: true},
			}}},
		{name: "with patch", block: idA + "\n" + raw[:strings.Index(raw, "\n")+1] + "2\t1\ta.txt\n\n" + patch, want: &Diff{
			Raw: []byte(raw[:strings.Index(raw, "\n")+1]), Numstat: []byte("2\t1\ta.txt\n"), Patch: []byte(patch),
			Files: []FileChange{{Status: 'M', OldMode: "100644", NewMode: "100644", OldID: idA, NewID: idB, Path: "a.txt", QuotedPath: "a.txt", Added: 2, Deleted: 1}},
		}},
		{name: "other commit", block: idB + "\n", wantErr: "does not start with its id"},
		{name: "numstat missing", block: idA + "\n" + raw, wantErr: "malformed numstat"},
		{name: "bad raw", block: idA + "\n:100644 M\ta\n", wantErr: "malformed raw line"},
		{name: "rename with one path", block: idA + "\n:100644 100644 " + idA + " " + idB + " R090\ta\n1\t1\ta\n", wantErr: "number of paths"},
		{name: "garbage after", block: idA + "\nwhat\n", wantErr: "unexpected output"},
		{name: "bad quoting", block: idA + "\n:100644 100644 " + idA + " " + idB + " M\t\"a\\q\"\n1\t1\ta\n", wantErr: "unknown escape"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseDiff(idA, []byte(tt.block))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got  %#v\nwant %#v", got, tt.want)
			}
		})
	}
}

func FuzzParseDiff(f *testing.F) {
	f.Add([]byte(idA + "\n:100644 100644 " + idA + " " + idB + " M\ta\n1\t2\ta\n\ndiff --git a/a b/a\n"))
	f.Add([]byte(idA + "\n:000000 100644 " + idZ + " " + idB + " R050\t\"\\001\"\tb\n-\t-\tb\n"))
	f.Fuzz(func(t *testing.T, block []byte) {
		d, err := ParseDiff(idA, block)
		if err != nil {
			return
		}
		// The sections are consecutive pieces of the block after its id line.
		if got := string(d.Raw) + string(d.Numstat); !strings.HasPrefix(string(block[len(idA)+1:]), got) {
			t.Fatalf("raw and numstat %q are not the block's start", got)
		}
		if !bytes.HasSuffix(block, d.Patch) {
			t.Fatalf("patch %q is not the block's end", d.Patch)
		}
		if n := bytes.Count(d.Raw, []byte("\n")); n != len(d.Files) {
			t.Fatalf("%d raw lines, %d files", n, len(d.Files))
		}
	})
}

// quotePath is git's quote_c_style with core.quotePath=false, to check
// that UnquotePath undoes it.
func quotePath(s string) string {
	var b strings.Builder
	quoted := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch esc := map[byte]string{'\a': `\a`, '\b': `\b`, '\t': `\t`, '\n': `\n`, '\v': `\v`, '\f': `\f`, '\r': `\r`, '"': `\"`, '\\': `\\`}[c]; {
		case esc != "":
			b.WriteString(esc)
			quoted = true
		case c < 0x20 || c == 0x7f:
			b.WriteString(`\` + string('0'+c>>6) + string('0'+c>>3&7) + string('0'+c&7))
			quoted = true
		default:
			b.WriteByte(c)
		}
	}
	if !quoted {
		return s
	}
	return `"` + b.String() + `"`
}

func TestUnquotePath(t *testing.T) {
	for in, want := range map[string]string{
		"plain":             "plain",
		`"a\tb"`:            "a\tb",
		`"new\nline"`:       "new\nline",
		`"q\"b\\s"`:         "q\"b\\s",
		`"\303\274ber\001"`: "über\x01",
		`"ünï"`:             "ünï",
	} {
		if got, err := UnquotePath(in); err != nil || got != want {
			t.Errorf("UnquotePath(%s) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{`"`, `"abc`, `"a\"`, `"a\q"`, `"\40"`, `"\9aa"`, `"a"b"`} {
		if got, err := UnquotePath(bad); err == nil {
			t.Errorf("UnquotePath(%s) = %q, want an error", bad, got)
		}
	}
}

func FuzzUnquotePath(f *testing.F) {
	for _, s := range []string{"a", "a\tb", "\"", "\\", "\x00\x7f\xff", "é"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, err := UnquotePath(quotePath(s)); err != nil || got != s {
			t.Fatalf("UnquotePath(%q) = %q, %v; want %q", quotePath(s), got, err, s)
		}
		_, _ = UnquotePath(`"` + s + `"`) // anything: no panic
	})
}

func TestReadCommitInfo(t *testing.T) {
	rec := func(id, parents, msg string) string {
		return id + "\x00" + parents + "\x00An\x00a@x\x002020-01-02T03:04:05+01:00\x00Cn\x00c@x\x002020-01-02T03:04:06Z\x00" + msg + "\x00\n"
	}
	in := rec(idA, "", "root\n") + rec(idB, idA+" "+idZ, "merge\n\nwith %x00 and \x01\n")
	br := bufio.NewReader(strings.NewReader(in))
	first, err := ReadCommitInfo(br)
	if err != nil || first.ID != idA || len(first.Parents) != 0 || first.Parents == nil || first.Message != "root\n" || first.CommitterDate != "2020-01-02T03:04:06Z" {
		t.Fatalf("first: %#v, %v", first, err)
	}
	second, err := ReadCommitInfo(br)
	if err != nil || !reflect.DeepEqual(second.Parents, []OID{idA, idZ}) || second.Message != "merge\n\nwith %x00 and \x01\n" {
		t.Fatalf("second: %#v, %v", second, err)
	}
	if _, err := ReadCommitInfo(br); err == nil || err.Error() != "EOF" {
		t.Fatalf("at the end: %v", err)
	}
	for name, bad := range map[string]string{
		"truncated":        rec(idA, "", "x")[:50],
		"no newline":       strings.TrimSuffix(rec(idA, "", "x"), "\n") + "y",
		"nul in message":   rec(idA, "", "a\x00b"),
		"bad id":           rec("xyz", "", "m"),
		"bad parent":       rec(idA, "nope", "m"),
		"one field only":   idA + "\x00",
		"fields after end": rec(idA, "", "m") + "z",
	} {
		br := bufio.NewReader(strings.NewReader(bad))
		_, err := ReadCommitInfo(br)
		if name == "fields after end" {
			_, err = ReadCommitInfo(br)
		}
		if err == nil {
			t.Errorf("%s: want an error", name)
		}
	}
}

func FuzzReadCommitInfo(f *testing.F) {
	f.Add([]byte(idA + "\x00\x00a\x00b\x00c\x00d\x00e\x00f\x00msg\x00\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		br := bufio.NewReader(bytes.NewReader(data))
		for i := 0; i < 100; i++ {
			info, err := ReadCommitInfo(br)
			if err != nil {
				return
			}
			if !IsHexID(string(info.ID)) || strings.Contains(info.Message, "\x00") {
				t.Fatalf("accepted %#v", info)
			}
		}
	})
}

func TestCommitParents(t *testing.T) {
	obj := "tree " + idZ + "\nparent " + idA + "\nparent " + idB + "\nauthor A <a@x> 1 +0000\n\nparent " + idZ + "\n"
	if got := CommitParents([]byte(obj)); !reflect.DeepEqual(got, []OID{idA, idB}) {
		t.Fatalf("got %v", got)
	}
	if got := CommitParents([]byte("tree " + idZ + "\n\nmsg")); got != nil {
		t.Fatalf("root: got %v", got)
	}
}
