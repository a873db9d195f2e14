package cli

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/git-backfill/git-backfill/exporters"
)

// manifestPatience is how long reading a manifest may take before the
// user is told that it waits.
const manifestPatience = 2 * time.Second

// readManifests (--incremental) asks every exporter which commits its
// destination holds. An exporter that keeps no manifest fails the
// export; one whose manifest is unreadable or corrupt gets everything,
// with a warning.
func (c *command) readManifests(ctx context.Context, o *outputs, quiet bool) error {
	for _, out := range o.list {
		inc, ok := out.exp.(exporters.Incremental)
		if !ok {
			return fmt.Errorf("--incremental: exporter %s: %w", out.name, exporters.ErrNoManifest)
		}
		// The tar exporter waits while another export to its directory runs.
		slow := time.AfterFunc(manifestPatience, func() {
			if !quiet {
				fmt.Fprintf(c.stderr, "export: waiting for exporter %s's manifest (another export to the same destination?)\n", out.name)
			}
		})
		m, err := inc.Manifest(ctx)
		slow.Stop()
		if err != nil {
			return fmt.Errorf("--incremental: %w", err)
		}
		if m.Warning != "" {
			fmt.Fprintf(c.stderr, "warning: exporter %s: %s\n", out.name, m.Warning)
		}
		out.incremental = true
		out.have = make(map[string]bool, len(m.Commits))
		for _, id := range m.Commits {
			out.have[id] = true
		}
	}
	return nil
}

// newCommits returns the commits, in order, that some exporter lacks.
func (o *outputs) newCommits(commits []string) []string {
	return slices.DeleteFunc(slices.Clone(commits), func(id string) bool {
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
func (out *output) missing(batch [][]byte, ids []string) [][]byte {
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
	if out.incremental {
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
