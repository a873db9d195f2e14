package cli

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/git-backfill/git-backfill/internal/backfill"
	"github.com/git-backfill/git-backfill/internal/progress"
)

// showProgress decides whether to draw progress: --progress/--no-progress
// when given, else only when stderr is a terminal (as git does).
func (c *command) showProgress(p *parsedArgs, quiet bool) bool {
	if p.flags.Progress != nil {
		return *p.flags.Progress
	}
	return !quiet && c.stderrIsTerminal()
}

// stderrIsTerminal reports whether standard error is a terminal, where a
// person reads it as the run goes.
func (c *command) stderrIsTerminal() bool {
	f, ok := c.stderr.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}

// backfillMeter draws a backfill's progress git-style: first the walk
// (paths visited, missing blobs found, commits), which takes seconds to
// minutes in a large history before the first batch is full, then the
// fetch, with its total from the moment the walk knows it.
type backfillMeter struct {
	w        io.Writer
	counters *backfill.Counters
	fetch    bool // draw the fetch phase (not in a dry run)
	quit     chan struct{}
	finished chan struct{}
	meter    *progress.Meter // the phase being drawn
	fetching bool
}

func startBackfillMeter(w io.Writer, counters *backfill.Counters, fetch bool) *backfillMeter {
	m := &backfillMeter{w: w, counters: counters, fetch: fetch,
		quit: make(chan struct{}), finished: make(chan struct{})}
	m.meter = progress.Start(w, "Walking history", 100*time.Millisecond, m.walkSample)
	go m.loop()
	return m
}

func (m *backfillMeter) walkSample() progress.Sample {
	c := m.counters
	return progress.Sample{Done: c.Paths.Load(), Label: "paths",
		Note: fmt.Sprintf("%d missing blobs in %d commits", c.Missing.Load(), c.Commits.Load())}
}

// loop switches to the fetch phase once the walk is done.
func (m *backfillMeter) loop() {
	defer close(m.finished)
	t := time.NewTicker(50 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-m.quit:
			return
		case <-t.C:
			if m.counters.WalkDone.Load() {
				m.nextPhase()
				return
			}
		}
	}
}

func (m *backfillMeter) nextPhase() {
	m.meter.Stop(true)
	m.meter = nil
	if m.fetch && m.counters.Queued.Load() > 0 {
		m.meter = startMeter(m.w, m.counters)
		m.fetching = true
	}
}

// Stop ends the line being drawn, with ", done." when done is true.
func (m *backfillMeter) Stop(done bool) {
	close(m.quit)
	<-m.finished
	if m.meter != nil && !m.fetching && m.counters.WalkDone.Load() && done {
		m.nextPhase() // the walk ended between two ticks
	}
	if m.meter != nil {
		m.meter.Stop(done)
	}
}

// startMeter draws the fetch phase: blobs that arrived out of those handed
// to fetch requests so far.
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
