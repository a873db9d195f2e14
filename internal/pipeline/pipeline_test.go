package pipeline

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/git-backfill/git-backfill/internal/gittest"
)

// commitOf is the commit id of a JSON record.
func commitOf(t *testing.T, rec string) string {
	t.Helper()
	var r struct {
		CommitSHA string `json:"commit_sha"`
	}
	if err := json.Unmarshal([]byte(rec), &r); err != nil {
		t.Fatalf("record is not JSON: %v", err)
	}
	return r.CommitSHA
}

func commitsOf(t *testing.T, recs []string) []string {
	var ids []string
	for _, rec := range recs {
		ids = append(ids, commitOf(t, rec))
	}
	return ids
}

func TestRunSendsEveryRecordToEveryExporter(t *testing.T) {
	repo, ids := history(t, 5)
	a, b := &recorder{}, &recorder{}
	req := request(t, repo, map[string]*recorder{"a": a, "b": b}, "a", "b")
	var log bytes.Buffer
	req.Log = &log
	var total int64
	var stoppedOK bool
	req.Meter = func(n int64, done *atomic.Int64) func(bool) {
		total = n
		return func(ok bool) { stoppedOK = ok && done.Load() == n }
	}
	sum, err := Run(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	newestFirst := slices.Clone(ids)
	slices.Reverse(newestFirst)
	for name, r := range map[string]*recorder{"a": a, "b": b} {
		if got := commitsOf(t, r.records); !slices.Equal(got, newestFirst) {
			t.Errorf("%s got commits %v, want %v", name, got, newestFirst)
		}
		if !r.ended || r.aborted != "" || !r.stopped {
			t.Errorf("%s: ended %v, aborted %q, stopped %v; want ended and stopped", name, r.ended, r.aborted, r.stopped)
		}
		if r.meta == nil || r.meta.Tool != "test" || r.meta.SchemaVersion == 0 || r.meta.GeneratedAt.IsZero() {
			t.Errorf("%s: metadata %+v lacks what the request and the run give", name, r.meta)
		}
		if r.summary.CommitCount != 5 || r.summary.MinCommitDate.IsZero() {
			t.Errorf("%s: summary %+v", name, r.summary)
		}
	}
	if sum.Records.CommitCount != 5 || len(sum.Exporters) != 2 || sum.Exporters[1].Name != "b" || sum.Exporters[1].Records != 5 {
		t.Errorf("summary %+v", sum)
	}
	if total != 5 || !stoppedOK {
		t.Errorf("meter: total %d, stopped after every record %v", total, stoppedOK)
	}
}

// Whatever fails, every exporter started is aborted with the reason and
// its process stopped; none is ended.
func TestRunAbortsEveryExporterOnAnyFailure(t *testing.T) {
	repo, _ := history(t, 3)
	for _, tc := range []struct {
		name   string
		failAt string // of exporter b
		revs   []string
		want   string
	}{
		{name: "bad revision", revs: []string{"no-such-branch"}, want: "no-such-branch"},
		{name: "begin", failAt: "begin", want: "begin: scripted failure"},
		{name: "write", failAt: "write", want: "write: scripted failure"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, b := &recorder{}, &recorder{failAt: tc.failAt}
			req := request(t, repo, map[string]*recorder{"a": a, "b": b}, "a", "b")
			if tc.revs != nil {
				req.Revs = tc.revs
			}
			sum, err := Run(context.Background(), req)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one that says %q", err, tc.want)
			}
			for name, r := range map[string]*recorder{"a": a, "b": b} {
				if r.ended || !strings.Contains(r.aborted, tc.want) || !r.stopped {
					t.Errorf("%s: ended %v, aborted %q, stopped %v; want aborted with the reason, and stopped", name, r.ended, r.aborted, r.stopped)
				}
			}
			if len(sum.Exporters) != 0 {
				t.Errorf("a failed export reports exporter results: %+v", sum.Exporters)
			}
		})
	}
}

