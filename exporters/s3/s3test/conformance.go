package s3test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/git-backfill/git-backfill/exporters"
	"github.com/git-backfill/git-backfill/exporters/exportertest"
)

// Conformance starts a server with a "conformance" bucket and credentials
// in the environment (so plugins started afterwards inherit them) and
// returns the conformance-suite hookup of the s3 exporter against it;
// newExporter makes the exporter, in-process or as a plugin.
func Conformance(t *testing.T, newExporter func(t *testing.T) exporters.Exporter) exportertest.Config {
	srv := StartServer(t)
	srv.Bucket("conformance")
	AWSEnv(t, AccessKey, SecretKey)
	var dir, prefix string
	runs := 0
	return exportertest.Config{
		New: func(t *testing.T) (exporters.Exporter, map[string]string) {
			runs++
			dir, prefix = t.TempDir(), fmt.Sprintf("run%d/", runs)
			return newExporter(t), map[string]string{"bucket": "conformance", "prefix": prefix,
				"endpoint": srv.URL(), "output": dir, "partSize": "5m", "compressionLevel": "1"}
		},
		Read: func(t *testing.T, res exporters.Result) [][]byte { return Records(t, srv.Get(t, res.Location)) },
		Leftovers: func(t *testing.T, res exporters.Result) []string {
			return append(LocalFiles(t, dir, res.Location), srv.Left(t, "conformance", prefix, res.Location)...)
		},
		BadOptions: map[string]map[string]string{
			"no bucket":        {"endpoint": srv.URL()},
			"missing bucket":   {"bucket": "nonexistent", "endpoint": srv.URL()},
			"no server":        {"bucket": "conformance", "endpoint": "http://127.0.0.1:1"},
			"bad endpoint":     {"bucket": "conformance", "endpoint": "ftp://example.com"},
			"small part size":  {"bucket": "conformance", "partSize": "1m"},
			"unknown option":   {"bucket": "conformance", "endpoint": srv.URL(), "bukcet": "x"},
			"bucket with form": {"bucket": "conformance", "presignedUrl": "https://example.com/", "presignedFields": `{"key":"k"}`},
		},
		Break:       func(t *testing.T) func() { srv.Stop(); return srv.Start },
		Incremental: true,
	}
}

// LocalFiles lists what an exporter left in its local directory, apart
// from keep (a kept archive, or a file the result names).
func LocalFiles(t *testing.T, dir, keep string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	var files []string
	for _, e := range entries {
		if p := filepath.Join(dir, e.Name()); p != keep {
			files = append(files, p)
		}
	}
	return files
}
