package backfill

import (
	"bytes"
	"fmt"
	"github.com/git-backfill/git-backfill/internal/git"
	"reflect"
	"testing"
)

func ids(prefix string, n int) []git.OID {
	out := make([]git.OID, n)
	for i := range out {
		out[i] = git.OID(fmt.Sprintf("%s%d", prefix, i))
	}
	return out
}

func TestBatcher(t *testing.T) {
	for _, tc := range []struct {
		name     string
		min, max int
		paths    []int // blobs per path, in walk order
		want     []int // objects per request
	}{
		{"one batch", 50000, 0, []int{2, 2, 2}, []int{6}},
		// git's t5620: 24 paths of 2 blobs with a minimum of 20.
		{"minimum", 20, 0, repeat(2, 24), []int{20, 20, 8}},
		// A minimum is not a maximum: a path is never split.
		{"path not split", 3, 0, []int{2, 5, 1}, []int{7, 1}},
		{"maximum splits a path", 10, 4, []int{9, 1}, []int{4, 4, 2}},
		{"maximum flushes first", 100, 5, []int{3, 3}, []int{3, 3}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var sent []int
			seen := map[git.OID]bool{}
			b := &batcher{min: tc.min, max: tc.max, send: func(bt batch) error {
				sent = append(sent, len(bt.ids))
				if len(bt.paths) != len(bt.ids) || bt.seq != len(sent) {
					t.Fatalf("batch %d: %d ids, %d paths", bt.seq, len(bt.ids), len(bt.paths))
				}
				for _, id := range bt.ids {
					if seen[id] {
						t.Fatalf("object %s sent twice", id)
					}
					seen[id] = true
				}
				return nil
			}}
			total := 0
			for i, n := range tc.paths {
				if err := b.add(fmt.Sprintf("p%d", i), ids(fmt.Sprintf("p%d-", i), n)); err != nil {
					t.Fatal(err)
				}
				total += n
			}
			if err := b.flush(); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(sent, tc.want) {
				t.Fatalf("requests %v, want %v", sent, tc.want)
			}
			if b.objects != total || len(seen) != total || b.batches != len(tc.want) || b.paths != len(tc.paths) {
				t.Fatalf("counted objects=%d batches=%d paths=%d, sent %d distinct", b.objects, b.batches, b.paths, len(seen))
			}
		})
	}
}

func TestPlanAndSplit(t *testing.T) {
	bt := batch{seq: 2, ids: []git.OID{"a", "b", "c", "d"}, paths: []string{"x", "x", "d/y", "z"}}
	var plan bytes.Buffer
	if err := writePlan(&plan, "blobs", bt); err != nil {
		t.Fatal(err)
	}
	if want := "batch 2: 4 blobs from 3 paths\n\t2\tx\n\t1\td/y\n\t1\tz\n"; plan.String() != want {
		t.Fatalf("plan = %q, want %q", plan.String(), want)
	}
	l, r := bt.split()
	if !reflect.DeepEqual(l.ids, []git.OID{"a", "b"}) || !reflect.DeepEqual(r.paths, []string{"d/y", "z"}) || l.seq != 2 {
		t.Fatalf("split = %+v %+v", l, r)
	}
}

func TestBatcherStopsOnSendError(t *testing.T) {
	b := &batcher{min: 3, send: func(batch) error { return fmt.Errorf("boom") }}
	if err := b.add("d/x.txt", ids("x", 3)); err == nil || err.Error() != "boom" {
		t.Fatalf("error = %v", err)
	}
}

func repeat(v, n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = v
	}
	return out
}
