package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/git-backfill/git-backfill/internal/backfill"
	"github.com/git-backfill/git-backfill/internal/progress"
)

// informs reports whether a backfill prints the lines that only inform:
// the summary at the end and the notes that say why there was nothing to
// do. git's builtin prints nothing on success, and scripts that wrap it
// may take any output on stderr for a problem, so these lines show only
// on a terminal, or when --verbose or --stats asks for them; -q drops
// them. Warnings and errors always show.
func (c *command) informs(p *parsedArgs) bool {
	if p.flags.Quiet {
		return false
	}
	return p.flags.Verbose || p.flags.Stats != nil || c.stderrIsTerminal()
}

// summary is the one line printed at the end of a backfill. filtered says
// a sparse-checkout or pathspec limited the walk: what is missing outside
// it was not looked at.
func summary(st backfill.Stats, dryRun, filtered bool) string {
	switch {
	case dryRun && st.TreesUnknown > 0:
		return fmt.Sprintf("backfill: dry run: would fetch %d blobs from %d paths in %s, plus %d missing trees whose blobs cannot be listed before the trees are fetched",
			st.Blobs, st.Paths, progress.Plural(st.Batches, "batch", "batches"), st.TreesUnknown)
	case dryRun:
		return fmt.Sprintf("backfill: dry run: would fetch %d blobs from %d paths in %s (%d commits walked, %d objects missing)",
			st.Blobs, st.Paths, progress.Plural(st.Batches, "batch", "batches"), st.Commits, st.Missing)
	case st.Missing == 0 && filtered:
		return fmt.Sprintf("backfill: nothing to fetch: no blobs missing in the selected paths of %s", progress.Plural(st.Commits, "commit", "commits"))
	case st.Missing == 0:
		return fmt.Sprintf("backfill: nothing to fetch: no blobs missing in %s", progress.Plural(st.Commits, "commit", "commits"))
	}
	trees := ""
	if st.Trees > 0 {
		trees = fmt.Sprintf(" and %d trees", st.Trees)
	}
	return fmt.Sprintf("backfill: fetched %d blobs%s from %d paths in %s, %s, in %s",
		st.Blobs, trees, st.Paths, progress.Plural(st.Requests, "request", "requests"), progress.HumanBytes(st.Bytes),
		st.Elapsed.Round(time.Millisecond))
}

// jsonStats is the --stats=json summary. Field names are part of our
// interface: add, never rename.
type jsonStats struct {
	Commits   int           `json:"commits"`
	Missing   int           `json:"missing_before"`
	Paths     int           `json:"paths"`
	Blobs     int           `json:"blobs"`
	Trees     int           `json:"trees"`
	Batches   int           `json:"batches"`
	Requests  int           `json:"requests"`
	Bytes     int64         `json:"bytes"`
	ElapsedMS int64         `json:"elapsed_ms"`
	DryRun    bool          `json:"dry_run"`
	Failed    []jsonFailure `json:"failed"`
}

type jsonFailure struct {
	ID    string `json:"id"`
	Path  string `json:"path"`
	Error string `json:"error"`
}

func writeJSONStats(w io.Writer, st backfill.Stats, dryRun bool) error {
	out := jsonStats{Commits: st.Commits, Missing: st.Missing, Paths: st.Paths, Blobs: st.Blobs,
		Trees: st.Trees, Batches: st.Batches, Requests: st.Requests, Bytes: st.Bytes,
		ElapsedMS: st.Elapsed.Milliseconds(), DryRun: dryRun, Failed: []jsonFailure{}}
	for _, f := range st.Failed {
		out.Failed = append(out.Failed, jsonFailure{string(f.ID), f.Path, f.Err})
	}
	return json.NewEncoder(w).Encode(out)
}

// failuresError lists the objects that could not be fetched: exit code 1.
func failuresError(failed []backfill.Failure) error {
	return &partialError{backfill.FailuresMessage(failed)}
}
