package plugins_test

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/git-backfill/git-backfill/exporters"
	"github.com/git-backfill/git-backfill/plugins"
	"github.com/git-backfill/git-backfill/plugins/plugintest"
)

var meta = exporters.Metadata{
	Tool: "git-backfill", Version: "1.2.3", GeneratedAt: time.Date(2026, 11, 22, 3, 15, 0, 123, time.UTC),
	Repository: "repo", Remote: "https://example.com/repo.git",
	Selection: exporters.Selection{Days: 30, Range: []string{"a..b", "^c"}, CommitsFrom: "-", Pathspecs: []string{"src/", ":!vendor"}},
	DiffBase:  "fork-point", SkipDiffs: true, SchemaVersion: exporters.SchemaVersion,
}

var summary = exporters.Summary{
	CommitCount: 3, SkippedCommits: 1,
	MinCommitDate: time.Date(2020, 1, 2, 3, 4, 5, 6, time.UTC), MaxCommitDate: time.Date(2021, 1, 2, 3, 4, 5, 6, time.UTC),
	Commits: []string{strings.Repeat("a", 40), strings.Repeat("b", 40), strings.Repeat("c", 64)},
}

func TestRoundTrip(t *testing.T) {
	ctx := t.Context()
	f := newFiles(t)
	p := plugintest.Start(t, "fake", nil)
	info, err := p.Describe(ctx)
	if want := (plugins.Info{Name: "fake", Description: "records what it receives, for tests", ProtocolVersion: 1}); err != nil || info != want {
		t.Errorf("Describe = %+v, %v; want %+v", info, err, want)
	}
	if err := p.Configure(ctx, f.options()); err != nil {
		t.Fatal(err)
	}
	if err := p.Begin(ctx, meta); err != nil {
		t.Fatal(err)
	}
	// Writes of every size, a 6 MiB record among small ones, and records
	// of 300 KiB that fill messages by bytes before count.
	var want [][]byte
	sizes := []int{1, 7, 999, 1, 2500, 0, 3}
	for _, n := range sizes {
		var batch [][]byte
		for range n {
			batch = append(batch, record(len(want)+len(batch), 100))
		}
		want = append(want, batch...)
		if err := p.Write(ctx, batch); err != nil {
			t.Fatal(err)
		}
	}
	big := [][]byte{record(len(want), 6<<20), record(len(want)+1, 50), record(len(want)+2, 300<<10),
		record(len(want)+3, 300<<10), record(len(want)+4, 300<<10), record(len(want)+5, 300<<10)}
	want = append(want, big...)
	if err := p.Write(ctx, big); err != nil {
		t.Fatal(err)
	}
	res, err := p.End(ctx, summary)
	if err != nil {
		t.Fatal(err)
	}
	var got [][]byte
	for i, b := range f.batches(t) {
		size := 0
		for _, r := range b {
			size += len(r)
		}
		if len(b) > 1000 || (len(b) > 1 && size > 1<<20) {
			t.Errorf("message %d has %d records of %d bytes", i, len(b), size)
		}
		got = append(got, b...)
	}
	if len(got) != len(want) {
		t.Fatalf("got %d records, want %d", len(got), len(want))
	}
	var total int64
	for i := range want {
		if !bytes.Equal(got[i], want[i]) {
			t.Fatalf("record %d differs: %.40q", i, got[i])
		}
		total += int64(len(want[i]))
	}
	if w := (exporters.Result{Location: f.out, Records: int64(len(want)), Bytes: total}); res != w {
		t.Errorf("End = %+v, want %+v", res, w)
	}
	if notes, w := f.notes(t), []string{jsonOf(t, meta), jsonOf(t, summary), jsonOf(t, summary.Commits)}; strings.Join(notes, "\n") != strings.Join(w, "\n") {
		t.Errorf("the plugin got\n%s\nwant\n%s", strings.Join(notes, "\n"), strings.Join(w, "\n"))
	}
}

func TestEmptyExport(t *testing.T) {
	ctx := t.Context()
	f := newFiles(t)
	p := plugintest.Start(t, "fake", nil)
	if err := p.Configure(ctx, f.options()); err != nil {
		t.Fatal(err)
	}
	if err := p.Begin(ctx, meta); err != nil {
		t.Fatal(err)
	}
	res, err := p.End(ctx, exporters.Summary{})
	if err != nil || res.Records != 0 {
		t.Fatalf("End = %+v, %v", res, err)
	}
	if notes := f.notes(t); notes[1] != jsonOf(t, exporters.Summary{}) {
		t.Errorf("empty summary arrived as %s", notes[1])
	}
}

