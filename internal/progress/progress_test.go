package progress

import (
	"bytes"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestFormat(t *testing.T) {
	for _, tc := range []struct {
		s    Sample
		rate float64
		want string
	}{
		{Sample{Done: 4500, Total: 10000, TotalFinal: true}, 0, "Backfilling blobs:  45% (4500/10000)"},
		{Sample{Done: 12, Total: 40}, 0, "Backfilling blobs: 12"},
		{Sample{Done: 48, Total: 48, TotalFinal: true, Bytes: 1258291}, 307200, "Backfilling blobs: 100% (48/48), 1.20 MiB | 300.00 KiB/s"},
		{Sample{Done: 0, Total: 0, TotalFinal: true, Bytes: 10}, 0, "Backfilling blobs: 0, 10 bytes"},
	} {
		if got := Format("Backfilling blobs", tc.s, tc.rate); got != tc.want {
			t.Errorf("Format(%+v) = %q, want %q", tc.s, got, tc.want)
		}
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestMeterRedrawsAndFinishes(t *testing.T) {
	var out syncBuffer
	var mu sync.Mutex
	done := int64(0)
	m := Start(&out, "Backfilling blobs", 50*time.Millisecond, func() Sample {
		mu.Lock()
		defer mu.Unlock()
		done++
		return Sample{Done: done, Total: 100, TotalFinal: true}
	})
	time.Sleep(180 * time.Millisecond)
	m.Stop(true)
	m.Stop(true) // idempotent
	text := out.b.String()
	if !strings.Contains(text, "\r") || !strings.HasSuffix(text, ", done.\n") || strings.Count(text, "\n") != 1 {
		t.Fatalf("output %q: want carriage-return redraws and one final line", text)
	}
}

func TestMeterSkipsUnchangedLines(t *testing.T) {
	var out syncBuffer
	m := Start(&out, "Backfilling blobs", 50*time.Millisecond, func() Sample {
		return Sample{Done: 3, Total: 10, TotalFinal: true}
	})
	time.Sleep(300 * time.Millisecond)
	m.Stop(false)
	text := out.b.String()
	if n := strings.Count(text, "(3/10)"); n != 2 {
		t.Fatalf("the same line was drawn %d times, want once plus the final line: %q", n, text)
	}
}

func TestMeterShowsRateAndTimeLeft(t *testing.T) {
	var out syncBuffer
	var mu sync.Mutex
	done := int64(0)
	m := Start(&out, "Exporting commits", 100*time.Millisecond, func() Sample {
		mu.Lock()
		defer mu.Unlock()
		done += 10
		return Sample{Done: done, Total: 100000, TotalFinal: true, Unit: "commits"}
	})
	time.Sleep(800 * time.Millisecond)
	m.Stop(false)
	text := out.b.String()
	if !strings.Contains(text, " commits/s, ") || !strings.Contains(text, " left") {
		t.Fatalf("no rate or time left in %q", text)
	}
}

// While a prompt holds the terminal, meters end their line and draw
// nothing until it is released; then they carry on.
func TestHoldPausesMeters(t *testing.T) {
	var out syncBuffer
	var done atomic.Int64
	m := Start(&out, "Backfilling blobs", 50*time.Millisecond, func() Sample {
		return Sample{Done: done.Add(1), Total: 1000, TotalFinal: true}
	})
	time.Sleep(120 * time.Millisecond)
	release := Hold()
	held := out.String()
	if !strings.HasSuffix(held, "\n") {
		t.Fatalf("Hold left the line unfinished: %q", held)
	}
	time.Sleep(200 * time.Millisecond)
	if got := out.String(); got != held {
		t.Fatalf("a meter drew while held: %q after %q", got[len(held):], held)
	}
	release()
	release() // idempotent
	time.Sleep(120 * time.Millisecond)
	m.Stop(true)
	if got := out.String(); len(got) == len(held) || !strings.HasSuffix(got, ", done.\n") {
		t.Fatalf("after release: %q", got[len(held):])
	}
}
