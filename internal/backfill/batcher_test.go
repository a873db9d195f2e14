package backfill

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func ids(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s%d", prefix, i)
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
			seen := map[string]bool{}
			b := &batcher{min: tc.min, max: tc.max, send: func(batch []string) error {
				sent = append(sent, len(batch))
				for _, id := range batch {
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

func TestBatcherPlanAndErrors(t *testing.T) {
	var plan bytes.Buffer
	b := &batcher{min: 3, plan: &plan, send: func([]string) error { return fmt.Errorf("boom") }}
	err := b.add("d/x.txt", ids("x", 3))
	if err == nil || !strings.Contains(err.Error(), "batch 1 (3 objects): boom") {
		t.Fatalf("error = %v", err)
	}
	if want := "batch 1: 3 blobs from 1 paths\n\t3\td/x.txt\n"; plan.String() != want {
		t.Fatalf("plan = %q, want %q", plan.String(), want)
	}
}

func repeat(v, n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = v
	}
	return out
}
