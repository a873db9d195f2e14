//go:build unix

package plugins_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/git-backfill/git-backfill/plugins"
	"github.com/git-backfill/git-backfill/plugins/plugintest"
)

// waitGone waits until process pid no longer exists: exited and reaped.
func waitGone(t *testing.T, pid int) {
	t.Helper()
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); {
		if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("plugin process %d still exists", pid)
}

// batch returns n records of 100 bytes.
func batch(n int) [][]byte {
	b := make([][]byte, n)
	for i := range b {
		b[i] = record(i, 100)
	}
	return b
}

func TestCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	f := newFiles(t)
	cmd, err := plugins.BuiltinCommand("fake")
	if err != nil {
		t.Fatal(err)
	}
	p, err := plugins.Start(ctx, "fake", cmd)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	opts := f.options()
	opts["block"] = "write"
	if err := p.Configure(ctx, opts); err != nil {
		t.Fatal(err)
	}
	if err := p.Begin(ctx, meta); err != nil {
		t.Fatal(err)
	}
	// The plugin blocks in its first Write, so the host's Writes block
	// once gRPC's flow control window is full, until ctx is cancelled.
	done := make(chan error)
	go func() {
		var err error
		for err == nil {
			err = p.Write(ctx, batch(1000))
		}
		done <- err
	}()
	time.Sleep(200 * time.Millisecond)
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) || !strings.HasPrefix(err.Error(), "exporter fake: ") {
			t.Errorf("Write after cancel: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Write still blocked 10 s after cancel")
	}
	waitGone(t, p.Pid())
	if reason, err := os.ReadFile(f.abort); err != nil || string(reason) != "cancelled" {
		t.Errorf("the plugin's Abort got %q, %v", reason, err)
	}
	if err := p.Write(context.Background(), batch(1)); !errors.Is(err, context.Canceled) {
		t.Errorf("Write after the plugin stopped: %v", err)
	}
}

func TestKilledMidStream(t *testing.T) {
	ctx := t.Context()
	p := plugintest.Start(t, "discard", nil)
	p.Configure(ctx, nil)
	p.Begin(ctx, meta)
	for range 5 {
		if err := p.Write(ctx, batch(1000)); err != nil {
			t.Fatal(err)
		}
	}
	if err := syscall.Kill(p.Pid(), syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	var err error
	for i := 0; err == nil && i < 1000; i++ {
		err = p.Write(ctx, batch(1000))
	}
	if err == nil {
		_, err = p.End(ctx, summary)
	}
	if want := "exporter discard: the plugin exited unexpectedly (signal: killed)"; err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
	if _, err := p.End(ctx, summary); err == nil {
		t.Error("End succeeded after the plugin died")
	}
	if err := p.Abort(ctx, "failed"); err != nil {
		t.Errorf("Abort after the plugin died: %v", err)
	}
	p.Close()
	waitGone(t, p.Pid())
}

func TestStdout(t *testing.T) {
	file, err := os.Create(filepath.Join(t.TempDir(), "stdout"))
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	for name, w := range map[string]interface {
		Write([]byte) (int, error)
	}{"file": file, "buffer": new(bytes.Buffer)} {
		t.Run(name, func(t *testing.T) {
			p := plugintest.Start(t, "fake", w)
			if err := p.Configure(t.Context(), map[string]string{"stdout": "yes"}); err != nil {
				t.Fatal(err)
			}
			if err := p.Begin(t.Context(), meta); err != nil {
				t.Fatal(err)
			}
			p.Close()
			var got []byte
			if buf, ok := w.(*bytes.Buffer); ok {
				got = buf.Bytes()
			} else {
				got, _ = os.ReadFile(file.Name())
			}
			if string(got) != "begin\n" {
				t.Errorf("the plugin's stdout got %q", got)
			}
		})
	}
	// Without a stdout, what the plugin writes there is dropped.
	p := plugintest.Start(t, "fake", nil)
	p.Configure(t.Context(), map[string]string{"stdout": "yes"})
	if err := p.Begin(t.Context(), meta); err != nil {
		t.Errorf("Begin writing to no stdout: %v", err)
	}
}

func TestNotAPlugin(t *testing.T) {
	v2 := exec.Command(os.Args[0])
	v2.Env = append(os.Environ(), modeEnv+"=v2")
	for _, tc := range []struct {
		cmd  *exec.Cmd
		want string
	}{
		{exec.Command("/bin/sh", "-c", "echo hello"), "starting exporter x: /bin/sh is not a git-backfill exporter plugin (it did not answer the plugin handshake)"},
		{exec.Command("/bin/sh", "-c", "echo oops >&2; exit 3"), "starting exporter x: /bin/sh ended before the plugin handshake: oops"},
		{exec.Command("/nonexistent/plugin"), "starting exporter x: fork/exec /nonexistent/plugin: no such file or directory"},
		{v2, "starting exporter x: " + os.Args[0] + " speaks version 2 of the plugin protocol, this git-backfill version 1"},
	} {
		p, err := plugins.Start(t.Context(), "x", tc.cmd)
		if err == nil {
			p.Close()
		}
		if err == nil || err.Error() != tc.want {
			t.Errorf("Start(%s) = %v\nwant %s", tc.cmd, err, tc.want)
		}
	}
}

// syncBuffer is a bytes.Buffer for concurrent use.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestStderr(t *testing.T) {
	cmd, err := plugins.BuiltinCommand("fake")
	if err != nil {
		t.Fatal(err)
	}
	var stderr syncBuffer
	cmd.Stderr = &stderr
	p, err := plugins.Start(t.Context(), "fake", cmd)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	p.Configure(t.Context(), map[string]string{"stderr": "warning: from the plugin"})
	p.Begin(t.Context(), meta)
	// go-plugin relays the plugin's standard error asynchronously.
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if stderr.String() == "warning: from the plugin\n" {
			return
		}
	}
	t.Errorf("the host's stderr got %q", stderr.String())
}

