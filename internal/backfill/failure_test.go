package backfill

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/git-backfill/git-backfill/internal/git"
)

func fetchError(stderr string) *git.Error {
	return &git.Error{Args: []string{"fetch"}, ExitCode: 128, Stderr: stderr, Err: errors.New("exit status 128")}
}

func TestClassify(t *testing.T) {
	for _, tc := range []struct {
		stderr string
		want   failureClass
	}{
		{"fatal: sha1 file '.git/objects/pack/tmp_pack_x' write error: No space left on device\nfatal: index-pack failed", localFailure},
		{"error: unable to create temporary file: Permission denied\nfatal: index-pack failed", localFailure},
		{"fatal: unable to write file: Disk quota exceeded", localFailure},
		{"git@host: Permission denied (publickey).\nfatal: Could not read from remote repository.", serverRefused},
		{"remote: fatal: unable to create temporary file: No space left on device\nfatal: early EOF", networkFailure},
		{"fatal: the remote end hung up unexpectedly\nfatal: early EOF\nfatal: index-pack failed", networkFailure},
		{"error: RPC failed; curl 56 Recv failure: Connection reset by peer", networkFailure},
		{"fatal: remote error: upload-pack: not our ref 1234", serverRefused},
		{"fatal: something new", serverRefused},
		{"remote: authentication required\nfatal: Authentication failed for 'https://example.com/r/'", authFailure},
		{"fatal: could not read Username for 'https://example.com': terminal prompts disabled", authFailure},
		{"fatal: unable to access 'https://example.com/r/': Received HTTP code 407 from proxy after CONNECT", authFailure},
		{"fatal: git-backfill's credential relay is gone (the run that started this fetch has ended)", authFailure},
	} {
		if got := classify(fmt.Errorf("batch 1: %w", fetchError(tc.stderr))); got != tc.want {
			t.Errorf("%q: class %d, want %d", tc.stderr, got, tc.want)
		}
	}
	stall := &git.Error{Args: []string{"fetch"}, ExitCode: -1, Stderr: "no progress for 2m0s; the remote stopped responding", Err: context.DeadlineExceeded}
	if classify(stall) != networkFailure {
		t.Error("a stall is not a network failure")
	}
}

// A full disk ends the run after the first request: no retry, no
// bisection (which once sent 13,662 requests to "isolate" every object).
func TestFetcherStopsAtALocalFailure(t *testing.T) {
	r := &fakeRemote{failWith: fetchError("fatal: write error: No space left on device\nfatal: index-pack failed")}
	f, err := runFetcher(t, r, 1, batchOf(1, 64))
	var local *localError
	if !errors.As(err, &local) || !strings.Contains(err.Error(), "on this machine") || !strings.Contains(err.Error(), "No space left on device") {
		t.Fatalf("error %v, want a local failure with git's reason", err)
	}
	if len(r.requests) != 1 || len(f.failed) != 0 || r.probes != 0 {
		t.Fatalf("%d requests, %d probes, %d failed objects: want 1 request and nothing else", len(r.requests), r.probes, len(f.failed))
	}
}

// A refused password ends the run after the first request, with git's
// message: retrying or bisecting would only be refused again.
func TestFetcherStopsAtAnAuthFailure(t *testing.T) {
	r := &fakeRemote{failWith: fetchError("fatal: Authentication failed for 'https://example.com/r/'")}
	f, err := runFetcher(t, r, 1, batchOf(1, 64))
	var auth *authError
	if !errors.As(err, &auth) || !strings.Contains(err.Error(), "Authentication failed for 'https://example.com/r/'") {
		t.Fatalf("error %v, want an authentication failure with git's message", err)
	}
	if len(r.requests) != 1 || len(f.failed) != 0 || r.probes != 0 {
		t.Fatalf("%d requests, %d probes, %d failed objects: want 1 request and nothing else", len(r.requests), r.probes, len(f.failed))
	}
}

// A connection that keeps failing while the remote answers probes is
// retried, then fatal: bisecting would multiply the waits.
func TestFetcherNetworkFailureIsRetriedNotBisected(t *testing.T) {
	r := &fakeRemote{failWith: fetchError("fatal: the remote end hung up unexpectedly\nfatal: early EOF")}
	f, err := runFetcher(t, r, 1, batchOf(1, 64))
	var netErr *networkError
	if !errors.As(err, &netErr) || !strings.Contains(err.Error(), "remote 'origin' kept failing") {
		t.Fatalf("error %v, want a network failure", err)
	}
	if len(r.requests) != 3 || len(f.failed) != 0 || r.probes != 1 {
		t.Fatalf("%d requests, %d probes, %d failed objects: want the 3 attempts, one probe, no bisection", len(r.requests), r.probes, len(f.failed))
	}
}

// A path with a newline or a terminal sequence, and a server message with
// one, cannot fake lines or reach the terminal.
func TestFailuresMessageQuotes(t *testing.T) {
	msg := FailuresMessage([]Failure{{ID: "abc", Path: "evil\n  def fake/path\x1b[2J", Err: "not our ref\x1b]0;title\a"}})
	want := "could not fetch 1 object; everything else was fetched:\n  abc \"evil\\n  def fake/path\\033[2J\" (not our ref?]0;title?)"
	if msg != want {
		t.Errorf("got  %q\nwant %q", msg, want)
	}
}
