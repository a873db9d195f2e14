package files

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/git-backfill/git-backfill/exporters"
	"github.com/git-backfill/git-backfill/exporters/exportertest"
)

func TestConformance(t *testing.T) {
	var dir string
	exportertest.Run(t, exportertest.Config{
		New: func(t *testing.T) (exporters.Exporter, map[string]string) {
			dir = filepath.Join(t.TempDir(), "commits") // created by Configure
			return New(), map[string]string{"dir": dir, "type": "files"}
		},
		Read:       func(t *testing.T, res exporters.Result) [][]byte { return read(t, dir, res) },
		Leftovers:  func(t *testing.T, res exporters.Result) []string { return leftovers(t, dir) },
		BadOptions: badOptions,
		Break:      func(t *testing.T) func() { os.RemoveAll(dir); return nil },
	})
}

// badOptions are option sets that Configure refuses.
var badOptions = map[string]map[string]string{
	"no dir":        {},
	"empty dir":     {"dir": ""},
	"unknown key":   {"dir": "x", "dri": "y"},
	"dir is a file": {"dir": "/dev/null"},
	"dir in a file": {"dir": "/dev/null/x"},
	"unwritable":    {"dir": "/proc"},
}

// read returns the records in dir's .json files, in file name order (the
// suite's records are numbered in commit_sha order), and checks that each
// file is named after its record's commit and that res says dir.
func read(t *testing.T, dir string, res exporters.Result) [][]byte {
	t.Helper()
	if res.Location != dir {
		t.Errorf("Location %q, want %q", res.Location, dir)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var recs [][]byte
	var size int64
	for _, e := range entries { // sorted by name
		if !strings.HasSuffix(e.Name(), ".json") || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		size += int64(len(b))
		r, ok := bytes.CutSuffix(b, []byte("\n"))
		if !ok {
			t.Fatalf("%s does not end in a newline", e.Name())
		}
		if want := `"commit_sha":"` + strings.TrimSuffix(e.Name(), ".json") + `"`; !bytes.Contains(r, []byte(want)) {
			t.Fatalf("%s does not hold %s", e.Name(), want)
		}
		recs = append(recs, r)
	}
	if res.Bytes != size || res.Records != int64(len(recs)) {
		t.Errorf("Result %+v for %d files of %d bytes", res, len(recs), size)
	}
	return recs
}

// leftovers lists dir's files other than complete .json files: kept after
// Abort too.
func leftovers(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	var left []string
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".json") || strings.HasPrefix(e.Name(), ".") || !e.Type().IsRegular() {
			left = append(left, filepath.Join(dir, e.Name()))
		}
	}
	return left
}

func TestBadRecords(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	for name, rec := range map[string]string{
		"not JSON":      `{"commit_sha":`,
		"no commit":     `{"message":"x"}`,
		"path in sha":   `{"commit_sha":"../../../../../../../../../../../../etc/passwd"}`,
		"short sha":     `{"commit_sha":"abc123"}`,
		"upper-case":    `{"commit_sha":"` + strings.Repeat("A", 40) + `"}`,
		"SHA-1 + 1":     `{"commit_sha":"` + strings.Repeat("a", 41) + `"}`,
		"not a string":  `{"commit_sha":1}`,
		"array of shas": `[{"commit_sha":"` + strings.Repeat("a", 40) + `"}]`,
	} {
		e := New()
		if err := e.Configure(ctx, map[string]string{"dir": dir}); err != nil {
			t.Fatal(err)
		}
		err := e.Write(ctx, [][]byte{[]byte(rec)})
		if err == nil {
			t.Errorf("%s: Write succeeded", name)
			continue
		}
		exportertest.CheckError(t, err)
		if !strings.HasPrefix(err.Error(), "record 1: ") {
			t.Errorf("%s: error %q does not name the record", name, err)
		}
		e.Abort(ctx, "bad record")
	}
	if left, _ := os.ReadDir(dir); len(left) > 0 {
		t.Errorf("bad records left %v", left)
	}
}

func TestSHA256AndReplace(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	sha := strings.Repeat("0123456789abcdef", 4)
	e := New()
	if err := e.Configure(ctx, map[string]string{"DIR": dir}); err != nil {
		t.Fatal(err)
	}
	recs := [][]byte{[]byte(`{"commit_sha":"` + sha + `","n":1}`), []byte(`{"commit_sha":"` + sha + `","n":2}`)}
	if err := e.Write(ctx, recs); err != nil {
		t.Fatal(err)
	}
	if _, err := e.End(ctx, exporters.Summary{}); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(dir, sha+".json"))
	if err != nil || string(got) != string(recs[1])+"\n" {
		t.Errorf("%s.json = %q, %v; want the later record", sha, got, err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("dir has %d entries, want 1", len(entries))
	}
}

// TestAbortRemovesTemps checks Abort with a temporary file left by a
// failed write.
func TestAbortRemovesTemps(t *testing.T) {
	dir := t.TempDir()
	e := New().(*Exporter)
	if err := e.Configure(t.Context(), map[string]string{"dir": dir}); err != nil {
		t.Fatal(err)
	}
	tmp := filepath.Join(dir, ".x.json.1.tmp")
	os.WriteFile(tmp, nil, 0o644)
	e.temps[tmp] = true
	if err := e.Abort(t.Context(), "test"); err != nil {
		t.Fatal(err)
	}
	if left := leftovers(t, dir); len(left) > 0 {
		t.Errorf("left %q", left)
	}
}
