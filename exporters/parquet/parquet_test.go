package parquet

import (
	"os"
	"testing"

	"github.com/git-backfill/git-backfill/exporters"
	"github.com/git-backfill/git-backfill/exporters/exportertest"
)

func TestConformance(t *testing.T) {
	var dir string
	exportertest.Run(t, exportertest.Config{
		New: func(t *testing.T) (exporters.Exporter, map[string]string) {
			dir = t.TempDir()
			return New(), map[string]string{"output": dir, "repository": "conformance"}
		},
		Read:      func(t *testing.T, res exporters.Result) [][]byte { return readDataset(t, res.Location) },
		Leftovers: func(t *testing.T, res exporters.Result) []string { return leftovers(t, dir, res.Location) },
		BadOptions: map[string]map[string]string{
			"no output":             {},
			"unknown key":           {"output": "x", "outptu": "x"},
			"unwritable":            {"output": "/proc/"},
			"output not a dir":      {"output": "/dev/null"},
			"key given twice":       {"output": "a", "OUTPUT": "b"},
			"output and bucket":     {"output": "a", "bucket": "b"},
			"prefix without bucket": {"output": "a", "prefix": "p/"},
			"repository with slash": {"output": "a", "repository": "a/b"},
			"repository dot-dot":    {"output": "a", "repository": ".."},
			"repository with =":     {"output": "a", "repository": "a=b"},
			"bad endpoint":          {"bucket": "b", "endpoint": "ftp://example.com"},
		},
		Break:       func(t *testing.T) func() { os.RemoveAll(dir); return nil },
		Incremental: true,
	})
}
