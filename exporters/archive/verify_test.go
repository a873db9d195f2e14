package archive

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/git-backfill/git-backfill/exporters"
)

// rewrite copies the archive at src to a new file, passing each regular
// entry's content through edit and appending extra entries.
func rewrite(t *testing.T, src string, edit func(name string, data []byte) []byte, extra ...string) string {
	t.Helper()
	f, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := gzip.NewWriter(&out)
	tw := tar.NewWriter(zw)
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		if h.Typeflag == tar.TypeReg {
			data = edit(h.Name, data)
			h.Size = int64(len(data))
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write(data); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range extra {
		if err := tw.WriteHeader(&tar.Header{Name: name, Typeflag: tar.TypeReg, Size: 1, Mode: 0o644}); err != nil {
			t.Fatal(err)
		}
		_, _ = tw.Write([]byte("x"))
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "edited.tar.gz")
	if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestVerify(t *testing.T) {
	good := writeArchive(t, t.TempDir(), testRecords(3, 0), exporters.Summary{CommitCount: 3})
	if info, err := Verify(good); err != nil || info.CommitCount != 3 {
		t.Fatalf("a good archive: %+v, %v", info, err)
	}
	same := func(_ string, data []byte) []byte { return data }
	records := func(f func([]byte) []byte) func(string, []byte) []byte {
		return func(name string, data []byte) []byte {
			if strings.HasSuffix(name, "/"+RecordsFile) {
				return f(data)
			}
			return data
		}
	}
	for _, tc := range []struct {
		name, want string
		path       string
	}{
		{"an entry outside its directory", `unexpected entry "../../x"`, rewrite(t, good, same, "../../x")},
		{"a record that is not JSON", "record 2 of commit-metadata.jsonl is not valid JSON", rewrite(t, good, records(func(d []byte) []byte {
			lines := bytes.SplitAfter(d, []byte("\n"))
			lines[1] = []byte("{not json\n")
			return bytes.Join(lines, nil)
		}))},
		{"a record missing", "2 records where metadata.json says 3", rewrite(t, good, records(func(d []byte) []byte {
			return d[bytes.IndexByte(d, '\n')+1:]
		}))},
		{"a truncated record", "does not end in a newline", rewrite(t, good, records(func(d []byte) []byte { return d[:len(d)-1] }))},
	} {
		if _, err := Verify(tc.path); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want an error saying %q", tc.name, err, tc.want)
		}
	}
}
