package git

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// FetchOptions tune one FetchObjects request.
type FetchOptions struct {
	// Filter is the partial-clone filter of the request: "blob:none" when
	// asking for blobs or for trees with all their subtrees, "tree:0" for
	// exactly the trees asked for; "" for none (a full clone, which must
	// not become a partial one).
	Filter string
	// Progress, if not nil, is called with each progress report of the
	// fetch (received objects and bytes so far). It runs on the goroutine
	// reading git's stderr and must be quick.
	Progress func(FetchProgress)
	// StallTimeout stops a fetch that reports no progress for this long
	// (a server that accepted the connection and went silent); 0 disables.
	// Once data flows, the wait shrinks to the transfer's own pace (see
	// stallWatch).
	StallTimeout time.Duration
	// Negotiate keeps git's have/want negotiation. Fetching blobs or trees
	// by id needs none (noop is used); fetching commits does, or the server
	// would send their whole history again.
	Negotiate bool
	// ObjectsDir is the repository's object directory, absolute. Given it,
	// a filtered fetch by id from a repository on this machine may run
	// "git fetch-pack" (see fetchRoute), which leaves removing the new
	// pack's .keep lock to us; without it, git fetch is used.
	ObjectsDir string
	// Again says that some of the ids may be here already (a retry after
	// a failure that came once the pack had landed). git fetch is used:
	// it asks only for what is missing, and nothing when nothing is;
	// fetch-pack would download it all again.
	Again bool
}

// FetchObjects downloads exactly the objects ids from remote in one request.
//
// The noop negotiation algorithm skips the have/want exchange: we ask for
// objects by id, so no common history needs to be found. The filter keeps
// the request a partial fetch (requesting a tree must not bring its
// blobs), and the result lands as one pack with a .promisor file, so the
// repository stays a consistent partial clone whatever happens later.
// --stdin takes the ids as refspecs; the server must allow fetching any
// reachable object by id, which partial-clone servers do.
// --no-auto-maintenance: each fetch would otherwise start "git maintenance
// run --auto"; RunAutoMaintenance does it once after the last batch.
// --progress makes git report progress on stderr even when it is not a
// terminal; we parse it and show our own instead of git's.
//
// The ids go to git sorted: fetch-pack files each requested name into a
// sorted list, moving the tail up for every out-of-order insert, which is
// quadratic in the batch size (about 1% of a 50,000-id fetch's CPU, more on
// wide histories). Sorted input only appends. The set, and so the request,
// stays the same.
//
// From a repository on this machine, "git fetch-pack" may make the same
// request without git fetch's cost per id (see fetchRoute and
// fetchPackArgs).
func (r *Runner) FetchObjects(ctx context.Context, remote string, ids []OID, opts FetchOptions) error {
	ids = sortedUnique(ids)
	route := fetchRoute{}
	if opts.Filter != "" && !opts.Negotiate && !opts.Again && opts.ObjectsDir != "" {
		route = r.fetchRoute(ctx, remote)
	}
	viaPack := route.direct && fetchPackPays(len(ids), route.refs)
	var args, full []string
	if viaPack {
		args = fetchPackArgs(route, opts.Filter)
		full = args // a local repository asks for no credentials
	} else {
		args = fetchArgs(remote, opts)
		var err error
		if full, err = r.remoteArgs(args); err != nil {
			return err
		}
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	watch := newStallWatch(opts.StallTimeout, cancel, r.WaitingForUser)
	defer watch.stop()
	stderr := newFetchStderr(func(p FetchProgress) {
		watch.poke(p)
		if opts.Progress != nil {
			opts.Progress(p)
		}
	})
	p, err := r.startPiped(ctx, args, full, newLinesReader(ids), nil, stderr)
	if err != nil {
		return err
	}
	var locks []string
	err = p.consume(func(out *bufio.Reader) error {
		var rerr error
		locks, rerr = readPackLocks(out) // git fetch prints nothing at all
		return rerr
	})
	if viaPack {
		removePackLocks(opts.ObjectsDir, locks, p.pid)
	}
	if err != nil && watch.fired() {
		return &Error{Args: args, ExitCode: -1, Stderr: "no progress for " + watch.waited().String() + "; the remote stopped responding", Err: context.DeadlineExceeded}
	}
	return err
}

// fetchArgs is the git fetch command for FetchObjects.
func fetchArgs(remote string, opts FetchOptions) []string {
	negotiation := "fetch.negotiationAlgorithm=noop"
	if opts.Negotiate {
		negotiation = "fetch.negotiationAlgorithm=skipping"
	}
	args := []string{"-c", negotiation, "fetch", remote,
		"--no-tags", "--no-write-fetch-head", "--recurse-submodules=no",
		"--no-auto-maintenance", "--progress", "--stdin"}
	if opts.Filter != "" {
		args = append(args, "--filter="+opts.Filter)
	}
	return args
}

// fetchStderr reads git fetch's stderr as git writes it: progress reports
// go to fn, and the other lines are kept (their last 64 KiB), to explain
// a failure. git redraws progress lines with a carriage return, so "\r"
// ends a line as "\n" does.
type fetchStderr struct {
	fn       func(FetchProgress)
	mu       sync.Mutex
	partial  []byte
	messages tailBuffer
}

func newFetchStderr(fn func(FetchProgress)) *fetchStderr {
	return &fetchStderr{fn: fn, messages: tailBuffer{max: 64 << 10}}
}

func (s *fetchStderr) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.partial = append(s.partial, p...)
	for {
		i := bytes.IndexAny(s.partial, "\r\n")
		if i < 0 {
			break
		}
		s.line(string(s.partial[:i]))
		s.partial = s.partial[i+1:]
	}
	return len(p), nil
}

