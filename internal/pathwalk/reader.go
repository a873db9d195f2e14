package pathwalk

import (
	"container/heap"
	"context"
	"encoding/hex"
	"fmt"
	"sync"
	"sync/atomic"
)

// Reader reads trees for a walk with up to a given number of Streams at
// once (git/git's history holds 2.5 GB of tree versions: one cat-file
// process and one parser keep only one core busy). Requests are served in
// the order the depth-first walk will need them, not the order they were
// made, so the walk can ask for its next directories ahead of time and
// still get the one it waits for first. A Reader is safe for concurrent
// use; Close it when done.
type Reader struct {
	ctx     context.Context
	cancel  context.CancelFunc
	open    OpenStream
	idLen   int
	workers int

	mu      sync.Mutex
	wake    *sync.Cond
	queue   chunkQueue
	queued  int // trees in queue
	started int // workers started
	closed  bool
	err     error
	failed  chan struct{} // closed with err set
	wg      sync.WaitGroup

	budget atomic.Int64 // trees the walk may still read ahead
	trees  atomic.Int64 // trees read, for progress
}

// chunkTrees is how many tree versions of one directory go into one
// request: enough that a worker is busy for a while, few enough that a
// directory with many versions is spread over all workers.
const chunkTrees = 256

// readAhead bounds the trees read ahead of the walk whose digests wait in
// memory to be merged.
const readAhead = 1 << 15

// moreWorkersAt is the number of queued trees that makes another worker
// worth its process: a small repository never starts a second one.
const moreWorkersAt = 2 * chunkTrees

// NewReader returns a Reader that opens up to workers streams, the first
// when the first trees are asked for. idLen is the binary object id length.
func NewReader(ctx context.Context, open OpenStream, workers, idLen int) *Reader {
	ctx, cancel := context.WithCancel(ctx)
	r := &Reader{ctx: ctx, cancel: cancel, open: open, idLen: idLen, workers: max(workers, 1),
		failed: make(chan struct{})}
	r.wake = sync.NewCond(&r.mu)
	r.budget.Store(readAhead)
	context.AfterFunc(ctx, func() {
		r.mu.Lock()
		r.wake.Broadcast()
		r.mu.Unlock()
	})
	return r
}

// Start opens the first stream now rather than at the first request, so
// that starting its process overlaps with whatever the caller does before
// asking for trees (the revision walk).
func (r *Reader) Start() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.started == 0 && !r.closed && r.err == nil {
		r.started++
		r.wg.Add(1)
		go r.work()
	}
}

// TreesRead is how many trees have been read so far.
func (r *Reader) TreesRead() int64 { return r.trees.Load() }

// chunk is one request: some versions of one directory.
type chunk struct {
	key       string // the directory's place in the walk: see dirKey
	seq       int    // the chunk's place within the directory
	ids       [][]byte
	ahead     bool // counted against the read-ahead budget
	cancelled atomic.Bool
	done      chan struct{}
	dg        digest
	err       error
}

