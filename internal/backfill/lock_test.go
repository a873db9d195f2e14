package backfill

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/git-backfill/git-backfill/exporters/flock"
	"github.com/git-backfill/git-backfill/internal/git"
)

// While another backfill of the repository runs, a second one waits and
// says so; then it finds everything already fetched.
func TestRunWaitsForAnotherBackfill(t *testing.T) {
	r, clone := blobless(t, "sha1", 6)
	b := newBackfiller(t, r, clone)
	held, err := flock.Lock(context.Background(), filepath.Join(filepath.Dir(b.Repo.ObjectsDir), lockName), time.Second, nil)
	if err != nil {
		t.Fatal(err)
	}
	waiting := make(chan struct{})
	done := make(chan error, 1)
	var st Stats
	go func() {
		req := request(1)
		req.Waiting = func() { close(waiting) }
		var err error
		st, err = b.Run(context.Background(), req)
		done <- err
	}()
	select {
	case <-waiting:
	case err := <-done:
		t.Fatalf("ran while another backfill held the repository: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("no word of waiting within 10s")
	}
	// The other backfill fetches everything meanwhile.
	var missing []git.OID
	for _, line := range strings.Fields(r.Must("-C", clone, "rev-list", "--objects", "--missing=print", "HEAD")) {
		if id, ok := strings.CutPrefix(line, "?"); ok {
			missing = append(missing, git.OID(id))
		}
	}
	req := request(1)
	failed, _, err := b.FetchIDs(context.Background(), IDsRequest{Remote: "origin", IDs: missing, ChunkSize: 1000, Jobs: 1,
		Retries: 1, Filter: "blob:none", StallTimeout: req.StallTimeout, ProbeTimeout: req.ProbeTimeout})
	if err != nil || len(failed) > 0 || len(missing) == 0 {
		t.Fatalf("the other backfill: %d missing, %v, %v", len(missing), failed, err)
	}
	other := len(missing)
	held.Close()
	select {
	case err := <-done:
		if err != nil || st.Missing != 0 || st.Requests != 0 {
			t.Fatalf("after waiting: %+v, %v; want nothing left to fetch (the other fetched %d)", st, err, other)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("still waiting 30s after the lock was released")
	}
}

// A wait ends with the run's context.
func TestRunWaitEndsWithContext(t *testing.T) {
	r, clone := blobless(t, "sha1", 2)
	b := newBackfiller(t, r, clone)
	held, err := flock.Lock(context.Background(), filepath.Join(filepath.Dir(b.Repo.ObjectsDir), lockName), time.Second, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, err := b.Run(ctx, request(1)); err == nil || time.Since(start) > 10*time.Second {
		t.Fatalf("err %v after %v: want the context's end, quickly", err, time.Since(start))
	}
}
