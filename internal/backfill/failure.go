package backfill

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/git-backfill/git-backfill/internal/git"
)

// failureClass says whose a failed fetch is, which decides what to do
// about it.
type failureClass int

const (
	// serverRefused: the server would not send some object. Bisecting
	// the request finds which, and the rest lands.
	serverRefused failureClass = iota
	// localFailure: this machine (a full disk, permissions, a broken
	// repository). Every other request would fail the same way: stop.
	localFailure
	// networkFailure: the connection (a reset, an early end, a stall).
	// Retried with backoff; bisecting would only multiply the waits.
	networkFailure
	// authFailure: no credential, or one the server refused. Every request
	// would fail the same way (and asking again is the user's call): stop.
	authFailure
)

// localSigns are the system errors git reports for this machine's side.
// "Permission denied (publickey)" is ssh refusing us: not local.
var localSigns = []string{
	"No space left on device", "Disk quota exceeded", "Read-only file system",
	"Input/output error", "Too many open files", "Cannot allocate memory",
	"Permission denied",
}

// networkSigns are what git says when the connection, not the server's
// answer, failed.
var networkSigns = []string{
	"early EOF", "the remote end hung up unexpectedly", "unexpected disconnect",
	"Connection reset", "Connection timed out", "Connection refused", "Broken pipe",
	"Could not resolve host", "Operation timed out", "transfer closed", "RPC failed",
	"the remote stopped responding", "Network is unreachable", "No route to host",
}

// authSigns are what git says when it has no credential to send, or the
// server refused the one it sent (see internal/credential for the relay's
// own words).
var authSigns = []string{
	"Authentication failed for", "could not read Username", "could not read Password",
	"terminal prompts disabled", "told us to quit", "credential relay",
	"HTTP code 407", "returned error: 407", // a proxy that wants credentials
}

// classify reads a failed fetch's error. Only git's own lines count for a
// local failure: a "remote:" line with "No space left" is the server's
// disk. Anything unknown is taken as a refusal, which bisection handles.
func classify(err error) failureClass {
	var gerr *git.Error
	if !errors.As(err, &gerr) {
		if errors.Is(err, context.DeadlineExceeded) {
			return networkFailure
		}
		return serverRefused
	}
	if errors.Is(gerr.Err, context.DeadlineExceeded) {
		return networkFailure // the stall timer
	}
	network := false
	for _, line := range strings.Split(gerr.Stderr, "\n") {
		if strings.HasPrefix(line, "remote:") || strings.Contains(line, "remote error:") {
			continue
		}
		for _, s := range localSigns {
			if strings.Contains(line, s) && !strings.Contains(line, s+" (") {
				return localFailure
			}
		}
		for _, s := range authSigns {
			if strings.Contains(line, s) {
				return authFailure
			}
		}
		for _, s := range networkSigns {
			network = network || strings.Contains(line, s)
		}
	}
	if network {
		return networkFailure
	}
	return serverRefused
}

// localError is a fetch that failed on this machine: fatal, at once.
type localError struct{ err error }

func (e *localError) Error() string {
	return "fetch failed on this machine, not at the server: " + message(e.err) +
		" (objects already fetched are kept; fix this and run again)"
}

func (e *localError) Unwrap() error { return e.err }

// authError is a fetch that had no credential the server took: fatal, at
// once, with git's message.
type authError struct {
	remote string
	err    error
}

func (e *authError) Error() string {
	return fmt.Sprintf("remote '%s' wants credentials: %s (objects already fetched are kept)",
		e.remote, message(e.err))
}

func (e *authError) Unwrap() error { return e.err }

// networkError is a fetch whose connection kept failing although the
// remote answered a probe: fatal, without bisecting.
type networkError struct {
	remote string
	err    error
}

func (e *networkError) Error() string {
	return fmt.Sprintf("the connection to remote '%s' kept failing: %s (objects already fetched are kept; run again)",
		e.remote, message(e.err))
}

func (e *networkError) Unwrap() error { return e.err }

// message is git's explanation of err if it has one, else err's text.
func message(err error) string {
	var gerr *git.Error
	if errors.As(err, &gerr) {
		return gerr.Message()
	}
	return err.Error()
}
