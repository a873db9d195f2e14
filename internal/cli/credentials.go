package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"sync"

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
		out, err := runner.OutputInput(ctx, bytes.NewReader(input), "credential", op)
		var gerr *git.Error
		if errors.As(err, &gerr) {
			return nil, errors.New(gerr.Message())
		}
		return out, err
	}
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
		return relay.Options(exe), nil
	})
	return runner.WithRemoteOptions(start)
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
