package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"syscall"
	"time"
)

// server is a background process (git daemon, toxiproxy-server) in a
// process group of its own, logging to a file. stop ends the whole group;
// callers defer it, and the sandbox's context also ends it on Ctrl-C.
type server struct {
	name string
	cmd  *exec.Cmd
	log  string
	done chan struct{}
}

func (b *bench) startServer(ctx context.Context, name, log string, args ...string) (*server, error) {
	f, err := os.Create(log)
	if err != nil {
		return nil, err
	}
	defer f.Close() // the process has its own descriptor
	s := &server{name: name, cmd: b.sb.command(ctx, b.sb.dir, args[0], args[1:]...), log: log, done: make(chan struct{})}
	s.cmd.Stdout, s.cmd.Stderr = f, f
	if err := s.cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", name, err)
	}
	go func() { s.cmd.Wait(); close(s.done) }()
	return s, nil
}

// stop sends SIGTERM to the server's process group and SIGKILL if it has
// not exited 5 seconds later.
func (s *server) stop() {
	killGroup(s.cmd, syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(5 * time.Second):
		killGroup(s.cmd, syscall.SIGKILL)
		<-s.done
	}
}

// failed describes a server that did not come up, with the end of its log.
func (s *server) failed(err error) error {
	log, _ := os.ReadFile(s.log)
	if len(log) > 2000 {
		log = log[len(log)-2000:]
	}
	return fmt.Errorf("%s did not come up: %w\n%s", s.name, err, log)
}

// waitFor calls ready every 50 ms until it succeeds, the server exits or
// 10 seconds pass.
func (s *server) waitFor(ctx context.Context, ready func() error) error {
	deadline := time.Now().Add(10 * time.Second)
	for {
		err := ready()
		if err == nil {
			return nil
		}
		select {
		case <-s.done:
			return s.failed(fmt.Errorf("exited: %v", s.cmd.ProcessState))
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return s.failed(err)
		}
	}
}

// freePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// gitDaemon serves the repositories under base read-only over git:// on
// 127.0.0.1:port. --export-all spares the git-daemon-export-ok file;
// --reuseaddr lets a port from freePort be bound again at once.
func (b *bench) gitDaemon(ctx context.Context, base string, port int) (*server, error) {
	return b.startServer(ctx, "git daemon", base+"/daemon.log", "git", "daemon",
		"--listen=127.0.0.1", "--port="+strconv.Itoa(port), "--reuseaddr", "--export-all",
		"--informative-errors", "--base-path="+base)
}

// toxiproxy starts toxiproxy-server with its API on 127.0.0.1:port and
// returns it once the API answers.
func (b *bench) toxiproxy(ctx context.Context, dir string, port int) (*server, error) {
	s, err := b.startServer(ctx, "toxiproxy-server", dir+"/toxiproxy.log", b.toxiproxyBin,
		"-host", "127.0.0.1", "-port", strconv.Itoa(port))
	if err != nil {
		return nil, err
	}
	api := fmt.Sprintf("http://127.0.0.1:%d", port)
	if err := s.waitFor(ctx, func() error { return toxiproxyAPI(ctx, "GET", api+"/version", nil) }); err != nil {
		s.stop()
		return nil, err
	}
	return s, nil
}

// toxiproxyAPI makes one request to toxiproxy's HTTP API and checks that
// it succeeded.
func toxiproxyAPI(ctx context.Context, method, url string, body any) error {
	var data []byte
	if body != nil {
		var err error
		if data, err = json.Marshal(body); err != nil {
			return err
		}
	}
	req, err := http.NewRequestWithContext(ctx, method, url, bytes.NewReader(data))
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		var msg bytes.Buffer
		msg.ReadFrom(resp.Body)
		return fmt.Errorf("toxiproxy %s %s: %s: %s", method, url, resp.Status, bytes.TrimSpace(msg.Bytes()))
	}
	return nil
}

// addLatencyProxy creates a proxy from 127.0.0.1:listen to upstream and
// delays the data in each direction by latency (toxiproxy's "latency"
// toxic on the upstream and the downstream stream).
func addLatencyProxy(ctx context.Context, apiPort, listen int, upstream string, latency time.Duration) error {
	api := fmt.Sprintf("http://127.0.0.1:%d", apiPort)
	err := toxiproxyAPI(ctx, "POST", api+"/proxies", map[string]any{
		"name": "git", "listen": "127.0.0.1:" + strconv.Itoa(listen), "upstream": upstream, "enabled": true,
	})
	if err != nil {
		return err
	}
	for _, stream := range []string{"upstream", "downstream"} {
		err := toxiproxyAPI(ctx, "POST", api+"/proxies/git/toxics", map[string]any{
			"name": "latency_" + stream, "type": "latency", "stream": stream, "toxicity": 1.0,
			"attributes": map[string]any{"latency": latency.Milliseconds(), "jitter": 0},
		})
		if err != nil {
			return err
		}
	}
	return nil
}
