package pipeline

import (
	"context"
	"slices"
	"testing"

	"github.com/git-backfill/git-backfill/exporters"
	"github.com/git-backfill/git-backfill/internal/git"
)

func TestIncrementalOutputsGetWhatTheyLack(t *testing.T) {
	ctx := context.Background()
	a := &recorder{have: []string{"c1", "c2"}}
	b := &recorder{have: []string{"c2"}}
	outs := &outputs{list: []*output{{name: "a", exp: a}, {name: "b", exp: b}}}
	r := &run{outs: outs}
	if err := r.readManifests(ctx); err != nil {
		t.Fatal(err)
	}
	selected := []git.OID{"c1", "c2", "c3"}
	fresh := outs.newCommits(selected)
	if !slices.Equal(fresh, []git.OID{"c1", "c3"}) {
		t.Fatalf("newCommits = %v", fresh)
	}
	for i, id := range fresh {
		r := &exporters.Record{CommitSHA: string(id), CommitterDate: "2024-01-0" + string(rune('1'+i)) + "T00:00:00Z"}
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
	r := &run{outs: outs}
	if err := r.readManifests(context.Background()); err == nil {
		t.Error("an exporter without a manifest was accepted")
	}
}

// plain is an exporter without a manifest.
type plain struct{ recorder }

func (plain) Manifest() {} // hides recorder's: not an exporters.Incremental
