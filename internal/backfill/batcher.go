package backfill

import (
	"fmt"
	"io"
)

// batcher groups per-path blob lists into fetch requests. A path's blobs
// stay in one request (the server deltas versions of a file against each
// other) unless they alone exceed max.
type batcher struct {
	min, max int
	send     func(ids []string) error
	plan     io.Writer // dry-run listing, or nil
	dryRun   bool

	cur      []string
	curPaths []pathCount
	paths    int
	objects  int
	batches  int
}

type pathCount struct {
	path string
	n    int
}

// add queues one path's blobs and sends the batch once it reaches min.
func (b *batcher) add(path string, ids []string) error {
	b.paths++
	for len(ids) > 0 {
		take := len(ids)
		if b.max > 0 {
			if len(b.cur) > 0 && len(b.cur)+take > b.max {
				if err := b.flush(); err != nil {
					return err
				}
			}
			take = min(take, b.max)
		}
		b.cur = append(b.cur, ids[:take]...)
		b.curPaths = append(b.curPaths, pathCount{path, take})
		ids = ids[take:]
		if len(b.cur) >= b.min || (b.max > 0 && len(b.cur) >= b.max) {
			if err := b.flush(); err != nil {
				return err
			}
		}
	}
	return nil
}

// flush sends whatever is queued as one request.
func (b *batcher) flush() error {
	if len(b.cur) == 0 {
		return nil
	}
	b.batches++
	if b.plan != nil {
		if err := b.writePlan(); err != nil {
			return err
		}
	}
	if err := b.send(b.cur); err != nil {
		return fmt.Errorf("batch %d (%d objects): %w", b.batches, len(b.cur), err)
	}
	b.objects += len(b.cur)
	// A fresh slice: the sent one may still be in use by the fetch.
	b.cur, b.curPaths = nil, b.curPaths[:0]
	return nil
}

func (b *batcher) writePlan() error {
	if _, err := fmt.Fprintf(b.plan, "batch %d: %d blobs from %d paths\n", b.batches, len(b.cur), len(b.curPaths)); err != nil {
		return err
	}
	for _, pc := range b.curPaths {
		if _, err := fmt.Fprintf(b.plan, "\t%d\t%s\n", pc.n, pc.path); err != nil {
			return err
		}
	}
	return nil
}
