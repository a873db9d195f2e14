package tar

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/git-backfill/git-backfill/exporters"
	"github.com/git-backfill/git-backfill/exporters/archive"
	"github.com/git-backfill/git-backfill/exporters/exportertest"
)

func TestConformance(t *testing.T) {
	var dir string
	exportertest.Run(t, exportertest.Config{
		New: func(t *testing.T) (exporters.Exporter, map[string]string) {
			dir = t.TempDir()
			return New(), map[string]string{"output": dir, "compressionLevel": "1"}
		},
		Read:      func(t *testing.T, res exporters.Result) [][]byte { return readArchive(t, res.Location) },
		Leftovers: func(t *testing.T, res exporters.Result) []string { return leftovers(t, dir, res.Location) },
		BadOptions: map[string]map[string]string{
			"unknown key":         {"outptu": "x"},
			"missing directory":   {"output": "/nonexistent/a.tar.gz"},
			"unwritable":          {"output": "/proc/"},
			"compression level":   {"compressionLevel": "11"},
			"key given twice":     {"output": "a", "OUTPUT": "b"},
			"output not a file":   {"output": "/dev/null"},
			"output file in file": {"output": "/dev/null/a.tar.gz"},
		},
		Break:       func(t *testing.T) func() { os.RemoveAll(dir); return nil },
		Incremental: true,
	})
}

// readArchive returns the records of the archive at path.
func readArchive(t *testing.T, path string) [][]byte {
	t.Helper()
	records, err := archive.ReadRecords(path)
	if err != nil {
		t.Fatal(err)
	}
	return records
}

// leftovers lists dir's files other than keep.
func leftovers(t *testing.T, dir, keep string) []string {
	entries, err := os.ReadDir(dir)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	var left []string
	for _, e := range entries {
		if p := filepath.Join(dir, e.Name()); p != keep {
			left = append(left, p)
		}
	}
	return left
}
