package credential

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// maxMessage bounds what either side of the socket reads: a credential
// request is a few hundred bytes.
const maxMessage = 64 << 10

// requestTimeout bounds how long the Relay waits for a helper to send its
// request (the answer may wait for the user typing a password).
const requestTimeout = 10 * time.Second

// Git runs "git credential <op>" with the user's own configuration (never
// the relay's), input on its stdin; it returns git's stdout, or an error
// whose text is git's message.
type Git func(ctx context.Context, op string, input []byte) ([]byte, error)

// Relay serves the credential-relay helpers of one run.
type Relay struct {
	ctx    context.Context
	cancel context.CancelFunc
	git    Git
	dir    string
	socket string
	ln     net.Listener
	conns  sync.WaitGroup

	// ask is held while git asks the user: one question at a time, as git
	// itself never prompts twice at once on one terminal, and fetches
	// that need the same credential wait for that one answer.
	ask    sync.Mutex
	asking atomic.Int32

	mu      sync.Mutex
	open    map[net.Conn]bool
	entries map[string]*entry // by the get request's target
	told    map[string]bool   // "store"/"erase" already passed on, by op and credential
}

// entry is what the run knows about one target's credential; the Relay's
// mu guards it.
type entry struct {
	asked    bool
	answer   attrs  // git credential fill's output
	failure  string // why asking failed: git's message
	rejected bool   // the server refused answer
}

// expiryMargin: a password that expires this soon is asked for again
// rather than handed to a fetch that would find it expired.
const expiryMargin = 30 * time.Second

// settled says whether e answers a get without asking: it was asked, and
// its answer is final (a failure, a refusal) or still good. An answer
// meant for one use (ephemeral, or one step of a multistage scheme) is
// never kept.
func (e *entry) settled(now time.Time) bool {
	if !e.asked || e.failure != "" || e.rejected {
		return e.asked
	}
	if e.answer.get("ephemeral") == "1" || e.answer.get("continue") == "1" {
		return false
	}
	if v := e.answer.get("password_expiry_utc"); v != "" {
		if t, err := strconv.ParseInt(v, 10, 64); err == nil && !now.Add(expiryMargin).Before(time.Unix(t, 0)) {
			return false
		}
	}
	return true
}

// Start listens on a socket in a new private directory under tmpDir
// (os.TempDir() when empty), first removing what runs that were killed
// left there. gitCmd runs the user's credential machinery; ctx bounds it,
// and so does Close.
func Start(ctx context.Context, tmpDir string, gitCmd Git) (*Relay, error) {
	if tmpDir == "" {
		tmpDir = os.TempDir()
	}
	sweepStale(tmpDir)
	dir, err := os.MkdirTemp(tmpDir, dirPattern)
	if err != nil {
		return nil, fmt.Errorf("credential relay: %w", err)
	}
	socket := filepath.Join(dir, "s")
	ln, err := net.Listen("unix", socket)
	if err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("credential relay: %w", err)
	}
	ctx, cancel := context.WithCancel(ctx)
	r := &Relay{ctx: ctx, cancel: cancel, git: gitCmd, dir: dir, socket: socket, ln: ln,
		open: map[net.Conn]bool{}, entries: map[string]*entry{}, told: map[string]bool{}}
	go r.serve()
	return r, nil
}

// Asking reports whether git is asking the user for a credential now: a
// fetch waiting for that answer is silent, and the silence is not the
// remote's.
func (r *Relay) Asking() bool { return r.asking.Load() > 0 }

// Options are the "-c" options that make a git process ask the relay, and
// only the relay: the empty value first clears every helper the user
// configured (they are asked once, by the relay, instead). exe is this
// program.
func (r *Relay) Options(exe string) []string {
	helper := "!" + shellQuote(exe) + " " + HelperCommand + " " + shellQuote(r.socket)
	return []string{"-c", "credential.helper=", "-c", "credential.helper=" + helper}
}

// Close stops serving, stops a question nobody will use the answer of
// (the run is over), ends the helpers still connected and removes the
// socket's directory.
func (r *Relay) Close() error {
	err := r.ln.Close()
	r.cancel()
	r.mu.Lock()
	for c := range r.open {
		c.Close()
	}
	r.mu.Unlock()
	r.conns.Wait()
	os.RemoveAll(r.dir)
	return err
}