// A plugin that leaves a child holding its stdout and stderr does not keep
// the host waiting: Close ends within seconds (go-plugin alone waited for
// the pipes as long as the child lived), and the child is gone with the
// plugin's process group.
func TestCloseDoesNotWaitForAnOrphanHoldingThePipes(t *testing.T) {
	defer plugins.SetKillGrace(500 * time.Millisecond)()
	f := newFiles(t)
	cmd, err := plugins.BuiltinCommand("fake")
	if err != nil {
		t.Fatal(err)
	}
	p, err := plugins.Start(t.Context(), "fake", cmd)
	if err != nil {
		t.Fatal(err)
	}
	opts := f.options()
	pidFile := filepath.Join(t.TempDir(), "orphan.pid")
	opts["orphan"], opts["orphanpid"] = "yes", pidFile
	if err := p.Configure(t.Context(), opts); err != nil {
		p.Close()
		t.Fatal(err)
	}
	start := time.Now()
	p.Close()
	if took := time.Since(start); took > 12*time.Second {
		t.Fatalf("Close took %v", took)
	}
	data, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatal(err)
	}
	var pid int
	if _, err := fmt.Sscan(string(data), &pid); err != nil {
		t.Fatal(err)
	}
	waitGone(t, pid)
}

// A plugin that hangs in a call fails the export at the stage's limit with
// a message naming it and the stage, and Close still ends it in seconds.
func TestStageTimeout(t *testing.T) {
	f := newFiles(t)
	cmd, err := plugins.BuiltinCommand("fake")
	if err != nil {
		t.Fatal(err)
	}
	p, err := plugins.Start(t.Context(), "slow", cmd)
	if err != nil {
		t.Fatal(err)
	}
	p.SetTimeout(300 * time.Millisecond)
	// The hung call holds the plugin: the Abort that Close sends waits too.
	defer plugins.SetAbortTimeout(500 * time.Millisecond)()
	opts := f.options()
	opts["hang"] = "begin"
	if err := p.Configure(t.Context(), opts); err != nil {
		p.Close()
		t.Fatal(err)
	}
	start := time.Now()
	err = p.Begin(t.Context(), meta)
	var limit *plugins.StageTimeoutError
	if !errors.As(err, &limit) || limit.Stage != "Begin" || !strings.Contains(err.Error(), "exporter slow: Begin did not return within 300ms") {
		t.Fatalf("Begin: %v after %v, want the stage's timeout", err, time.Since(start))
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("the timeout took %v to act", took)
	}
	start = time.Now()
	p.Close()
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("Close of a hung plugin took %v", took)
	}
	waitGone(t, p.Pid())
}