func (s *fetchStderr) line(line string) {
	if p, ok := ParseFetchProgress(line); ok {
		s.fn(p)
		return
	}
	if isProgressChatter(line) {
		s.fn(FetchProgress{Sending: isServerSending(line)})
		return
	}
	if line != "" {
		_, _ = s.messages.Write([]byte(line + "\n"))
	}
}

// Bytes returns the lines that were not progress, once git has exited.
func (s *fetchStderr) Bytes() []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.partial) > 0 {
		s.line(string(s.partial))
		s.partial = nil
	}
	return s.messages.Bytes()
}

// stallWatch cancels a fetch that has not reported progress for a while.
// The whole StallTimeout applies until the pack is on its way (a server may
// think a long time before it sends anything) and again once it has all
// arrived (resolving deltas and writing the index of a large pack can be
// long and quiet). In between, while the pack crosses the network, git
// reports at least once a second as bytes arrive, so the window follows the
// transfer's own pace: stallFactor times the longest gap between reports
// so far, but at least stallFloor. A server that stops sending half-way is
// given up in seconds, not minutes.
type stallWatch struct {
	mu      sync.Mutex
	timer   *time.Timer
	max     time.Duration
	floor   time.Duration
	last    time.Time
	gap     time.Duration // longest gap between reports since data flowed
	flowing bool          // the pack is on its way
	arrived bool          // and has all arrived
	window  time.Duration // the wait in force
	fire    bool
}

const (
	stallFactor = 10
	stallFloor  = 10 * time.Second
)

func newStallWatch(d time.Duration, cancel func(), waitingForUser func() bool) *stallWatch {
	w := &stallWatch{max: d, floor: min(stallFloor, d), window: d, last: time.Now()}
	if d > 0 {
		// The callback re-arms w.timer: it may read it only once set.
		w.mu.Lock()
		defer w.mu.Unlock()
		w.timer = time.AfterFunc(d, func() {
			w.mu.Lock()
			if waitingForUser() {
				// A fetch waiting for a password says nothing: the
				// window starts again once the user has answered.
				w.last = time.Now()
				w.timer.Reset(w.window)
				w.mu.Unlock()
				return
			}
			w.fire = true
			w.mu.Unlock()
			cancel()
		})
	}
	return w
}

func (w *stallWatch) poke(p FetchProgress) {
	if w.timer == nil {
		return
	}
	w.mu.Lock()
	now := time.Now()
	if w.flowing {
		w.gap = max(w.gap, now.Sub(w.last))
	}
	w.flowing = w.flowing || p.Sending || p.Objects > 0 || p.Bytes > 0
	w.arrived = w.arrived || p.Received
	w.last = now
	switch {
	case w.arrived:
		w.window = w.max
	case w.flowing:
		w.window = min(w.max, max(w.floor, stallFactor*w.gap))
	}
	d := w.window
	w.mu.Unlock()
	w.timer.Reset(d)
}

