package backfill

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/sourcegraph/conc/pool"

	"github.com/git-backfill/git-backfill/internal/git"
	"github.com/git-backfill/git-backfill/internal/trace2"
)

// Failure is an object the remote would not send.
type Failure struct {
	ID   git.OID
	Path string
	Err  string // git's explanation, from the last attempt
}

// fetcher runs fetch requests on up to jobs goroutines while the walk goes
// on. A request that keeps failing is bisected, so that one object the
// server will not send costs only itself; the rest lands. A remote that
// does not answer at all stops everything: that is fatal, not partial.
type fetcher struct {
	// fetch downloads ids in one request, reporting progress. again says
	// that some of ids may have landed already (a retry, a half of a
	// failed request), as git.FetchOptions.Again.
	fetch func(ctx context.Context, ids []git.OID, again bool, progress func(git.FetchProgress)) error
	// probe tells whether the remote answers at all.
	probe func(ctx context.Context) error
	// waitingForUser, if set, tells when fetches wait for the user (a
	// password prompt), which no silence timer may count.
	waitingForUser func() bool
	remote         string
	retries        int           // attempts for a whole batch
	backoff        time.Duration // wait before the 2nd attempt; doubles after
	// silence is how long a fetch may go without any progress before the
	// remote is probed while it waits; 0 disables.
	silence  time.Duration
	counters *Counters
	trees    bool // fetching trees: not counted as blobs in counters

	ctx    context.Context
	cancel context.CancelFunc
	pool   *pool.ContextPool

	mu       sync.Mutex
	requests int // git fetch processes started
	fetched  int // objects that arrived
	failed   []Failure
}

func (f *fetcher) start(ctx context.Context, jobs int) {
	f.ctx, f.cancel = context.WithCancel(ctx)
	f.pool = pool.New().WithMaxGoroutines(max(jobs, 1)).WithContext(f.ctx).
		WithCancelOnError().WithFirstError()
}

// submit queues b; it blocks while every worker is busy, which keeps the
// walk from running far ahead of the downloads.
func (f *fetcher) submit(b batch) error {
	if err := f.ctx.Err(); err != nil {
		return err
	}
	f.pool.Go(func(ctx context.Context) error {
		err := f.fetchBatch(ctx, b)
		if err != nil {
			f.cancel() // stop the walk too
		}
		return err
	})
	return nil
}

// wait returns once every request is done, with the first fatal error.
func (f *fetcher) wait() error {
	err := f.pool.Wait()
	f.cancel()
	return err
}

// unreachableError is a remote that did not answer a probe: fatal.
type unreachableError struct {
	remote string
	err    error
}

func (e *unreachableError) Error() string {
	return fmt.Sprintf("cannot reach remote '%s': %v", e.remote, e.err)
}

func (e *unreachableError) Unwrap() error { return e.err }

func (f *fetcher) fetchBatch(ctx context.Context, b batch) error {
	if err := ctx.Err(); err != nil {
		return err // a fatal error elsewhere ended the run
	}
	err := f.attempts(ctx, b, f.retries, false)
	if err == nil {
		return nil
	}
	if err := f.fatal(ctx, err, true); err != nil {
		return err
	}
	return f.bisect(ctx, b, err)
}

// fatal returns the error that ends the run for a failed request, or nil
// when the failure is the server's refusal, which bisection isolates: a
// local failure at once; a network one, or a remote that does not answer
// a probe (when probe is set: bisection's requests do not probe again),
// after the retries.
func (f *fetcher) fatal(ctx context.Context, err error, probe bool) error {
	var unreachable *unreachableError
	if errors.As(err, &unreachable) {
		return unreachable
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	class := classify(err)
	switch class {
	case localFailure:
		return &localError{err}
	case authFailure:
		return &authError{f.remote, err}
	}
	if probe {
		if perr := f.probe(ctx); perr != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return &unreachableError{f.remote, perr}
		}
	}
	if class == networkFailure {
		return &networkError{f.remote, err}
	}
	return nil
}

// bisect fetches the halves of a failed request separately until the
// objects that fail are alone.
func (f *fetcher) bisect(ctx context.Context, b batch, lastErr error) error {
	if len(b.ids) == 1 {
		msg := lastErr.Error()
		var gerr *git.Error
		if errors.As(lastErr, &gerr) {
			msg = gerr.Message()
		}
		f.mu.Lock()
		f.failed = append(f.failed, Failure{ID: b.ids[0], Path: b.paths[0], Err: msg})
		f.mu.Unlock()
		return nil
	}
	left, right := b.split()
	for _, part := range []batch{left, right} {
		err := f.attempts(ctx, part, 1, true)
		if err == nil {
			continue
		}
		if ferr := f.fatal(ctx, err, false); ferr != nil {
			return ferr
		}
		if err := f.bisect(ctx, part, err); err != nil {
			return err
		}
	}
	return nil
}

