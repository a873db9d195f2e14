package archive

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/git-backfill/git-backfill/exporters"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func TestName(t *testing.T) {
	at := time.Date(2026, 11, 22, 4, 15, 0, 0, time.FixedZone("CET", 3600))
	for _, tc := range []struct{ repo, want string }{
		{"git-backfill", "backfill-git-backfill-20261122T031500Z"},
		{"my repo/with:odd*chars", "backfill-my-repo-with-odd-chars-20261122T031500Z"},
		{"Ünïcode.v2_x", "backfill--n-code.v2_x-20261122T031500Z"},
		{"", "backfill-repository-20261122T031500Z"},
		{"..", "backfill-repository-20261122T031500Z"},
	} {
		if got := Name(tc.repo, at); got != tc.want {
			t.Errorf("Name(%q) = %q, want %q", tc.repo, got, tc.want)
		}
	}
}

// testMeta is the metadata of the tests' exports.
func testMeta() exporters.Metadata {
	return exporters.Metadata{
		Tool: "git-backfill", Version: "1.2.3",
		GeneratedAt:   time.Date(2026, 11, 22, 3, 15, 0, 123, time.UTC),
		Repository:    "git-backfill",
		Remote:        "https://example.com/git-backfill.git",
		Selection:     exporters.Selection{Days: 90, Pathspecs: []string{"src/"}},
		DiffBase:      "parent",
		SchemaVersion: exporters.SchemaVersion,
	}
}

func TestInfoGolden(t *testing.T) {
	ny := time.FixedZone("EST", -5*3600)
	for _, tc := range []struct {
		name    string
		summary exporters.Summary
	}{
		{"metadata.json", exporters.Summary{CommitCount: 3, SkippedCommits: 1,
			MinCommitDate: time.Date(2026, 1, 2, 3, 4, 5, 0, ny),
			MaxCommitDate: time.Date(2026, 11, 21, 23, 0, 0, 0, time.UTC)}},
		{"metadata-empty.json", exporters.Summary{}},
	} {
		got, err := json.MarshalIndent(NewInfo(testMeta(), tc.summary), "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		golden(t, tc.name, append(got, '\n'))
	}
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from %s (go test -update rewrites it):\n%s", name, path, got)
	}
}

func TestOptions(t *testing.T) {
	o, err := NewOptions(map[string]string{"Output": "x", "compressionlevel": "1", "type": "tar", "bogus": "1", "Other": "2"})
	if err != nil {
		t.Fatal(err)
	}
	if got := o.Get("output"); got != "x" {
		t.Errorf("Get(output) = %q", got)
	}
	if lvl, err := o.Level(); lvl != 1 || err != nil {
		t.Errorf("Level() = %d, %v", lvl, err)
	}
	if err := o.Unknown(); err == nil || err.Error() != "unknown options Other, bogus" {
		t.Errorf("Unknown() = %v", err)
	}
	if _, err := NewOptions(map[string]string{"bucket": "a", "Bucket": "b"}); err == nil ||
		err.Error() != "option Bucket given twice (also as bucket)" {
		t.Errorf("duplicate keys: %v", err)
	}
	for _, bad := range []string{"0", "10", "fast"} {
		o, _ := NewOptions(map[string]string{"compressionLevel": bad})
		if _, err := o.Level(); err == nil {
			t.Errorf("Level(%q) succeeded", bad)
		}
	}
}

func TestParseOutput(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	os.WriteFile(file, nil, 0o644)
	meta := testMeta()
	defName := "backfill-git-backfill-20261122T031500Z.tar.gz"
	for _, tc := range []struct {
		output, want, err string
	}{
		{output: dir, want: filepath.Join(dir, defName)},
		{output: dir + "/new/sub/", want: filepath.Join(dir, "new/sub", defName)},
		{output: dir + "/out.tgz", want: filepath.Join(dir, "out.tgz")},
		{output: file, want: file},
		{output: dir + "/missing/out.tgz", err: "output " + dir + "/missing/out.tgz: stat " + dir + "/missing: no such file or directory"},
		{output: file + "/x.tgz", err: "output " + file + "/x.tgz: " + file + " is not a directory"},
		{output: "/dev/null", err: "output /dev/null: not a regular file or a directory"},
		{output: "/proc/", err: "output /proc/: directory not writable: open /proc/.git-backfill-probe-"},
		{output: "", err: "output: empty path"},
	} {
		o, err := ParseOutput(tc.output)
		if tc.err != "" {
			if err == nil || len(err.Error()) < len(tc.err) || err.Error()[:len(tc.err)] != tc.err {
				t.Errorf("ParseOutput(%q) error = %v, want %q...", tc.output, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseOutput(%q): %v", tc.output, err)
		} else if got := o.Path(meta); got != tc.want {
			t.Errorf("ParseOutput(%q).Path() = %q, want %q", tc.output, got, tc.want)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 2 {
		t.Errorf("probe files left behind: %v", entries)
	}
}
