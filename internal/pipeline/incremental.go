package pipeline

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/git-backfill/git-backfill/config"
	"github.com/git-backfill/git-backfill/exporters"
	"github.com/git-backfill/git-backfill/internal/git"
)

// manifestPatience is how long reading a manifest may take before the
// user is told that it waits.
const manifestPatience = 2 * time.Second

// readManifests (--incremental) asks every exporter which commits its
// destination holds. An exporter that keeps no manifest fails the
// export; one whose manifest is unreadable or corrupt gets everything,
// with a warning.
func (r *run) readManifests(ctx context.Context) error {
	o := r.outs
	// Two exporters of one destination in one run would wait for each
	// other's lock (tar) or export everything twice (s3).
	byDest := map[string]string{}
	for _, out := range o.list {
		if prev, ok := byDest[out.dest]; ok && out.dest != "" {
			return fmt.Errorf("--incremental: exporters %s and %s export to the same destination (%s)", prev, out.name, out.dest)
		}
		byDest[out.dest] = out.name
	}
	// The tar exporter locks its directory from Manifest to the end: every
	// run takes the locks in one order, by destination, so two runs with
	// the same exporters listed in different orders cannot deadlock.
	ordered := slices.Clone(o.list)
	slices.SortStableFunc(ordered, func(a, b *output) int {
		// Known destinations first, by name; the others after, as listed.
		if (a.dest == "") != (b.dest == "") {
			if a.dest == "" {
				return 1
			}
			return -1
		}
		return strings.Compare(a.dest, b.dest)
	})
	for _, out := range ordered {
		inc, ok := out.exp.(exporters.Incremental)
		if !ok {
			return fmt.Errorf("--incremental: exporter %s: %w", out.name, exporters.ErrNoManifest)
		}
		// The tar exporter waits while another export to its directory runs.
		var m exporters.Manifest
		var err error
		r.sayIfSlow(fmt.Sprintf("export: waiting for exporter %s's manifest (another export to the same destination?)", out.name), func() {
			m, err = inc.Manifest(ctx)
		})
		if err != nil {
			return fmt.Errorf("--incremental: %w", err)
		}
		if m.Warning != "" {
			r.warnf("warning: exporter %s: %s\n", out.name, m.Warning)
		}
		out.have = make(map[git.OID]bool, len(m.Commits))
		for _, id := range m.Commits {
			out.have[git.OID(id)] = true
		}
	}
	return nil
}

// newCommits returns the commits, in order, that some exporter lacks.
func (o *outputs) newCommits(commits []git.OID) []git.OID {
	return slices.DeleteFunc(slices.Clone(commits), func(id git.OID) bool {
		for _, out := range o.list {
			if !out.have[id] {
				return false
			}
		}
		return true
	})
}

// missing returns the records of batch (whose commit ids are ids) that
// the exporter lacks: all of them, unless the export is incremental.
func (out *output) missing(batch [][]byte, ids []git.OID) [][]byte {
	if len(out.have) == 0 {
		return batch
	}
	var some [][]byte
	for i, rec := range batch {
		if !out.have[ids[i]] {
			some = append(some, rec)
		}
	}
	return some
}

// note counts a record the exporter gets.
func (out *output) note(r *exporters.Record) {
	out.sum.CommitCount++
	noteDate(&out.sum, r.CommitterDate)
	if out.have != nil {
		out.sum.Commits = append(out.sum.Commits, r.CommitSHA)
	}
}

// summary is the export's summary as this exporter saw it: its own
// records, and in an incremental export their ids for its manifest.
func (out *output) summary(all exporters.Summary) exporters.Summary {
	s := out.sum
	s.SkippedCommits = all.SkippedCommits
	return s
}

// sayIfSlow runs f and logs msg if f takes longer than manifestPatience;
// the message is written before sayIfSlow returns, never later.
func (r *run) sayIfSlow(msg string, f func()) {
	done := make(chan struct{})
	said := make(chan struct{})
	go func() {
		defer close(said)
		select {
		case <-done:
		case <-time.After(manifestPatience):
			r.logf("%s\n", msg)
		}
	}()
	f()
	close(done)
	<-said
}

// destination names where a built-in exporter writes, for telling two of
// one destination apart: the tar exporter's directory, the s3 exporter's
// endpoint, bucket and prefix. It is "" for other exporters.
// Relative paths are resolved against dir.
func destination(dir string, cfg config.ExporterConfig) string {
	opt := func(key string) string {
		for k, v := range cfg.Options {
			if strings.EqualFold(k, key) {
				return v
			}
		}
		return ""
	}
	switch cfg.Type {
	case "tar":
		out := opt("output")
		if out == "" {
			out = "."
		}
		out = AbsPath(dir, out)
		if fi, err := os.Stat(out); !strings.HasSuffix(out, "/") && (err != nil || !fi.IsDir()) {
			out = filepath.Dir(out)
		}
		return "tar " + filepath.Clean(out)
	case "s3":
		if opt("bucket") == "" {
			return ""
		}
		return "s3 " + opt("endpoint") + " s3://" + opt("bucket") + "/" + opt("prefix")
	}
	return ""
}

// dropComplete (--incremental) ends the exporters that already hold every
// commit to export: they get no empty archive.
func (r *run) dropComplete(ctx context.Context, fresh []git.OID) {
	o := r.outs
	o.list = slices.DeleteFunc(o.list, func(out *output) bool {
		for _, id := range fresh {
			if !out.have[id] {
				return false
			}
		}
		_ = out.exp.Abort(ctx, "nothing new for this exporter")
		if out.stop != nil {
			_ = out.stop()
		}
		r.logf("export: exporter %s already holds every selected commit\n", out.name)
		return true
	})
}

// AbsPath resolves path against dir, keeping a trailing slash (it marks a
// directory).
func AbsPath(dir, path string) string {
	if filepath.IsAbs(path) {
		return path
	}
	abs := filepath.Join(dir, path)
	if strings.HasSuffix(path, "/") {
		abs += "/"
	}
	return abs
}