// attempts runs up to n fetches of b, waiting longer after each failure.
// again: b was asked for before (see fetch).
func (f *fetcher) attempts(ctx context.Context, b batch, n int, again bool) error {
	var err error
	wait := f.backoff
	for i := 0; i < max(n, 1); i++ {
		if i > 0 {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(wait):
			}
			wait *= 2
		}
		if err = f.fetchOnce(ctx, b, again || i > 0); err == nil {
			return nil
		}
		var unreachable *unreachableError
		if errors.As(err, &unreachable) {
			return err // retrying a remote that does not answer only waits longer
		}
		if c := classify(err); c == localFailure || c == authFailure {
			return err // nor does retrying a full disk, or a refused password
		}
	}
	return err
}

// fetchOnce runs one request. If the fetch shows no sign of life for
// f.silence (a server that accepted the connection and went quiet, a
// firewall dropping packets), the remote is probed meanwhile, and a probe
// that fails ends the fetch as unreachable: seconds, not minutes of retries
// each waiting out the stall timeout.
func (f *fetcher) fetchOnce(ctx context.Context, b batch, again bool) error {
	f.mu.Lock()
	f.requests++
	f.mu.Unlock()
	// git's promisor remote tells each fetch it starts this way (and its
	// tests count them): one event per request, retries and halves
	// included, with the number of objects asked for.
	trace2.DataInt(ctx, "promisor", "fetch_count", int64(len(b.ids)))
	fctx, cancel := context.WithCancel(ctx)
	defer cancel()
	alive := make(chan struct{})
	var aliveOnce sync.Once
	probeErr := make(chan error, 1)
	go f.watchSilence(fctx, cancel, alive, probeErr)

	var reported int64
	var received int
	err := f.fetch(fctx, b.ids, again, func(p git.FetchProgress) {
		aliveOnce.Do(func() { close(alive) })
		received = max(received, p.Objects)
		if p.Bytes > reported {
			f.counters.Bytes.Add(p.Bytes - reported)
			reported = p.Bytes
		}
	})
	cancel()
	if perr := <-probeErr; perr != nil && ctx.Err() == nil {
		f.counters.Bytes.Add(-reported)
		return &unreachableError{f.remote, perr}
	}
	if err != nil {
		// What a failed attempt received is thrown away by git.
		f.counters.Bytes.Add(-reported)
		return fmt.Errorf("batch %d (%d objects): %w", b.seq, len(b.ids), err)
	}
	if received == 0 {
		received = len(b.ids)
	}
	if !f.trees {
		f.counters.Fetched.Add(int64(len(b.ids)))
		received = len(b.ids)
	}
	f.mu.Lock()
	// Blobs are counted as asked for; trees as received, since a tree
	// asked for with --filter=blob:none brings its subtrees along.
	f.fetched += received
	f.mu.Unlock()
	return nil
}

// watchSilence probes the remote if the fetch stays silent for f.silence,
// and cancels the fetch if the probe fails. It always sends one value on
// result (nil when no probe failed).
func (f *fetcher) watchSilence(ctx context.Context, cancel func(), alive <-chan struct{}, result chan<- error) {
	if f.silence <= 0 {
		result <- nil
		return
	}
	t := time.NewTimer(f.silence)
	defer t.Stop()
	for {
		select {
		case <-alive:
			result <- nil
			return
		case <-ctx.Done():
			result <- nil
			return
		case <-t.C:
		}
		// A fetch waiting for the user's password is silent, and so
		// would a probe be: the wait starts again after the answer.
		if f.waitingForUser == nil || !f.waitingForUser() {
			break
		}
		t.Reset(f.silence)
	}
	err := f.probe(ctx)
	if err != nil && ctx.Err() == nil {
		cancel()
		result <- err
		return
	}
	result <- nil
}

// FailuresMessage lists the objects that could not be fetched, one per
// line with its path and git's explanation.
func FailuresMessage(failed []Failure) string {
	var b strings.Builder
	noun := "objects"
	if len(failed) == 1 {
		noun = "object"
	}
	fmt.Fprintf(&b, "could not fetch %d %s; everything else was fetched:", len(failed), noun)
	// Paths come from the repository and explanations from the server:
	// neither may fake a line or send the terminal a sequence.
	for _, f := range failed {
		fmt.Fprintf(&b, "\n  %s %s (%s)", f.ID, git.QuotePath(f.Path), printable(f.Err))
	}
	return b.String()
}

// printable replaces control characters by "?".
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return '?'
		}
		return r
	}, s)
}
