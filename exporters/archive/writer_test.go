package archive

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/git-backfill/git-backfill/exporters"
)

// testRecords returns n small records and, every 7th, one of big bytes.
func testRecords(n, big int) [][]byte {
	var recs [][]byte
	for i := range n {
		msg := fmt.Sprintf("commit %d", i)
		if i%7 == 3 {
			msg = strings.Repeat(fmt.Sprintf("%08x", i*7919), big/8+1)[:big]
		}
		recs = append(recs, fmt.Appendf(nil, `{"schema_version":1,"commit_sha":"%040x","message":%q}`, i, msg))
	}
	return recs
}

// writeArchive writes records in batches of 3 and returns the path.
func writeArchive(t *testing.T, dir string, recs [][]byte, summary exporters.Summary) string {
	t.Helper()
	path := filepath.Join(dir, "out.tar.gz")
	w, err := Create(path, testMeta(), gzip.DefaultCompression, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < len(recs); i += 3 {
		if err := w.Write(recs[i:min(i+3, len(recs))]); err != nil {
			t.Fatal(err)
		}
	}
	size, err := w.Close(summary)
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Size() != size {
		t.Fatalf("archive: %v, size %d, Close said %d", err, fi.Size(), size)
	}
	return path
}

func TestWriterRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		name string
		recs [][]byte
	}{
		{"empty", nil},
		{"one", testRecords(1, 0)},
		{"block-sized", [][]byte{[]byte(`{"m":"` + strings.Repeat("x", 503) + `"}`)}}, // 512 bytes with its newline
		{"large", testRecords(20, 5<<20)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := writeArchive(t, dir, tc.recs, exporters.Summary{CommitCount: int64(len(tc.recs))})
			r, err := Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			if r.Name != "backfill-git-backfill-20261122T031500Z" || r.Info.CommitCount != int64(len(tc.recs)) ||
				r.Info.GeneratedAt != "2026-11-22T03:15:00Z" || r.Info.ArchiveVersion != Version {
				t.Errorf("Open: name %q, info %+v", r.Name, r.Info)
			}
			rd, err := r.Records()
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(rd)
			if err != nil {
				t.Fatal(err)
			}
			var want []byte
			for _, rec := range tc.recs {
				want = append(append(want, rec...), '\n')
			}
			if !bytes.Equal(got, want) {
				t.Errorf("records differ: %d bytes, want %d", len(got), len(want))
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 1 {
				t.Errorf("temporary files left: %v", entries)
			}
			if _, err := Verify(path); err != nil {
				t.Error(err)
			}
			checkWithTools(t, path, r.Name, want)
		})
	}
}

// checkWithTools reads the archive, two gzip members, the first padded
// with an extra field, with gzip and GNU tar.
func checkWithTools(t *testing.T, path, name string, records []byte) {
	t.Helper()
	if out, err := exec.Command("gzip", "-t", path).CombinedOutput(); err != nil {
		t.Fatalf("gzip -t: %v\n%s", err, out)
	}
	list, err := exec.Command("tar", "-tzf", path).CombinedOutput()
	if want := name + "/\n" + name + "/" + MetadataFile + "\n" + name + "/" + RecordsFile + "\n"; err != nil || string(list) != want {
		t.Fatalf("tar -tzf: %v\n%s", err, list)
	}
	dir := t.TempDir()
	if out, err := exec.Command("tar", "-xzf", path, "-C", dir).CombinedOutput(); err != nil || len(out) != 0 {
		t.Fatalf("tar -xzf: %v\n%s", err, out)
	}
	got, err := os.ReadFile(filepath.Join(dir, name, RecordsFile))
	if err != nil || !bytes.Equal(got, records) {
		t.Errorf("tar -x: %s: %v, %d bytes, want %d", RecordsFile, err, len(got), len(records))
	}
	if _, err := os.Stat(filepath.Join(dir, name, MetadataFile)); err != nil {
		t.Error(err)
	}
}

