// Package progress draws git-style progress lines on a terminal:
//
//	Backfilling blobs:  45% (4500/10000), 1.20 MiB | 300.00 KiB/s
//
// redrawn in place with a carriage return and finished with ", done.".
package progress

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// Sample is the state of the work at one moment.
type Sample struct {
	Done       int64
	Total      int64 // 0 while unknown
	TotalFinal bool  // Total will not grow any more
	Bytes      int64 // 0: no byte count shown
	// Unit, if set, names what Done counts; the line then shows its rate
	// and, once Total is final, the time left ("318 commits/s, 12s left").
	Unit string
	// Label, if set, follows Done ("2345 paths"); Note, if set, follows
	// the counts after a comma ("120000 missing blobs").
	Label, Note string
}

// Meter redraws one progress line from samples until stopped. Its methods
// are safe to call from one goroutine while its own goroutine draws.
type Meter struct {
	w      io.Writer
	title  string
	sample func() Sample
	every  time.Duration

	stopOnce sync.Once
	quit     chan struct{}
	finished chan struct{}

	lastLen   int
	lastLine  string
	lastBytes int64
	lastDone  int64
	lastTime  time.Time
	rate      float64 // bytes/s
	doneRate  float64 // Done per second
}

// The terminal is shared with whatever else may write to it, a password
// prompt above all: while a Hold is in place no Meter draws, and the line
// each left unfinished is ended first, so the prompt starts on a line of
// its own. drawMu also serializes drawing with Hold.
var (
	drawMu sync.Mutex
	holds  int
	active = map[*Meter]bool{}
)

// Hold stops every Meter from drawing until release is called.
func Hold() (release func()) {
	drawMu.Lock()
	defer drawMu.Unlock()
	holds++
	for m := range active {
		if m.lastLen > 0 {
			fmt.Fprint(m.w, "\n")
			m.lastLen, m.lastLine = 0, ""
		}
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			drawMu.Lock()
			holds--
			drawMu.Unlock()
		})
	}
}

// Start begins drawing to w every interval (at least 50ms).
func Start(w io.Writer, title string, interval time.Duration, sample func() Sample) *Meter {
	m := &Meter{w: w, title: title, sample: sample, every: max(interval, 50*time.Millisecond),
		quit: make(chan struct{}), finished: make(chan struct{}), lastTime: time.Now()}
	drawMu.Lock()
	active[m] = true
	drawMu.Unlock()
	go m.loop()
	return m
}

func (m *Meter) loop() {
	defer close(m.finished)
	t := time.NewTicker(m.every)
	defer t.Stop()
	for {
		select {
		case <-m.quit:
			return
		case <-t.C:
			m.draw(m.sample(), "\r")
		}
	}
}

// Stop draws the last line, ending it with ", done." when done is true,
// and a newline either way.
func (m *Meter) Stop(done bool) {
	m.stopOnce.Do(func() {
		close(m.quit)
		<-m.finished
		end := "\n"
		if done {
			end = ", done.\n"
		}
		m.draw(m.sample(), end)
		drawMu.Lock()
		delete(active, m)
		drawMu.Unlock()
	})
}

func (m *Meter) draw(s Sample, end string) {
	drawMu.Lock()
	defer drawMu.Unlock()
	if holds > 0 && end == "\r" {
		return
	}
	now := time.Now()
	if dt := now.Sub(m.lastTime).Seconds(); dt >= 0.5 {
		m.rate = float64(s.Bytes-m.lastBytes) / dt
		m.doneRate = float64(s.Done-m.lastDone) / dt
		m.lastBytes, m.lastDone, m.lastTime = s.Bytes, s.Done, now
	}
	line := Format(m.title, s, m.rate)
	if s.Unit != "" && m.doneRate > 0 {
		line += fmt.Sprintf(" | %.0f %s/s", m.doneRate, s.Unit)
		if s.TotalFinal && s.Total > s.Done && end == "\r" {
			left := time.Duration(float64(s.Total-s.Done) / m.doneRate * float64(time.Second))
			line += fmt.Sprintf(", %s left", left.Round(time.Second))
		}
	}
	if end == "\r" && line == m.lastLine {
		return // nothing new: a log file gets no copies of the same line
	}
	m.lastLine = line
	pad := ""
	if n := m.lastLen - len(line); n > 0 && end == "\r" {
		pad = strings.Repeat(" ", n)
	}
	m.lastLen = len(line)
	fmt.Fprint(m.w, line+pad+end)
}

// Format renders one progress line (without line ending).
func Format(title string, s Sample, rate float64) string {
	var b strings.Builder
	b.WriteString(title + ": ")
	if s.TotalFinal && s.Total > 0 {
		fmt.Fprintf(&b, "%3d%% (%d/%d)", s.Done*100/s.Total, s.Done, s.Total)
	} else {
		fmt.Fprintf(&b, "%d", s.Done)
	}
	if s.Label != "" {
		b.WriteString(" " + s.Label)
	}
	if s.Note != "" {
		b.WriteString(", " + s.Note)
	}
	if s.Bytes > 0 {
		fmt.Fprintf(&b, ", %s", HumanBytes(s.Bytes))
		if rate > 0 {
			fmt.Fprintf(&b, " | %s/s", HumanBytes(int64(rate)))
		}
	}
	return b.String()
}

// HumanBytes prints a size in binary units as git does ("1.50 MiB").
func HumanBytes(n int64) string {
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

// Plural writes a count with the word that fits it: "1 commit", "2 commits".
func Plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}