func TestErrors(t *testing.T) {
	records := func(first int) [][]byte {
		var b [][]byte
		for i := range 700 {
			b = append(b, record(first+i, 100))
		}
		return b
	}
	for _, stage := range []string{"configure", "begin", "write", "end"} {
		t.Run(stage, func(t *testing.T) {
			ctx := t.Context()
			p := plugintest.Start(t, "fake", nil)
			err := p.Configure(ctx, map[string]string{"fail": stage, "failat": "1500"})
			if err == nil {
				err = p.Begin(ctx, meta)
			}
			// The batch of record 1500 fails, and the error surfaces at a
			// later call.
			for i := 0; err == nil && i < 5; i++ {
				err = p.Write(ctx, records(i*700))
			}
			if err == nil {
				_, err = p.End(ctx, summary)
			}
			want := "exporter fake: " + stage + " failed on purpose"
			if stage == "write" {
				want = "exporter fake: record 1500: write failed on purpose"
			}
			if err == nil || err.Error() != want {
				t.Errorf("got %v, want %s", err, want)
			}
			if _, err := p.End(ctx, summary); stage == "write" && (err == nil || err.Error() != want) {
				t.Errorf("End after a failed Write: %v", err)
			}
			if err := p.Abort(ctx, "failed"); err != nil {
				t.Errorf("Abort after a failure: %v", err)
			}
		})
	}
}

func TestKept(t *testing.T) {
	ctx := t.Context()
	p := plugintest.Start(t, "fake", nil)
	if err := p.Configure(ctx, map[string]string{"fail": "kept"}); err != nil {
		t.Fatal(err)
	}
	_, err := p.End(ctx, summary)
	var kept *exporters.KeptError
	if !errors.As(err, &kept) || kept.Path != "/kept/archive.tar.gz" || kept.Err.Error() != "exporter fake: upload failed on purpose" {
		t.Fatalf("End = %v, want a KeptError", err)
	}
	if want := "exporter fake: upload failed on purpose (the archive is kept at /kept/archive.tar.gz)"; err.Error() != want {
		t.Errorf("message %q, want %q", err, want)
	}
}

func TestUnknownBuiltin(t *testing.T) {
	p := plugintest.Start(t, "nosuch", nil)
	err := p.Configure(t.Context(), nil)
	if want := `exporter nosuch: unknown built-in exporter "nosuch"`; err == nil || err.Error() != want {
		t.Errorf("Configure = %v, want %s", err, want)
	}
}

func TestCallsAfterEnd(t *testing.T) {
	ctx := t.Context()
	p := plugintest.Start(t, "discard", nil)
	p.Configure(ctx, nil)
	p.Begin(ctx, meta)
	if _, err := p.End(ctx, summary); err != nil {
		t.Fatal(err)
	}
	if err := p.Write(ctx, [][]byte{[]byte("{}")}); err == nil {
		t.Error("Write after End succeeded")
	}
	if err := p.Abort(ctx, "late"); err != nil {
		t.Errorf("Abort after End: %v", err)
	}
	p.Close()
	if err := p.Configure(context.Background(), nil); err == nil || err.Error() != "exporter discard: closed" {
		t.Errorf("Configure after Close: %v", err)
	}
}

// TestFixturesComplete keeps TestRoundTrip's metadata and summary complete:
// a field added to them must be set here, and so carried by the protocol.
func TestFixturesComplete(t *testing.T) {
	for _, v := range []any{meta, meta.Selection, summary} {
		rv := reflect.ValueOf(v)
		for i := range rv.NumField() {
			if rv.Field(i).IsZero() {
				t.Errorf("%s.%s is not set in the test: set it, and carry it in exporter.proto", rv.Type().Name(), rv.Type().Field(i).Name)
			}
		}
	}
}

func TestManifest(t *testing.T) {
	ctx := t.Context()
	p := plugintest.Start(t, "fake", nil)
	opts := map[string]string{"manifest": "c1,c2", "warning": "odd"}
	if err := p.Configure(ctx, opts); err != nil {
		t.Fatal(err)
	}
	m, err := p.Manifest(ctx)
	if want := (exporters.Manifest{Commits: []string{"c1", "c2"}, Found: true, Warning: "odd"}); err != nil || !reflect.DeepEqual(m, want) {
		t.Errorf("Manifest = %+v, %v; want %+v", m, err, want)
	}

	failing := plugintest.Start(t, "fake", nil)
	failing.Configure(ctx, map[string]string{"fail": "manifest"})
	if _, err := failing.Manifest(ctx); err == nil || err.Error() != "exporter fake: manifest failed on purpose" {
		t.Errorf("failing Manifest: %v", err)
	}

	// An exporter without a manifest says so, recognisably.
	d := plugintest.Start(t, "discard", nil)
	d.Configure(ctx, nil)
	if _, err := d.Manifest(ctx); !errors.Is(err, exporters.ErrNoManifest) || !strings.HasPrefix(err.Error(), "exporter discard: ") {
		t.Errorf("Manifest of discard: %v", err)
	}
}
