package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// bench holds what every preset's measurements share.
type bench struct {
	sb           *sandbox
	binary       string // git-backfill under test, absolute
	toxiproxyBin string // toxiproxy-server, absolute
	runs         int    // samples per measurement
	batches      int    // batches wanted in the small-batch runs
	latency      time.Duration
	jobs         []int
	defJobs      string // git-backfill's default -j, for the labels
	keep         bool   // leave every repository in place
	self         string // the repository the self preset copies, if it runs
	out          io.Writer
	ratios       []string // the final "ratio:" block
}

// repo is one preset's server repository and its blobless clone.
type repo struct {
	p       params
	dir     string   // everything of this preset lives here
	server  string   // the bare server repository
	clone   string   // blobless --no-checkout clone over file://, never modified
	missing []string // the blobs the clone lacks: rev-list's "?<id>" lines
	batch   int      // --min-batch-size giving about bench.batches batches
	// fetchRSS is git-backfill's peak RSS (KiB) over the file:// runs.
	fetchRSS int64
}

// preset makes one repository, runs every measurement on it and removes
// it (unless -keep).
func (b *bench) preset(ctx context.Context, p params) error {
	if p.Export {
		return b.exportPreset(ctx, p)
	}
	r, err := b.setup(ctx, p)
	if err != nil {
		return err
	}
	if !b.keep {
		defer os.RemoveAll(r.dir)
	}
	if err := b.walk(ctx, r); err != nil {
		return err
	}
	if err := b.local(ctx, r); err != nil {
		return err
	}
	if err := b.rerun(ctx, r); err != nil {
		return err
	}
	if b.latency > 0 && !p.NoLatency {
		return b.latencyRuns(ctx, r)
	}
	return nil
}

// setup makes the server (generated, or copied for the self preset) and
// the template clone.
func (b *bench) setup(ctx context.Context, p params) (*repo, error) {
	r := &repo{p: p, dir: filepath.Join(b.sb.dir, p.Name)}
	r.server = filepath.Join(r.dir, "server.git")
	r.clone = filepath.Join(r.dir, "clone")
	if err := os.MkdirAll(r.dir, 0o755); err != nil {
		return nil, err
	}
	made := "generated"
	start := time.Now()
	if p.Shape == self {
		fmt.Fprintf(b.out, "\n== preset %s: %s\n", p.Name, p)
		if err := copySelf(ctx, b.sb, b.self, r.server); err != nil {
			return nil, fmt.Errorf("copying %s for %s: %w", b.self, p.Name, err)
		}
		made = "copied " + b.self
	} else {
		fmt.Fprintf(b.out, "\n== preset %s: %s (seed %d)\n", p.Name, p, p.Seed)
		if err := generate(ctx, b.sb, p, r.server); err != nil {
			return nil, fmt.Errorf("generating %s: %w", p.Name, err)
		}
	}
	gen := time.Since(start)
	start = time.Now()
	if _, err := b.sb.git(ctx, r.dir, "clone", "--quiet", "--filter=blob:none", "--no-checkout",
		"file://"+r.server, r.clone); err != nil {
		return nil, err
	}
	cloneTime := time.Since(start)
	out, err := b.sb.git(ctx, r.clone, "rev-list", "--count", "HEAD")
	if err != nil {
		return nil, err
	}
	commits := string(trimNewline(out))
	if r.missing, err = b.listMissing(ctx, r.clone); err != nil {
		return nil, err
	}
	if len(r.missing) == 0 {
		return nil, fmt.Errorf("the blobless clone of %s lacks no blobs", p.Name)
	}
	r.batch = max(1, len(r.missing)/b.batches)
	serverBytes := dirBytes(filepath.Join(r.server, "objects", "pack"), ".pack")
	fmt.Fprintf(b.out, "%s in %s (server pack %s); blobless clone in %s: %s commits in HEAD's history, %d blobs missing\n",
		made, seconds(gen), humanBytes(serverBytes), seconds(cloneTime), commits, len(r.missing))
	return r, nil
}

// listMissing returns the ids of the objects missing from HEAD's history
// in repo. --missing=print lists them without fetching any.
func (b *bench) listMissing(ctx context.Context, repo string) ([]string, error) {
	out, err := b.sb.git(ctx, repo, "rev-list", "--objects", "--missing=print", "HEAD")
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, line := range bytes.Split(out, []byte("\n")) {
		if id, ok := bytes.CutPrefix(line, []byte("?")); ok {
			ids = append(ids, string(id))
		}
	}
	return ids, nil
}

// dirBytes sums the sizes of the files in dir whose names end in suffix.
func dirBytes(dir, suffix string) int64 {
	entries, _ := os.ReadDir(dir)
	var n int64
	for _, e := range entries {
		if fi, err := e.Info(); err == nil && strings.HasSuffix(e.Name(), suffix) {
			n += fi.Size()
		}
	}
	return n
}

// defaultJobs reads git-backfill's default -j from its usage text, so the
// labels say what "the default" was; "?" if the text does not say.
func defaultJobs(ctx context.Context, sb *sandbox, binary string) string {
	out, _ := sb.command(ctx, sb.dir, binary, "-h").CombinedOutput()
	if m := regexp.MustCompile(`--jobs=\S*\s.*\(default (\d+)\)`).FindSubmatch(out); m != nil {
		return string(m[1])
	}
	return "?"
}
