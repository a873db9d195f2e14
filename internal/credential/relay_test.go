package credential

import (
	"bytes"
	"context"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeGit stands for "git credential": fill answers with a fixed password
// after a pause (a user typing), or fails; every call is recorded.
type fakeGit struct {
	mu      sync.Mutex
	calls   []string // op and input, in order
	fills   atomic.Int32
	failure error
}

func (f *fakeGit) run(ctx context.Context, op string, input []byte) ([]byte, error) {
	f.mu.Lock()
	f.calls = append(f.calls, op+"\n"+string(input))
	f.mu.Unlock()
	if op != "fill" {
		return nil, nil
	}
	f.fills.Add(1)
	time.Sleep(50 * time.Millisecond)
	if f.failure != nil {
		return nil, f.failure
	}
	return append(append([]byte{}, input...), "username=alice\npassword=pw-1\n"...), nil
}

func (f *fakeGit) ops() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var ops []string
	for _, c := range f.calls {
		op, _, _ := strings.Cut(c, "\n")
		ops = append(ops, op)
	}
	return ops
}

func startRelay(t *testing.T, g *fakeGit) *Relay {
	t.Helper()
	return startRelayWith(t, g.run)
}

func startRelayWith(t *testing.T, gitCmd Git) *Relay {
	t.Helper()
	r, err := Start(context.Background(), t.TempDir(), gitCmd)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// helper runs the helper side as git would: op as argument, the exampleRequest on
// stdin.
func helper(t *testing.T, r *Relay, op, input string) (stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	if err := RunHelper(r.socket, op, strings.NewReader(input), &out, &errOut); err != nil {
		t.Fatal(err)
	}
	return out.String(), errOut.String()
}

const exampleRequest = "protocol=https\nhost=example.com\n"

func TestRelayAsksOnceForConcurrentFetches(t *testing.T) {
	g := &fakeGit{}
	r := startRelay(t, g)
	const fetches = 8
	outs := make([]string, fetches)
	var wg sync.WaitGroup
	for i := range fetches {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var out, errOut bytes.Buffer
			if err := RunHelper(r.socket, "get", strings.NewReader(exampleRequest), &out, &errOut); err != nil {
				t.Error(err)
			}
			outs[i] = out.String()
		}()
	}
	wg.Wait()
	if n := g.fills.Load(); n != 1 {
		t.Fatalf("git credential fill ran %d times for %d fetches, want 1", n, fetches)
	}
	for i, out := range outs {
		if !strings.Contains(out, "password=pw-1\n") || !strings.Contains(out, "username=alice\n") {
			t.Errorf("fetch %d got %q", i, out)
		}
	}
	// Another place is another question.
	out, _ := helper(t, r, "get", "protocol=https\nhost=other.example.com\n")
	if !strings.Contains(out, "password=pw-1") || g.fills.Load() != 2 {
		t.Errorf("a second host: %q after %d fills, want a second fill", out, g.fills.Load())
	}
}

func TestRelayPassesVerdictsOnOnce(t *testing.T) {
	g := &fakeGit{}
	r := startRelay(t, g)
	answer, _ := helper(t, r, "get", exampleRequest)
	for range 3 {
		helper(t, r, "store", answer)
	}
	if got, want := strings.Join(g.ops(), " "), "fill approve"; got != want {
		t.Fatalf("git credential ran %q, want %q", got, want)
	}
	for range 3 {
		helper(t, r, "erase", answer)
	}
	if got, want := strings.Join(g.ops(), " "), "fill approve reject"; got != want {
		t.Fatalf("git credential ran %q, want %q", got, want)
	}
	// Once refused, no fetch gets the credential again, nor asks again.
	out, errOut := helper(t, r, "get", exampleRequest)
	if out != "quit=1\n" {
		t.Errorf("get after erase printed %q, want quit=1", out)
	}
	if want := "fatal: Authentication failed for 'https://example.com'\n"; errOut != want {
		t.Errorf("get after erase said %q, want %q", errOut, want)
	}
	if g.fills.Load() != 1 {
		t.Errorf("asked %d times, want once", g.fills.Load())
	}
	if strings.Contains(errOut, "pw-1") {
		t.Errorf("the password was shown: %q", errOut)
	}
}

func TestRelayFillFailureIsFinal(t *testing.T) {
	msg := "could not read Username for 'https://example.com': terminal prompts disabled"
	g := &fakeGit{failure: errors.New(msg)}
	r := startRelay(t, g)
	for range 2 {
		out, errOut := helper(t, r, "get", exampleRequest)
		if out != "quit=1\n" || errOut != "fatal: "+msg+"\n" {
			t.Errorf("got stdout %q, stderr %q", out, errOut)
		}
	}
	if g.fills.Load() != 1 {
		t.Errorf("asked %d times, want once", g.fills.Load())
	}
}

func TestRelayKeepsNoFile(t *testing.T) {
	g := &fakeGit{}
	r := startRelay(t, g)
	helper(t, r, "get", exampleRequest)
	entries, err := os.ReadDir(r.dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Type()&os.ModeSocket == 0 {
		t.Errorf("the relay's directory holds %v, want its socket only", entries)
	}
	fi, err := os.Stat(r.dir)
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm != 0o700 {
		t.Errorf("the relay's directory has mode %v, want 0700", perm)
	}
	dir := r.dir
	r.Close()
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("Close left %s: %v", dir, err)
	}
}