func (r *Relay) serve() {
	for {
		c, err := r.ln.Accept()
		if err != nil {
			return
		}
		r.mu.Lock()
		r.open[c] = true
		r.mu.Unlock()
		r.conns.Add(1)
		go func() {
			defer r.conns.Done()
			defer func() {
				r.mu.Lock()
				delete(r.open, c)
				r.mu.Unlock()
				c.Close()
			}()
			r.handle(c)
		}()
	}
}

// request and reply travel between a helper and the Relay as JSON.
type request struct {
	Op    string `json:"op"`    // get, store or erase
	Input string `json:"input"` // what git gave the helper
}

type reply struct {
	Output string `json:"output"` // for the helper's stdout
	Stderr string `json:"stderr"` // for the helper's stderr
}

func (r *Relay) handle(c net.Conn) {
	c.SetReadDeadline(time.Now().Add(requestTimeout))
	var req request
	// The helper reads at most maxMessage of git's input; as JSON, with
	// escapes, that may take up to six times as much.
	if err := json.NewDecoder(io.LimitReader(c, 6*maxMessage)).Decode(&req); err != nil {
		return
	}
	c.SetReadDeadline(time.Time{})
	in := parseAttrs([]byte(req.Input))
	var rep reply
	switch req.Op {
	case "get":
		rep = r.get(in)
	case "store", "erase":
		r.tell(req.Op, in)
	}
	json.NewEncoder(c).Encode(rep)
}

// get answers a fetch's request: the credential asked for once, the
// failure of that asking, or, once the server refused it, "quit", so
// that no fetch asks the user again.
func (r *Relay) get(in attrs) reply {
	key := in.target()
	r.mu.Lock()
	e := r.entries[key]
	if e == nil {
		e = &entry{}
		r.entries[key] = e
	}
	settled := e.settled(time.Now())
	r.mu.Unlock()
	if !settled {
		r.ask.Lock()
		r.mu.Lock()
		settled = e.settled(time.Now())
		r.mu.Unlock()
		if !settled { // nobody asked while this fetch waited its turn
			r.asking.Add(1)
			out, err := r.git(r.ctx, "fill", in.without("password").bytes())
			r.asking.Add(-1)
			r.mu.Lock()
			*e = entry{asked: true}
			if err != nil {
				e.failure = err.Error()
			} else {
				e.answer = parseAttrs(out)
			}
			r.mu.Unlock()
		}
		r.ask.Unlock()
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	switch {
	case e.failure != "":
		return reply{Output: "quit=1\n", Stderr: "fatal: " + e.failure + "\n"}
	case e.rejected:
		return reply{Output: "quit=1\n", Stderr: "fatal: Authentication failed for '" + describe(in) + "'\n"}
	}
	return reply{Output: string(e.answer.bytes())}
}

// tell passes git's verdict on a credential ("store": the server took it;
// "erase": it refused it) on to the user's helpers once per credential,
// as git itself would have after its first request.
func (r *Relay) tell(op string, in attrs) {
	key := op + "\x00" + string(in.bytes())
	r.mu.Lock()
	if r.told[key] {
		r.mu.Unlock()
		return
	}
	r.told[key] = true
	if op == "erase" {
		for _, e := range r.entries {
			if e.answer != nil && sameCredential(e.answer, in) {
				e.rejected = true
			}
		}
	}
	r.mu.Unlock()
	gitOp := map[string]string{"store": "approve", "erase": "reject"}[op]
	// git ignores a helper's failure to store or erase; so do we.
	r.git(r.ctx, gitOp, in.bytes())
}

// sameCredential says whether a and b are the same user and password for
// the same place.
func sameCredential(a, b attrs) bool {
	for _, k := range []string{"protocol", "host", "path", "username", "password"} {
		if a.get(k) != b.get(k) {
			return false
		}
	}
	return true
}

// describe is the URL git names in its messages for a credential request.
func describe(in attrs) string {
	u := in.get("protocol") + "://" + in.get("host")
	if p := in.get("path"); p != "" {
		u += "/" + p
	}
	return u
}

// shellQuote quotes s for the shell git runs a "!" helper with.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
