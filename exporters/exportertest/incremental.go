package exportertest

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/git-backfill/git-backfill/exporters"
)

// testIncremental checks exporters.Incremental on one destination: no
// manifest at first; an export's commits are listed once it ended; an
// aborted export changes nothing; a later export adds its commits.
// Exporters without a manifest must refuse Manifest.
func testIncremental(t *testing.T, c Config) {
	first, opts := c.New(t)
	// Later exporters reuse the first one's options: the same destination.
	again := func() exporters.Incremental {
		e, _ := c.New(t)
		return configure(t, e, opts)
	}
	inc := configure(t, first, opts)
	if !c.Incremental {
		if inc != nil {
			if _, err := inc.Manifest(t.Context()); err == nil {
				t.Error("Manifest succeeded for an exporter that keeps no manifest")
			}
			first.Abort(t.Context(), "conformance test")
		}
		return
	}
	if inc == nil {
		t.Fatal("Config.Incremental is set but the exporter does not implement exporters.Incremental")
	}
	m, err := inc.Manifest(t.Context())
	if err != nil || m.Found || len(m.Commits) != 0 || m.Warning != "" {
		t.Fatalf("first Manifest = %+v, %v; want nothing found", m, err)
	}
	a, b := Records(0, 5), Records(5, 3)
	incrementalExport(t, first, a)
	checkManifest(t, again(), a)

	aborted := again()
	if _, err := aborted.Manifest(t.Context()); err != nil {
		t.Fatal(err)
	}
	e := aborted.(exporters.Exporter)
	if err := e.Begin(t.Context(), Metadata()); err != nil {
		t.Fatal(err)
	}
	writeBatches(t, e, [][][]byte{b})
	if err := e.Abort(t.Context(), "conformance test"); err != nil {
		t.Fatal(err)
	}
	checkManifest(t, again(), a)

	next := again()
	if _, err := next.Manifest(t.Context()); err != nil {
		t.Fatal(err)
	}
	incrementalExport(t, next.(exporters.Exporter), b)
	checkManifest(t, again(), append(slices.Clone(a), b...))
}

// configure configures e with opts and returns it as an Incremental, or
// nil if it is not one.
func configure(t *testing.T, e exporters.Exporter, opts map[string]string) exporters.Incremental {
	t.Helper()
	if err := e.Configure(t.Context(), opts); err != nil {
		t.Fatalf("Configure: %v", err)
	}
	inc, _ := e.(exporters.Incremental)
	return inc
}

// incrementalExport exports records with an exporter whose Manifest was
// called, passing their commit ids at End.
func incrementalExport(t *testing.T, e exporters.Exporter, records [][]byte) {
	t.Helper()
	if err := e.Begin(t.Context(), Metadata()); err != nil {
		t.Fatal(err)
	}
	writeBatches(t, e, [][][]byte{records})
	sum := Summary(records)
	sum.Commits = commitIDs(t, records)
	if _, err := e.End(t.Context(), sum); err != nil {
		t.Fatalf("End: %v", err)
	}
}

// checkManifest asks inc for its manifest, expecting the commits of
// records, and aborts it.
func checkManifest(t *testing.T, inc exporters.Incremental, records [][]byte) {
	t.Helper()
	m, err := inc.Manifest(t.Context())
	if err != nil {
		t.Fatalf("Manifest: %v", err)
	}
	inc.(exporters.Exporter).Abort(t.Context(), "conformance test: manifest read")
	got, want := slices.Sorted(slices.Values(m.Commits)), slices.Sorted(slices.Values(commitIDs(t, records)))
	if !m.Found || m.Warning != "" || !slices.Equal(got, want) {
		t.Errorf("Manifest = found %v, warning %q, %d commits; want the %d commits exported", m.Found, m.Warning, len(got), len(want))
	}
}

func commitIDs(t *testing.T, records [][]byte) []string {
	t.Helper()
	ids := make([]string, len(records))
	for i, r := range records {
		var rec exporters.Record
		if err := json.Unmarshal(r, &rec); err != nil {
			t.Fatal(err)
		}
		if rec.CommitSHA == "" {
			t.Fatal("record without commit_sha")
		}
		ids[i] = rec.CommitSHA
	}
	return ids
}