// An exporter that cannot start or rejects its options stops those
// started before it; nothing is exported.
func TestRunStopsStartedExportersWhenOneCannotStart(t *testing.T) {
	repo, _ := history(t, 2)
	for _, tc := range []struct {
		name  string
		names []string
		b     *recorder
		want  string
	}{
		{name: "launch", names: []string{"a", "missing"}, want: "exporter missing: no such program"},
		{name: "configure", names: []string{"a", "b"}, b: &recorder{failAt: "configure"}, want: "configure: scripted failure"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := &recorder{}
			recs := map[string]*recorder{"a": a}
			if tc.b != nil {
				recs["b"] = tc.b
			}
			_, err := Run(context.Background(), request(t, repo, recs, tc.names...))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want %q", err, tc.want)
			}
			if !a.stopped || a.meta != nil || len(a.records) > 0 {
				t.Errorf("a: stopped %v, begun %v, %d records; want stopped before any work", a.stopped, a.meta != nil, len(a.records))
			}
		})
	}
}

// Exporters that fail at the end do not stop the others from ending; one
// that kept its output makes the export partial.
func TestRunEndsEveryExporterAndReportsKeptOutputAsPartial(t *testing.T) {
	repo, _ := history(t, 2)
	a, b := &recorder{failAt: "kept"}, &recorder{}
	sum, err := Run(context.Background(), request(t, repo, map[string]*recorder{"a": a, "b": b}, "a", "b"))
	var partial *PartialError
	if !errors.As(err, &partial) || !strings.Contains(partial.Msg, "/kept.tar.gz") {
		t.Fatalf("error %v, want a partial failure naming the kept archive", err)
	}
	if !a.ended || !b.ended || b.aborted != "" {
		t.Errorf("a ended %v, b ended %v (aborted %q): both must end", a.ended, b.ended, b.aborted)
	}
	if len(sum.Exporters) != 2 || sum.Exporters[0].Err == nil || sum.Exporters[1].Err != nil {
		t.Errorf("results %+v: want a failed, b delivered", sum.Exporters)
	}
	a, b = &recorder{failAt: "end"}, &recorder{}
	_, err = Run(context.Background(), request(t, repo, map[string]*recorder{"a": a, "b": b}, "a", "b"))
	if err == nil || errors.As(err, &partial) || !b.ended {
		t.Errorf("an exporter failing without kept output: error %v (want fatal), b ended %v", err, b.ended)
	}
}

func TestRunIncremental(t *testing.T) {
	repo, ids := history(t, 4)
	t.Run("nothing new", func(t *testing.T) {
		a := &recorder{have: ids}
		sum, err := Run(context.Background(), incremental(t, repo, map[string]*recorder{"a": a}, "a"))
		if err != nil || !sum.NothingNew {
			t.Fatalf("error %v, nothing new %v", err, sum.NothingNew)
		}
		if a.aborted != "nothing new to export" || a.ended || len(a.records) > 0 {
			t.Errorf("a: aborted %q, ended %v, %d records", a.aborted, a.ended, len(a.records))
		}
	})
	t.Run("one complete, one behind", func(t *testing.T) {
		a, b := &recorder{have: ids}, &recorder{have: ids[:2]}
		req := incremental(t, repo, map[string]*recorder{"a": a, "b": b}, "a", "b")
		var log bytes.Buffer
		req.Log = &log
		if _, err := Run(context.Background(), req); err != nil {
			t.Fatal(err)
		}
		if a.aborted != "nothing new for this exporter" || !a.stopped || a.meta != nil {
			t.Errorf("a (complete): aborted %q, stopped %v, begun %v", a.aborted, a.stopped, a.meta != nil)
		}
		want := []string{ids[3], ids[2]}
		if got := commitsOf(t, b.records); !slices.Equal(got, want) || !b.ended {
			t.Errorf("b got %v (ended %v), want %v", got, b.ended, want)
		}
		for _, msg := range []string{"2 of 4 selected commits are new", "exporter a already holds every selected commit"} {
			if !strings.Contains(log.String(), msg) {
				t.Errorf("log lacks %q:\n%s", msg, log.String())
			}
		}
	})
}

func incremental(t *testing.T, repo *gittest.Repo, recs map[string]*recorder, names ...string) Request {
	t.Helper()
	req := request(t, repo, recs, names...)
	req.Incremental = true
	return req
}