// request queues the trees ids of the directory with key for reading, in
// chunks numbered from seq, and returns the chunks in order.
func (r *Reader) request(key string, seq int, ids [][]byte, ahead bool) []*chunk {
	var chunks []*chunk
	for i := 0; i < len(ids); i += chunkTrees {
		c := &chunk{key: key, seq: seq + len(chunks), ids: ids[i:min(i+chunkTrees, len(ids))], ahead: ahead,
			done: make(chan struct{})}
		chunks = append(chunks, c)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.err != nil || r.closed {
		for _, c := range chunks {
			c.err = r.errLocked()
			close(c.done)
		}
		return chunks
	}
	for _, c := range chunks {
		heap.Push(&r.queue, c)
		r.queued += len(c.ids)
	}
	for r.started < r.workers && (r.started == 0 || r.queued >= moreWorkersAt) {
		r.started++
		r.wg.Add(1)
		go r.work()
	}
	r.wake.Broadcast()
	return chunks
}

func (r *Reader) errLocked() error {
	if r.err != nil {
		return r.err
	}
	return fmt.Errorf("pathwalk: tree reader closed")
}

// wait blocks until c is read, or the reader or its context fails.
func (r *Reader) wait(c *chunk) error {
	select {
	case <-c.done:
		return c.err
	case <-r.failed:
		return r.err
	case <-r.ctx.Done():
		return r.ctx.Err()
	}
}

// release gives a merged or abandoned chunk's read-ahead back.
func (r *Reader) release(c *chunk) {
	if c.ahead {
		c.ahead = false
		r.budget.Add(int64(len(c.ids)))
	}
}

// fail stops every worker; the first error is the one reported.
func (r *Reader) fail(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.err == nil {
		r.err = err
		close(r.failed)
		r.cancel()
		r.wake.Broadcast()
	}
}

// next pops the chunk the walk needs first, or nil when the reader stops.
func (r *Reader) next() *chunk {
	r.mu.Lock()
	defer r.mu.Unlock()
	for {
		if r.err != nil || r.closed || r.ctx.Err() != nil {
			return nil
		}
		for r.queue.Len() > 0 {
			c := heap.Pop(&r.queue).(*chunk)
			r.queued -= len(c.ids)
			if !c.cancelled.Load() {
				return c
			}
			close(c.done)
		}
		r.wake.Wait()
	}
}

// work runs one stream: this goroutine sends requests, another parses the
// replies, so git is never idle waiting for our parser and vice versa.
func (r *Reader) work() {
	defer r.wg.Done()
	s, err := r.open(r.ctx)
	if err != nil {
		r.fail(err)
		return
	}
	inflight := make(chan *chunk, 2)
	received := make(chan struct{})
	go func() {
		defer close(received)
		r.receive(s, inflight)
	}()
	for c := r.next(); c != nil; c = r.next() {
		// Queued before sending: the receiver must read replies while we
		// write, or git blocks on a full pipe and so do we.
		inflight <- c
		if err := r.send(s, c); err != nil {
			r.fail(err)
			break
		}
	}
	close(inflight)
	// After a failure the reader's context is cancelled, which stops the
	// stream's process, so the receiver cannot wait for replies forever.
	<-received
	if err := s.Close(); err != nil && r.ctx.Err() == nil {
		r.fail(err)
	}
}

func (r *Reader) send(s Stream, c *chunk) error {
	for _, id := range c.ids {
		if err := s.Send(id); err != nil {
			return err
		}
	}
	return s.Flush()
}

// receive parses replies into each chunk's digest. After a failure it
// only fails the chunks still in flight.
func (r *Reader) receive(s Stream, inflight <-chan *chunk) {
	g := newDigester(r.idLen)
	broken := false
	for c := range inflight {
		if !broken {
			c.err = r.digestChunk(s, g, c)
			if c.err != nil {
				broken = true
				r.fail(c.err)
			}
		} else {
			c.err = r.errLocked()
		}
		close(c.done)
	}
}

func (r *Reader) digestChunk(s Stream, g *digester, c *chunk) error {
	g.reset()
	for _, id := range c.ids {
		data, err := s.Receive(id)
		if err != nil {
			return err
		}
		if err := g.add(&c.dg, data); err != nil {
			return fmt.Errorf("tree %s: %w", hex.EncodeToString(id), err)
		}
		r.trees.Add(1)
	}
	return nil
}

// Close stops the workers and their streams and reports the first failure.
func (r *Reader) Close() error {
	r.mu.Lock()
	r.closed = true
	r.wake.Broadcast()
	r.mu.Unlock()
	r.wg.Wait()
	r.cancel()
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.err
}

// chunkQueue orders chunks by their directory's place in a depth-first
// walk, then by their place in the directory.
type chunkQueue []*chunk

func (q chunkQueue) Len() int { return len(q) }
func (q chunkQueue) Less(i, j int) bool {
	if q[i].key != q[j].key {
		return q[i].key < q[j].key
	}
	return q[i].seq < q[j].seq
}
func (q chunkQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *chunkQueue) Push(x any)   { *q = append(*q, x.(*chunk)) }
func (q *chunkQueue) Pop() any {
	old := *q
	c := old[len(old)-1]
	old[len(old)-1] = nil
	*q = old[:len(old)-1]
	return c
}