func TestHelperWithoutRelayStopsGit(t *testing.T) {
	var out, errOut bytes.Buffer
	gone := filepath.Join(t.TempDir(), "s")
	if err := RunHelper(gone, "get", strings.NewReader(exampleRequest), &out, &errOut); err != nil {
		t.Fatal(err)
	}
	if out.String() != "quit=1\n" || !strings.Contains(errOut.String(), "credential relay is gone") {
		t.Errorf("got stdout %q, stderr %q", out.String(), errOut.String())
	}
}

func TestSweepRemovesOnlyDeadRelays(t *testing.T) {
	tmp := t.TempDir()
	live, err := Start(context.Background(), tmp, (&fakeGit{}).run)
	if err != nil {
		t.Fatal(err)
	}
	defer live.Close()
	// A killed run's directory: its socket file stays, nothing listens.
	dead := filepath.Join(tmp, "git-backfill-credential-dead")
	if err := os.Mkdir(dead, 0o700); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("unix", filepath.Join(dead, "s"))
	if err != nil {
		t.Fatal(err)
	}
	ln.(*net.UnixListener).SetUnlinkOnClose(false)
	ln.Close()
	// And one that was just made, whose run may not listen yet.
	young := filepath.Join(tmp, "git-backfill-credential-young")
	if err := os.Mkdir(young, 0o700); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-2 * time.Minute)
	for _, d := range []string{dead, live.dir} {
		if err := os.Chtimes(d, old, old); err != nil {
			t.Fatal(err)
		}
	}
	other := filepath.Join(tmp, "someone-else")
	os.Mkdir(other, 0o700)

	sweepStale(tmp)
	if _, err := os.Stat(dead); !os.IsNotExist(err) {
		t.Errorf("the dead relay's directory is still there: %v", err)
	}
	for _, keep := range []string{live.dir, other, young} {
		if _, err := os.Stat(keep); err != nil {
			t.Errorf("%s was removed: %v", keep, err)
		}
	}
}

// The helper command survives the shell git runs it with, whatever the
// program's and the socket's paths hold.
func TestOptionsQuoteForTheShell(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "it's a $dir")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	exe := filepath.Join(dir, "print args")
	script := "#!/bin/sh\nfor a in \"$@\"; do printf '[%s]' \"$a\"; done\n"
	if err := os.WriteFile(exe, []byte(script), 0o700); err != nil {
		t.Fatal(err)
	}
	r, err := Start(context.Background(), dir, (&fakeGit{}).run)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	opts := r.Options(exe)
	if len(opts) != 4 || opts[1] != "credential.helper=" {
		t.Fatalf("options %q: want the user's helpers cleared first", opts)
	}
	helperCmd := strings.TrimPrefix(opts[3], "credential.helper=!")
	out, err := exec.Command("sh", "-c", helperCmd+" get").Output()
	if err != nil {
		t.Fatal(err)
	}
	if want := "[" + HelperCommand + "][" + r.socket + "][get]"; string(out) != want {
		t.Errorf("the shell ran %s, want %s", out, want)
	}
}

// A run that ends while git is still asking the user stops the question:
// Close does not wait for an answer nobody will use, and the helper
// waiting for it gets an end.
func TestCloseStopsAPendingQuestion(t *testing.T) {
	asked := make(chan struct{})
	r, err := Start(context.Background(), t.TempDir(), func(ctx context.Context, op string, _ []byte) ([]byte, error) {
		close(asked)
		<-ctx.Done() // a user who never answers
		return nil, ctx.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan string, 1)
	go func() {
		var out, errOut bytes.Buffer
		RunHelper(r.socket, "get", strings.NewReader(exampleRequest), &out, &errOut)
		done <- out.String()
	}()
	<-asked
	if !r.Asking() {
		t.Error("Asking is false while git asks")
	}
	closed := make(chan struct{})
	go func() { r.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(5 * time.Second):
		t.Fatal("Close waited for the user's answer")
	}
	select {
	case out := <-done:
		if strings.Contains(out, "password=") {
			t.Errorf("the helper got %q", out)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the helper still waits after Close")
	}
}

// Two places asked for at once get one question at a time: git never
// prompts twice at once on one terminal.
func TestOneQuestionAtATime(t *testing.T) {
	var inFill, most atomic.Int32
	r := startRelayWith(t, func(ctx context.Context, op string, input []byte) ([]byte, error) {
		n := inFill.Add(1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		time.Sleep(50 * time.Millisecond)
		inFill.Add(-1)
		return append(append([]byte{}, input...), "username=u\npassword=p\n"...), nil
	})
	var wg sync.WaitGroup
	for _, host := range []string{"a.example", "b.example", "c.example"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			helper(t, r, "get", "protocol=https\nhost="+host+"\n")
		}()
	}
	wg.Wait()
	if most.Load() != 1 {
		t.Errorf("%d questions at once, want 1", most.Load())
	}
}

// An answer that expires (git 2.41's password_expiry_utc) is asked for
// again rather than handed out stale.
func TestExpiredAnswerIsAskedAgain(t *testing.T) {
	var fills atomic.Int32
	expiry := strconv.FormatInt(time.Now().Add(10*time.Second).Unix(), 10)
	r := startRelayWith(t, func(ctx context.Context, op string, input []byte) ([]byte, error) {
		fills.Add(1)
		return append(append([]byte{}, input...), "username=u\npassword=p\npassword_expiry_utc="+expiry+"\n"...), nil
	})
	helper(t, r, "get", exampleRequest)
	helper(t, r, "get", exampleRequest)
	if fills.Load() != 2 {
		t.Errorf("asked %d times for a password expiring within the margin, want 2", fills.Load())
	}
}