// waited is the window that expired.
func (w *stallWatch) waited() time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.window
}

func (w *stallWatch) stop() {
	if w.timer != nil {
		w.timer.Stop()
	}
}

func (w *stallWatch) fired() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.fire
}

// AutoMaintenance is what git does after a command that wrote objects:
// whether it runs "git maintenance run --auto", and whether that detaches
// and goes on in the background.
type AutoMaintenance struct {
	Enabled, Detach bool
}

// AutoMaintenancePolicy reads cfg as git does: maintenance.auto, else
// gc.auto > 0, says whether to run it; maintenance.autoDetach, else
// gc.autoDetach, whether it detaches (by default it does).
func AutoMaintenancePolicy(cfg Config) (AutoMaintenance, error) {
	m := AutoMaintenance{Enabled: true, Detach: true}
	var err error
	if _, ok := cfg.Get("maintenance.auto"); ok {
		m.Enabled, err = cfg.Bool("maintenance.auto", true)
	} else if e, ok := cfg.Get("gc.auto"); ok {
		n, ok := configInt(e.Value)
		if !ok {
			return m, fmt.Errorf("bad numeric value %q for gc.auto (%s)", e.Value, e.Origin)
		}
		m.Enabled = n > 0
	}
	if err != nil {
		return m, err
	}
	key := "gc.autodetach"
	if _, ok := cfg.Get("maintenance.autodetach"); ok {
		key = "maintenance.autodetach"
	}
	m.Detach, err = cfg.Bool(key, true)
	return m, err
}

// configInt parses an integer as git's config does: an optional k, m or g
// suffix multiplies it by 1024, 1024² or 1024³.
func configInt(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	mult := int64(1)
	if s != "" {
		switch s[len(s)-1] {
		case 'k', 'K':
			mult = 1 << 10
		case 'm', 'M':
			mult = 1 << 20
		case 'g', 'G':
			mult = 1 << 30
		}
		if mult > 1 {
			s = s[:len(s)-1]
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n * mult, err == nil
}

// RunAutoMaintenance runs the housekeeping each fetch would have started on
// its own (we turned that off so it runs once, not once per batch), as
// fetch runs it: detached when m says so, which git 2.47 and later can do
// ("maintenance run --detach"); older git refuses the option and runs in
// the foreground, where its gc detaches itself when it has work to do.
func (r *Runner) RunAutoMaintenance(ctx context.Context, m AutoMaintenance) error {
	if !m.Enabled {
		return nil
	}
	args := []string{"maintenance", "run", "--auto", "--quiet"}
	if m.Detach {
		_, err := r.Output(ctx, append(args, "--detach")...)
		var gerr *Error
		if !errors.As(err, &gerr) || gerr.ExitCode != 129 {
			return err
		}
	}
	_, err := r.Output(ctx, args...)
	return err
}

// ProbeRemote checks that remote answers at all, within timeout: it lists
// the remote's HEAD. A fetch that keeps failing is bisected only if the
// remote is reachable; otherwise every object would "fail" one by one.
func (r *Runner) ProbeRemote(ctx context.Context, remote string, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	name := []string{"ls-remote", remote, "HEAD"}
	args, err := r.remoteArgs(name)
	if err != nil {
		return err
	}
	p, err := r.startPiped(ctx, name, args, emptyIfNil(nil), nil, nil)
	if err == nil {
		err = p.consume(func(br *bufio.Reader) error {
			_, err := io.Copy(io.Discard, br)
			return err
		})
	}
	if err != nil && ctx.Err() == context.DeadlineExceeded {
		return &Error{Args: []string{"ls-remote"}, ExitCode: -1,
			Stderr: "no answer from remote '" + remote + "' within " + timeout.String(), Err: ctx.Err()}
	}
	return err
}

// sortedUnique returns a sorted copy of ids without repeats; ids is left as
// it is (callers keep their order to report and bisect).
func sortedUnique(ids []OID) []OID {
	out := slices.Clone(ids)
	slices.Sort(out)
	return slices.Compact(out)
}
