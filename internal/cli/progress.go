package cli

import (
	"io"
	"os"
	"time"

	"github.com/git-backfill/git-backfill/internal/backfill"
	"github.com/git-backfill/git-backfill/internal/progress"
)

// showProgress decides whether to draw progress: --progress/--no-progress
// when given, else only when stderr is a terminal (as git does).
func (c *command) showProgress(p *parsedArgs, quiet bool) bool {
	if v, ok := p.values["progress"]; ok {
		return v == "true"
	}
	if quiet {
		return false
	}
	f, ok := c.stderr.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}

func startMeter(w io.Writer, counters *backfill.Counters) *progress.Meter {
	return progress.Start(w, "Backfilling blobs", 100*time.Millisecond, func() progress.Sample {
		return progress.Sample{
			Done:       counters.Fetched.Load(),
			Total:      counters.Queued.Load(),
			TotalFinal: counters.WalkDone.Load(),
			Bytes:      counters.Bytes.Load(),
		}
	})
}
