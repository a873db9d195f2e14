package cli

import (
	"fmt"
	"time"

	"github.com/git-backfill/git-backfill/internal/backfill"
)

// summary is the one line printed at the end of a backfill.
func summary(st backfill.Stats, dryRun bool) string {
	switch {
	case dryRun:
		return fmt.Sprintf("backfill: dry run: would fetch %d blobs from %d paths in %s (%d commits walked, %d objects missing)",
			st.Blobs, st.Paths, plural(st.Batches, "batch", "batches"), st.Commits, st.Missing)
	case st.Missing == 0:
		return fmt.Sprintf("backfill: nothing to fetch: no blobs missing in %s", plural(st.Commits, "commit", "commits"))
	case st.Blobs == 0:
		return fmt.Sprintf("backfill: nothing to fetch for the selected paths (%d objects missing elsewhere)", st.Missing)
	}
	return fmt.Sprintf("backfill: fetched %d blobs from %d paths in %s, %s, in %s",
		st.Blobs, st.Paths, plural(st.Batches, "request", "requests"), humanBytes(st.Bytes),
		st.Elapsed.Round(time.Millisecond))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

// humanBytes prints a size in binary units, git style ("1.50 MiB").
func humanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d bytes", n)
	}
	units := []string{"KiB", "MiB", "GiB", "TiB"}
	v := float64(n) / unit
	i := 0
	for v >= unit && i < len(units)-1 {
		v /= unit
		i++
	}
	return fmt.Sprintf("%.2f %s", v, units[i])
}
