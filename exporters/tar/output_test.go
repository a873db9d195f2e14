package tar

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/git-backfill/git-backfill/exporters"
	"github.com/git-backfill/git-backfill/exporters/archive"
	"github.com/git-backfill/git-backfill/exporters/exportertest"
)

// export runs a whole export with options and returns its Result.
func export(t *testing.T, options map[string]string, records [][]byte) exporters.Result {
	t.Helper()
	ctx := t.Context()
	e := New()
	if err := e.Configure(ctx, options); err != nil {
		t.Fatal(err)
	}
	if err := e.Begin(ctx, exportertest.Metadata()); err != nil {
		t.Fatal(err)
	}
	if err := e.Write(ctx, records); err != nil {
		t.Fatal(err)
	}
	res, err := e.End(ctx, exportertest.Summary(records))
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestOutput(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	name := "backfill-conformance-20261122T031500Z.tar.gz"
	for _, tc := range []struct {
		output, want string
	}{
		{"", name}, // the current directory
		// Exports of the same second to one directory never replace one
		// another.
		{".", "backfill-conformance-20261122T031500Z-2.tar.gz"},
		{dir, filepath.Join(dir, "backfill-conformance-20261122T031500Z-3.tar.gz")},
		{"new/dir/", filepath.Join("new/dir", name)},
		{"named.tgz", "named.tgz"},
		{"named.tgz", "named.tgz"}, // replaced
	} {
		opts := map[string]string{}
		if tc.output != "" {
			opts["output"] = tc.output
		}
		res := export(t, opts, exportertest.Records(0, 10))
		if res.Location != tc.want || res.Records != 10 {
			t.Errorf("output %q: Result %+v, want Location %q", tc.output, res, tc.want)
		}
		if fi, err := os.Stat(res.Location); err != nil || fi.Size() != res.Bytes || fi.Mode().Perm()&0o044 == 0 {
			t.Errorf("output %q: %v, Bytes %d, mode %v", tc.output, err, res.Bytes, fi.Mode())
		}
		if len(readArchive(t, res.Location)) != 10 {
			t.Errorf("output %q: not 10 records", tc.output)
		}
	}
}

func TestMetadataJSON(t *testing.T) {
	dir := t.TempDir()
	recs := exportertest.Records(0, 4)
	res := export(t, map[string]string{"output": dir}, recs)
	r, err := archive.Open(res.Location)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	want := archive.NewInfo(exportertest.Metadata(), exportertest.Summary(recs))
	got := r.Info
	if got.CommitCount != 4 || got.Repository != "conformance" || got.GeneratedAt != "2026-11-22T03:15:00Z" ||
		*got.MinCommitDate != *want.MinCommitDate || *got.MaxCommitDate != *want.MaxCommitDate {
		t.Errorf("metadata.json: %+v", got)
	}
}

func TestZeroGeneratedAtIsNow(t *testing.T) {
	dir := t.TempDir()
	e := New()
	if err := e.Configure(t.Context(), map[string]string{"output": dir}); err != nil {
		t.Fatal(err)
	}
	meta := exportertest.Metadata()
	meta.GeneratedAt = time.Time{}
	before := time.Now().Add(-time.Second)
	e.Begin(t.Context(), meta)
	res, err := e.End(t.Context(), exporters.Summary{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := archive.Open(res.Location)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if at, err := time.Parse(time.RFC3339, r.Info.GeneratedAt); err != nil || at.Before(before.Truncate(time.Second)) {
		t.Errorf("generated_at %q: %v", r.Info.GeneratedAt, err)
	}
}
