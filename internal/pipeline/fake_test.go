package pipeline

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/git-backfill/git-backfill/config"
	"github.com/git-backfill/git-backfill/exporters"
	"github.com/git-backfill/git-backfill/internal/backfill"
	"github.com/git-backfill/git-backfill/internal/git"
	"github.com/git-backfill/git-backfill/internal/gittest"
)

// recorder is an in-process exporter that keeps what it gets and fails
// at the step named by failAt ("configure", "begin", "write", "end",
// "kept": end failing with its output kept).
type recorder struct {
	have    []string // its manifest; nil: none kept yet
	failAt  string
	meta    *exporters.Metadata
	records []string
	summary exporters.Summary
	ended   bool
	aborted string // the reason given, if aborted
	stopped bool   // its process was stopped
}

var errScripted = errors.New("scripted failure")

func (r *recorder) fail(step string) error {
	if r.failAt == step {
		return fmt.Errorf("%s: %w", step, errScripted)
	}
	return nil
}

func (r *recorder) Configure(context.Context, map[string]string) error { return r.fail("configure") }
func (r *recorder) Begin(_ context.Context, m exporters.Metadata) error {
	r.meta = &m
	return r.fail("begin")
}
func (r *recorder) Abort(_ context.Context, reason string) error {
	r.aborted = reason
	return nil
}
func (r *recorder) Write(_ context.Context, recs [][]byte) error {
	for _, rec := range recs {
		r.records = append(r.records, string(rec))
	}
	return r.fail("write")
}
func (r *recorder) End(_ context.Context, s exporters.Summary) (exporters.Result, error) {
	r.summary, r.ended = s, true
	if r.failAt == "kept" {
		return exporters.Result{}, &exporters.KeptError{Path: "/kept.tar.gz", Err: errScripted}
	}
	return exporters.Result{Records: int64(len(r.records)), Location: "memory"}, r.fail("end")
}
func (r *recorder) Manifest(context.Context) (exporters.Manifest, error) {
	return exporters.Manifest{Commits: r.have, Found: r.have != nil}, nil
}

// launcher hands out the recorders by exporter name; a name it lacks
// fails to start.
func launcher(recs map[string]*recorder) Launcher {
	return func(_ context.Context, cfg config.ExporterConfig) (exporters.Exporter, func() error, error) {
		r, ok := recs[cfg.Name]
		if !ok {
			return nil, nil, errors.New("no such program")
		}
		return r, func() error { r.stopped = true; return nil }, nil
	}
}

// history is a repository of n commits, each changing file.txt, with its
// commit ids oldest first.
func history(t *testing.T, n int) (*gittest.Repo, []string) {
	t.Helper()
	r := gittest.New(t, []string{"file.txt"})
	for i := 1; i < n; i++ {
		text := fmt.Sprintf("version %d\n", i)
		if err := os.WriteFile(filepath.Join(r.Dir, "file.txt"), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		r.Must("-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-q", "-a", "-m", text)
	}
	ids := strings.Fields(r.Must("rev-list", "--reverse", "HEAD"))
	return r, ids
}

// request is a request to export the whole history of repo to the named
// recorders.
func request(t *testing.T, repo *gittest.Repo, recs map[string]*recorder, names ...string) Request {
	t.Helper()
	ctx := context.Background()
	g := git.NewRunner(repo.Dir, repo.Env())
	dir, err := g.Discover(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := g.ReadConfig(ctx)
	if err != nil {
		t.Fatal(err)
	}
	req := Request{Git: g, Repo: dir, Config: cfg, Revs: []string{"HEAD"}, Remote: "origin",
		Launch: launcher(recs), Dir: repo.Dir, Metadata: exporters.Metadata{Tool: "test"},
		Fetch: backfill.Request{Jobs: 1, Retries: 1, ProbeTimeout: 10 * time.Second, StallTimeout: time.Minute}}
	for _, n := range names {
		req.Exporters = append(req.Exporters, config.ExporterConfig{Name: n, Type: "test"})
	}
	return req
}
