package s3

import (
	"sync"
	"testing"

	"github.com/git-backfill/git-backfill/exporters"
	"github.com/git-backfill/git-backfill/exporters/exportertest"
)

// export runs a whole export and returns End's result.
func export(t *testing.T, opts map[string]string, recs [][]byte) (exporters.Result, error) {
	t.Helper()
	e := New()
	if err := e.Configure(t.Context(), opts); err != nil {
		t.Fatalf("Configure: %v", err)
	}
	if err := e.Begin(t.Context(), exportertest.Metadata()); err != nil {
		t.Fatal(err)
	}
	if err := e.Write(t.Context(), recs); err != nil {
		t.Fatal(err)
	}
	res, err := e.End(t.Context(), exportertest.Summary(recs))
	if err != nil {
		e.Abort(t.Context(), "end failed")
	}
	return res, err
}

// bigRecords are 16 MiB of poorly compressible records, which make an
// archive of 3 parts of 5 MiB. They are made once.
var bigRecords = sync.OnceValue(func() [][]byte {
	var recs [][]byte
	for i := range 16 {
		recs = append(recs, exportertest.Record(i, 1<<20))
	}
	return recs
})
