package git

import (
	"sync/atomic"
	"testing"
	"time"
)

// Until data flows, the whole timeout applies; once it does, a stop is
// noticed after the adaptive window, not the whole timeout.
func TestStallWatchAdapts(t *testing.T) {
	for name, data := range map[string]FetchProgress{
		"objects received": {Objects: 1, Total: 9, Bytes: 100},
		"server sending":   {Sending: true},
	} {
		t.Run(name, func(t *testing.T) { testStallWatchAdapts(t, data) })
	}
}

func testStallWatchAdapts(t *testing.T, data FetchProgress) {
	var cancelled atomic.Bool
	w := newStallWatch(time.Hour, func() { cancelled.Store(true) }, func() bool { return false })
	w.floor = 50 * time.Millisecond // the test's scale: 10 s in real use
	defer w.stop()
	for range 5 { // chatter before data: the hour holds
		w.poke(FetchProgress{})
		time.Sleep(5 * time.Millisecond)
	}
	if w.waited() != time.Hour {
		t.Fatalf("window %v before data, want the whole timeout", w.waited())
	}
	for range 5 { // data every few milliseconds
		w.poke(data)
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

// Once the whole pack has arrived, the quiet local work gets the whole
// timeout again.
func TestStallWatchAfterTheTransfer(t *testing.T) {
	w := newStallWatch(time.Hour, func() {}, func() bool { return false })
	w.floor = 50 * time.Millisecond
	defer w.stop()
	w.poke(FetchProgress{Objects: 1, Total: 2, Bytes: 10})
	if w.waited() == time.Hour {
		t.Fatal("no adaptive window while receiving")
	}
	w.poke(FetchProgress{Objects: 2, Total: 2, Bytes: 20, Received: true})
	w.poke(FetchProgress{})
	if w.waited() != time.Hour {
		t.Fatalf("window %v after the pack arrived, want the whole timeout", w.waited())
	}
}

// While the user is asked for a password, the fetch is silent and the
// timer does not count it; once the answer is in, it does again.
func TestStallWatchWaitsForTheUser(t *testing.T) {
	var cancelled, asking atomic.Bool
	asking.Store(true)
	w := newStallWatch(30*time.Millisecond, func() { cancelled.Store(true) }, asking.Load)
	defer w.stop()
	time.Sleep(150 * time.Millisecond) // five windows
	if cancelled.Load() || w.fired() {
		t.Fatal("a fetch waiting for the user was stopped as stalled")
	}
	asking.Store(false)
	deadline := time.Now().Add(10 * time.Second)
	for !cancelled.Load() && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if !w.fired() {
		t.Fatal("after the answer, the silent fetch was not stopped")
	}
}
