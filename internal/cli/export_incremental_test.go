package cli

import (
	"context"
	"slices"
	"testing"

	"github.com/git-backfill/git-backfill/exporters"
)

// recorder is an in-process exporter that keeps what it gets.
type recorder struct {
	have    []string
	records []string
	summary exporters.Summary
}

func (r *recorder) Configure(context.Context, map[string]string) error { return nil }
func (r *recorder) Begin(context.Context, exporters.Metadata) error    { return nil }
func (r *recorder) Abort(context.Context, string) error                { return nil }
func (r *recorder) Write(_ context.Context, recs [][]byte) error {
	for _, rec := range recs {
		r.records = append(r.records, string(rec))
	}
	return nil
}
func (r *recorder) End(_ context.Context, s exporters.Summary) (exporters.Result, error) {
	r.summary = s
	return exporters.Result{Records: int64(len(r.records))}, nil
}
func (r *recorder) Manifest(context.Context) (exporters.Manifest, error) {
	return exporters.Manifest{Commits: r.have, Found: r.have != nil}, nil
}

func TestIncrementalOutputsGetWhatTheyLack(t *testing.T) {
	ctx := context.Background()
	a := &recorder{have: []string{"c1", "c2"}}
	b := &recorder{have: []string{"c2"}}
	outs := &outputs{list: []*output{{name: "a", exp: a}, {name: "b", exp: b}}}
	c := &command{stderr: &discard{}}
	if err := c.readManifests(ctx, outs, false); err != nil {
		t.Fatal(err)
	}
	selected := []string{"c1", "c2", "c3"}
	fresh := outs.newCommits(selected)
	if !slices.Equal(fresh, []string{"c1", "c3"}) {
		t.Fatalf("newCommits = %v", fresh)
	}
	for i, id := range fresh {
		r := &exporters.Record{CommitSHA: id, CommitterDate: "2024-01-0" + string(rune('1'+i)) + "T00:00:00Z"}
		if err := outs.write(ctx, []byte(id), r); err != nil {
			t.Fatal(err)
		}
	}
	if err := outs.flush(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := outs.end(ctx, exporters.Summary{CommitCount: 2, SkippedCommits: 1}); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(a.records, []string{"c3"}) || !slices.Equal(a.summary.Commits, []string{"c3"}) || a.summary.CommitCount != 1 {
		t.Errorf("a got %v, summary %+v", a.records, a.summary)
	}
	if !slices.Equal(b.records, []string{"c1", "c3"}) || !slices.Equal(b.summary.Commits, []string{"c1", "c3"}) || b.summary.CommitCount != 2 {
		t.Errorf("b got %v, summary %+v", b.records, b.summary)
	}
	if a.summary.SkippedCommits != 1 || a.summary.MinCommitDate.Day() != 2 || b.summary.MinCommitDate.Day() != 1 {
		t.Errorf("summaries: a %+v, b %+v", a.summary, b.summary)
	}
}

func TestIncrementalNeedsAManifest(t *testing.T) {
	outs := &outputs{list: []*output{{name: "plain", exp: &plain{}}}}
	c := &command{stderr: &discard{}}
	if err := c.readManifests(context.Background(), outs, false); err == nil {
		t.Error("an exporter without a manifest was accepted")
	}
}

// plain is an exporter without a manifest.
type plain struct{ recorder }

func (plain) Manifest() {} // hides recorder's: not an exporters.Incremental

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
