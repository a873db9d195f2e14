package backfill

import (
	"fmt"
	"io"
)

// writePlan lists a batch for --dry-run: a header, then one line per path
// with its number of objects.
func writePlan(w io.Writer, kind string, b batch) error {
	var paths int
	b.pathRuns(func(string, int) { paths++ })
	if _, err := fmt.Fprintf(w, "batch %d: %d %s from %d paths\n", b.seq, len(b.ids), kind, paths); err != nil {
		return err
	}
	var err error
	b.pathRuns(func(path string, n int) {
		if err == nil {
			_, err = fmt.Fprintf(w, "\t%d\t%s\n", n, path)
		}
	})
	return err
}
