package backfill

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/git-backfill/git-backfill/internal/git"
)

// fakeRemote refuses some objects and can fail the first requests.
type fakeRemote struct {
	mu        sync.Mutex
	refuse    map[git.OID]bool
	failFirst int // fail this many requests whatever they ask
	down      bool
	silent    bool       // accept requests and never answer (a black hole)
	failWith  *git.Error // every request fails with this
	probes    int
	requests  [][]git.OID
	got       map[git.OID]int
	again     []bool // each request's again
}

func (r *fakeRemote) fetch(ctx context.Context, ids []git.OID, again bool, progress func(git.FetchProgress)) error {
	r.mu.Lock()
	silent := r.silent
	r.mu.Unlock()
	if silent {
		<-ctx.Done()
		return ctx.Err()
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.requests = append(r.requests, slices.Clone(ids))
	r.again = append(r.again, again)
	if r.failWith != nil {
		return r.failWith
	}
	if r.down || r.failFirst > 0 {
		r.failFirst--
		return errors.New("connection reset")
	}
	for _, id := range ids {
		if r.refuse[id] {
			return fmt.Errorf("not our ref %s", id)
		}
	}
	for _, id := range ids {
		r.got[id]++
	}
	progress(git.FetchProgress{Objects: len(ids), Bytes: int64(10 * len(ids))})
	return nil
}

func (r *fakeRemote) probe(context.Context) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.probes++
	if r.down || r.silent {
		return errors.New("connection refused")
	}
	return nil
}

func runFetcher(t *testing.T, r *fakeRemote, jobs int, batches ...batch) (*fetcher, error) {
	t.Helper()
	if r.got == nil {
		r.got = map[git.OID]int{}
	}
	f := &fetcher{fetch: r.fetch, probe: r.probe, remote: "origin", retries: 3,
		backoff: time.Millisecond, silence: 20 * time.Millisecond, counters: &Counters{}}
	f.start(context.Background(), jobs)
	for _, b := range batches {
		if err := f.submit(b); err != nil {
			return f, err
		}
	}
	return f, f.wait()
}

func batchOf(seq int, n int) batch {
	b := batch{seq: seq}
	for i := 0; i < n; i++ {
		b.ids = append(b.ids, git.OID(fmt.Sprintf("b%d-%d", seq, i)))
		b.paths = append(b.paths, fmt.Sprintf("p%d/%d", seq, i/2))
	}
	return b
}

func TestFetcherBisectsToTheRefusedObjects(t *testing.T) {
	r := &fakeRemote{refuse: map[git.OID]bool{"b1-5": true, "b2-0": true}}
	f, err := runFetcher(t, r, 2, batchOf(1, 16), batchOf(2, 3), batchOf(3, 4))
	if err != nil {
		t.Fatal(err)
	}
	var failed []string
	for _, x := range f.failed {
		failed = append(failed, string(x.ID)+" "+x.Path)
	}
	slices.Sort(failed)
	if want := []string{"b1-5 p1/2", "b2-0 p2/0"}; !slices.Equal(failed, want) {
		t.Fatalf("failed = %v, want %v", failed, want)
	}
	// Every other object arrived, exactly once.
	if len(r.got) != 16+3+4-2 || f.fetched != len(r.got) || f.counters.Fetched.Load() != int64(len(r.got)) {
		t.Fatalf("got %d objects, fetched %d", len(r.got), f.fetched)
	}
	for id, n := range r.got {
		if n != 1 {
			t.Errorf("%s fetched %d times", id, n)
		}
	}
	if f.counters.Bytes.Load() != int64(10*len(r.got)) {
		t.Errorf("bytes = %d, want %d", f.counters.Bytes.Load(), 10*len(r.got))
	}
}

func TestFetcherRetriesTransientFailures(t *testing.T) {
	r := &fakeRemote{failFirst: 2}
	f, err := runFetcher(t, r, 1, batchOf(1, 4))
	if err != nil || len(f.failed) != 0 || len(r.got) != 4 {
		t.Fatalf("err=%v failed=%v got=%d", err, f.failed, len(r.got))
	}
	if len(r.requests) != 3 || f.requests != 3 {
		t.Fatalf("%d requests, want 3 (two failures, one success)", len(r.requests))
	}
	// Only the first asks for what is surely missing; a retry may find
	// some of it landed (fetch's again).
	if want := []bool{false, true, true}; !slices.Equal(r.again, want) {
		t.Errorf("again = %v, want %v", r.again, want)
	}
}

// The halves of a refused request are asked for again too.
func TestFetcherBisectionAsksAgain(t *testing.T) {
	r := &fakeRemote{refuse: map[git.OID]bool{"b1-1": true}}
	if _, err := runFetcher(t, r, 1, batchOf(1, 2)); err != nil {
		t.Fatal(err)
	}
	// The batch's three attempts, then its two halves.
	if want := []bool{false, true, true, true, true}; !slices.Equal(r.again, want) {
		t.Errorf("again = %v, want %v", r.again, want)
	}
}

func TestFetcherUnreachableRemoteIsFatal(t *testing.T) {
	r := &fakeRemote{down: true}
	f, err := runFetcher(t, r, 2, batchOf(1, 4))
	if err == nil || len(f.failed) != 0 {
		t.Fatalf("err=%v failed=%v: want a fatal error and no per-object failures", err, f.failed)
	}
	if len(r.requests) != 3 {
		t.Fatalf("%d requests: want the batch's 3 attempts and no bisection", len(r.requests))
	}
	// The walk's next submission is refused: the run is over.
	if f.submit(batchOf(2, 1)) == nil {
		t.Fatal("submit after a fatal error must fail")
	}
}

func TestFetcherSilentRemoteIsUnreachableAtOnce(t *testing.T) {
	r := &fakeRemote{silent: true}
	start := time.Now()
	f, err := runFetcher(t, r, 1, batchOf(1, 4), batchOf(2, 4))
	var unreachable *unreachableError
	if !errors.As(err, &unreachable) || len(f.failed) != 0 {
		t.Fatalf("err=%v failed=%v: want unreachable", err, f.failed)
	}
	if f.requests != 1 {
		t.Fatalf("%d requests: a silent remote must not be retried", f.requests)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("took %v", d)
	}
}
