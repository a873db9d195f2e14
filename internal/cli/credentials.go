package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/git-backfill/git-backfill/internal/credential"
	"github.com/git-backfill/git-backfill/internal/git"
	"github.com/git-backfill/git-backfill/internal/progress"
)

// withCredentialRelay returns runner with its fetches sending credential
// requests to one relay for the whole run, started by the first fetch (a
// run that never reaches a remote starts nothing). The user's own
// credential machinery is asked through runner itself, which has no
// relay.
func (c *command) withCredentialRelay(ctx context.Context, runner *git.Runner) *git.Runner {
	ask := func(ctx context.Context, op string, input []byte) ([]byte, error) {
		if op == "fill" {
			// git may prompt on the terminal: no progress line over it.
			defer progress.Hold()()
		}
		// What the user's helpers print goes to the user (a device code
		// to enter, a browser to open), except git's own fatal line,
		// which the run's error repeats.
		shown := &helperMessages{w: c.stderr}
		defer shown.flush()
		out, err := runner.OutputShowingStderr(ctx, bytes.NewReader(input), shown, "credential", op)
		var gerr *git.Error
		if errors.As(err, &gerr) {
			return nil, errors.New(gerr.Message())
		}
		return out, err
	}
	var started atomic.Pointer[credential.Relay]
	start := sync.OnceValues(func() ([]string, error) {
		exe, err := os.Executable()
		var relay *credential.Relay
		if err == nil {
			relay, err = credential.Start(ctx, "", ask)
		}
		if err != nil {
			// Not worth failing a run that may need no credential at all:
			// without the relay, each fetch asks by itself, as in git.
			fmt.Fprintf(c.stderr, "warning: each fetch will ask for credentials by itself: %v\n", err)
			return nil, nil
		}
		c.closeMu.Lock()
		c.closers = append(c.closers, relay.Close)
		c.closeMu.Unlock()
		started.Store(relay)
		return relay.Options(exe), nil
	})
	waiting := func() bool {
		r := started.Load()
		return r != nil && r.Asking()
	}
	return runner.WithRemoteOptions(start, waiting)
}

// credentialRelay is the hidden "credential-relay <socket> <op>"
// subcommand, which git runs as the fetches' credential helper.
func (c *command) credentialRelay(args []string) error {
	if len(args) != 2 {
		return usagef("usage: git-backfill %s <socket> <get|store|erase>", credential.HelperCommand)
	}
	switch args[1] {
	case "get", "store", "erase":
		return credential.RunHelper(args[0], args[1], c.stdin, c.stdout, c.stderr)
	}
	return nil // an operation from a later git: helpers ignore what they do not know
}

// close ends what the run started on demand.
func (c *command) close() {
	c.closeMu.Lock()
	defer c.closeMu.Unlock()
	for _, f := range c.closers {
		f()
	}
	c.closers = nil
}

// helperMessages passes what "git credential" prints on to w line by line,
// without git's "fatal:" lines: the run's own error gives that reason.
type helperMessages struct {
	w       io.Writer
	partial []byte
}

func (h *helperMessages) Write(p []byte) (int, error) {
	h.partial = append(h.partial, p...)
	for {
		i := bytes.IndexByte(h.partial, '\n')
		if i < 0 {
			return len(p), nil
		}
		h.line(string(h.partial[:i+1]))
		h.partial = h.partial[i+1:]
	}
}

func (h *helperMessages) line(s string) {
	if !strings.HasPrefix(s, "fatal: ") {
		io.WriteString(h.w, s)
	}
}

func (h *helperMessages) flush() {
	if len(h.partial) > 0 {
		h.line(string(h.partial) + "\n")
		h.partial = nil
	}
}
