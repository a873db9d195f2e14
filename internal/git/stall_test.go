package git

import (
	"sync/atomic"
	"testing"
	"time"
)

// Until data flows, the whole timeout applies; once it does, a stop is
// noticed after the adaptive window, not the whole timeout.
func TestStallWatchAdapts(t *testing.T) {
	var cancelled atomic.Bool
	w := newStallWatch(time.Hour, func() { cancelled.Store(true) })
	w.floor = 50 * time.Millisecond // the test's scale: 15 s in real use
	defer w.stop()
	for range 5 { // chatter before data: the hour holds
		w.poke(false)
		time.Sleep(5 * time.Millisecond)
	}
	if w.waited() != time.Hour {
		t.Fatalf("window %v before data, want the whole timeout", w.waited())
	}
	for range 5 { // data every few milliseconds
		w.poke(true)
		time.Sleep(3 * time.Millisecond)
	}
	if got := w.waited(); got < 50*time.Millisecond || got > time.Second {
		t.Fatalf("window %v once data flowed, want the floor to ten gaps", got)
	}
	deadline := time.Now().Add(10 * time.Second)
	for !cancelled.Load() && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if !cancelled.Load() || !w.fired() {
		t.Fatal("the stalled transfer was not stopped")
	}
}