func TestWriterNewline(t *testing.T) {
	w, err := Create(filepath.Join(t.TempDir(), "a.tar.gz"), testMeta(), 1, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	err = w.Write([][]byte{[]byte(`{}`), []byte("{\n}")})
	if err == nil || err.Error() != "record 2 contains a newline" {
		t.Errorf("Write: %v", err)
	}
}

func TestWriterAbortKeepsOldArchive(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.tar.gz")
	os.WriteFile(path, []byte("old"), 0o644)
	w, err := Create(path, testMeta(), 1, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(testRecords(10, 1000)); err != nil {
		t.Fatal(err)
	}
	if err := w.Abort(); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); string(got) != "old" {
		t.Errorf("archive changed by Abort: %q", got)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("temporary files left: %v", entries)
	}
	if _, err := w.Close(exporters.Summary{}); err == nil {
		t.Error("Close after Abort succeeded")
	}
}

func TestWriterCloseFails(t *testing.T) {
	for _, tc := range []struct {
		name string
		meta exporters.Metadata
		want string
	}{
		{"in place", testMeta(), "renaming the archive into place"},
		{"copy", bigMeta(2500), "creating the archive"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "gone")
			os.Mkdir(dir, 0o755)
			w, err := Create(filepath.Join(dir, "a.tar.gz"), tc.meta, 1, 0o644)
			if err != nil {
				t.Fatal(err)
			}
			w.Write(testRecords(3, 10))
			os.RemoveAll(dir)
			if _, err := w.Close(exporters.Summary{}); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Close in a removed directory: %v, want %q", err, tc.want)
			}
			if err := w.Abort(); err != nil {
				t.Errorf("Abort after a failed Close: %v", err)
			}
		})
	}
}

func BenchmarkWriter(b *testing.B) {
	recs := testRecords(1000, 4000)
	var n int64
	for _, r := range recs {
		n += int64(len(r)) + 1
	}
	for _, level := range []int{gzip.BestSpeed, gzip.DefaultCompression} {
		b.Run(fmt.Sprintf("level=%d", level), func(b *testing.B) {
			b.SetBytes(n)
			dir := b.TempDir()
			for b.Loop() {
				w, err := Create(filepath.Join(dir, "a.tar.gz"), testMeta(), level, 0o644)
				if err != nil {
					b.Fatal(err)
				}
				if err := w.Write(recs); err != nil {
					b.Fatal(err)
				}
				if _, err := w.Close(exporters.Summary{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func TestOutputCreateNeverReplaces(t *testing.T) {
	dir := t.TempDir()
	out, err := ParseOutput(dir)
	if err != nil {
		t.Fatal(err)
	}
	meta := exporters.Metadata{Repository: "r", GeneratedAt: time.Date(2026, 12, 2, 13, 0, 0, 0, time.UTC)}
	// Three exports of the same second, all begun before any ends.
	var ws []*Writer
	for range 3 {
		w, err := out.Create(meta, 1, 0o644)
		if err != nil {
			t.Fatal(err)
		}
		ws = append(ws, w)
	}
	var paths []string
	for i, w := range ws {
		if err := w.Write([][]byte{[]byte(fmt.Sprintf(`{"n":%d}`, i))}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.Close(exporters.Summary{CommitCount: 1}); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, filepath.Base(w.Path()))
	}
	want := []string{"backfill-r-20261202T130000Z.tar.gz", "backfill-r-20261202T130000Z-2.tar.gz", "backfill-r-20261202T130000Z-3.tar.gz"}
	if !slices.Equal(paths, want) {
		t.Errorf("paths %v, want %v", paths, want)
	}
	for i, p := range want {
		recs, err := ReadRecords(filepath.Join(dir, p))
		if err != nil || len(recs) != 1 || string(recs[0]) != fmt.Sprintf(`{"n":%d}`, i) {
			t.Errorf("%s: %q, %v", p, recs, err)
		}
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}
