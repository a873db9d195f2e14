package backfill

import "github.com/git-backfill/git-backfill/internal/git"

// batch is one fetch request's worth of objects, in walk order.
type batch struct {
	seq   int       // 1-based position in the walk
	ids   []git.OID // object ids
	paths []string  // paths[i] is the path ids[i] was first met at
}

// split returns the two halves of b, for bisecting a failing request.
func (b batch) split() (batch, batch) {
	h := len(b.ids) / 2
	return batch{b.seq, b.ids[:h], b.paths[:h]}, batch{b.seq, b.ids[h:], b.paths[h:]}
}

// pathRuns calls fn for each run of consecutive objects at the same path.
func (b batch) pathRuns(fn func(path string, n int)) {
	for i := 0; i < len(b.paths); {
		j := i + 1
		for j < len(b.paths) && b.paths[j] == b.paths[i] {
			j++
		}
		fn(b.paths[i], j-i)
		i = j
	}
}

// batcher groups per-path object lists into fetch requests. A path's
// objects stay in one request (the server deltas versions of a file
// against each other) unless they alone exceed max.
type batcher struct {
	min, max int
	send     func(batch) error

	cur     batch
	paths   int // paths seen
	objects int // objects sent
	batches int // batches sent
}

// add queues one path's objects and sends the batch once it reaches min.
func (b *batcher) add(path string, ids []git.OID) error {
	b.paths++
	for len(ids) > 0 {
		take := len(ids)
		if b.max > 0 {
			if len(b.cur.ids) > 0 && len(b.cur.ids)+take > b.max {
				if err := b.flush(); err != nil {
					return err
				}
			}
			take = min(take, b.max)
		}
		b.cur.ids = append(b.cur.ids, ids[:take]...)
		for range take {
			b.cur.paths = append(b.cur.paths, path)
		}
		ids = ids[take:]
		if len(b.cur.ids) >= b.min || (b.max > 0 && len(b.cur.ids) >= b.max) {
			if err := b.flush(); err != nil {
				return err
			}
		}
	}
	return nil
}

// flush sends whatever is queued as one request.
func (b *batcher) flush() error {
	if len(b.cur.ids) == 0 {
		return nil
	}
	b.batches++
	b.cur.seq = b.batches
	out := b.cur
	// A fresh batch: the sent one belongs to the fetch now.
	b.cur = batch{}
	b.objects += len(out.ids)
	return b.send(out)
}
