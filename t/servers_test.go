package t

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// Servers for scenarios over a real network: git daemon and toxiproxy,
// bound to 127.0.0.1 on free ports, each in a process group of its own,
// logging to a file in $WORK and stopped at the end of the script.

// server is a background process started by gitdaemon or toxiproxy.
type server struct {
	name string
	cmd  *exec.Cmd
	log  string
	done chan struct{}
}

func startServer(ts *testscript.TestScript, name, log string, args ...string) *server {
	f, err := os.Create(log)
	if err != nil {
		ts.Fatalf("%v", err)
	}
	defer f.Close() // the process has its own descriptor
	s := &server{name: name, log: log, done: make(chan struct{})}
	s.cmd = exec.Command(args[0], args[1:]...)
	s.cmd.Dir = ts.MkAbs(".")
	s.cmd.Env = scriptEnv(ts)
	s.cmd.Stdout, s.cmd.Stderr = f, f
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := s.cmd.Start(); err != nil {
		ts.Fatalf("starting %s: %v", name, err)
	}
	go func() {
		s.cmd.Wait()
		close(s.done)
	}()
	ts.Defer(s.stop)
	return s
}

// stop ends the server's process group: SIGTERM, then SIGKILL if it has
// not exited 5 seconds later. Stopping a stopped server does nothing.
func (s *server) stop() {
	select {
	case <-s.done:
		return
	default:
	}
	syscall.Kill(-s.cmd.Process.Pid, syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(5 * time.Second):
		syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
		<-s.done
	}
}

// waitReady calls ready every 50 ms until it succeeds (true), the server
// exits or 10 seconds pass (false, with the reason).
func (s *server) waitReady(ready func() error) (bool, string) {
	deadline := time.Now().Add(10 * time.Second)
	for {
		err := ready()
		if err == nil {
			return true, ""
		}
		select {
		case <-s.done:
			return false, fmt.Sprintf("%s exited (%v)", s.name, s.cmd.ProcessState)
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return false, fmt.Sprintf("%s not ready after 10s: %v", s.name, err)
		}
	}
}

// logTail is the end of the server's log, for failure messages.
func (s *server) logTail() string {
	log, _ := os.ReadFile(s.log)
	if len(log) > 2000 {
		log = log[len(log)-2000:]
	}
	return string(log)
}

// freePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func freePort(ts *testscript.TestScript) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		ts.Fatalf("finding a free port: %v", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// freeport <VAR>: sets VAR to a TCP port on 127.0.0.1 where nothing
// listens (at the moment it was picked).
func cmdFreeport(ts *testscript.TestScript, neg bool, args []string) {
	noNeg(ts, neg, "freeport")
	if len(args) != 1 {
		ts.Fatalf("usage: freeport <VAR>")
	}
	ts.Setenv(args[0], strconv.Itoa(freePort(ts)))
}

// gitdaemon start <dir> | gitdaemon stop
//
// start serves every repository under dir (relative to the current
// directory) read-only over git:// on 127.0.0.1, at
// git://127.0.0.1:$GITDAEMON_PORT/<path below dir>, and returns once the
// daemon accepts connections. The repositories' own config decides what
// upload-pack allows (the fixtures allow filters and any object id).
// stop ends the daemon and every connection it serves; the end of the
// script does too.
func cmdGitdaemon(ts *testscript.TestScript, neg bool, args []string) {
	noNeg(ts, neg, "gitdaemon")
	st := state(ts)
	switch {
	case len(args) == 2 && args[0] == "start":
		if st.daemon != nil {
			ts.Fatalf("gitdaemon: already started")
		}
		dir := ts.MkAbs(args[1])
		// The port may be taken between freePort and the daemon's bind:
		// then the daemon exits, and another port is tried.
		var why string
		for range 3 {
			port := freePort(ts)
			s := startServer(ts, "git daemon", filepath.Join(ts.Getenv("WORK"), "gitdaemon.log"),
				"git", "daemon", "--reuseaddr", "--listen=127.0.0.1", "--port="+strconv.Itoa(port),
				"--base-path="+dir, "--export-all", "--informative-errors", dir)
			var ok bool
			ok, why = s.waitReady(func() error { return dial(port) })
			if ok {
				st.daemon = s
				ts.Setenv("GITDAEMON_PORT", strconv.Itoa(port))
				return
			}
			s.stop()
			why += "\n" + s.logTail()
		}
		ts.Fatalf("gitdaemon: %s", why)
	case len(args) == 1 && args[0] == "stop":
		if st.daemon == nil {
			ts.Fatalf("gitdaemon: not started")
		}
		st.daemon.stop()
		st.daemon = nil
	default:
		ts.Fatalf("usage: gitdaemon start <dir> | gitdaemon stop")
	}
}

func dial(port int) error {
	c, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(port), time.Second)
	if err == nil {
		c.Close()
	}
	return err
}

// toxiproxyBin is where `make tools` installs toxiproxy.
func toxiproxyBin() string { return filepath.Join(repoRoot, ".cache", "bin") }

// toxiproxy start | toxiproxy proxy <name> <upstream-port>
//
// start runs toxiproxy-server with its API on 127.0.0.1, sets
// TOXIPROXY_URL (which toxiproxy-cli reads) and puts toxiproxy-cli on the
// script's PATH. Both programs come from `make tools`; without them the
// script fails (a fault-injection test must not pass by being skipped).
//
// proxy creates the proxy name from a free port on 127.0.0.1 to
// 127.0.0.1:<upstream-port> and sets PROXY_PORT to its port. Toxics are
// then added and removed with toxiproxy-cli.
func cmdToxiproxy(ts *testscript.TestScript, neg bool, args []string) {
	noNeg(ts, neg, "toxiproxy")
	st := state(ts)
	switch {
	case len(args) == 1 && args[0] == "start":
		if st.toxiproxy != "" {
			ts.Fatalf("toxiproxy: already started")
		}
		bin := toxiproxyBin()
		for _, name := range []string{"toxiproxy-server", "toxiproxy-cli"} {
			if _, err := os.Stat(filepath.Join(bin, name)); err != nil {
				ts.Fatalf("toxiproxy: %s is not in %s: run make tools", name, bin)
			}
		}
		var why string
		for range 3 {
			port := strconv.Itoa(freePort(ts))
			api := "http://127.0.0.1:" + port
			s := startServer(ts, "toxiproxy-server", filepath.Join(ts.Getenv("WORK"), "toxiproxy.log"),
				filepath.Join(bin, "toxiproxy-server"), "-host", "127.0.0.1", "-port", port)
			var ok bool
			ok, why = s.waitReady(func() error { return toxiproxyAPI(api, "GET", "/version", nil, nil) })
			if ok {
				st.toxiproxy = api
				ts.Setenv("TOXIPROXY_URL", api)
				ts.Setenv("PATH", bin+string(os.PathListSeparator)+ts.Getenv("PATH"))
				return
			}
			s.stop()
			why += "\n" + s.logTail()
		}
		ts.Fatalf("toxiproxy: %s", why)
	case len(args) == 3 && args[0] == "proxy":
		if st.toxiproxy == "" {
			ts.Fatalf("toxiproxy: not started")
		}
		upstream, err := strconv.Atoi(args[2])
		if err != nil {
			ts.Fatalf("toxiproxy proxy: upstream port %q is not a number", args[2])
		}
		// Port 0: toxiproxy binds a free port itself and says which.
		var created struct{ Listen string }
		err = toxiproxyAPI(st.toxiproxy, "POST", "/proxies", map[string]any{
			"name": args[1], "listen": "127.0.0.1:0", "upstream": "127.0.0.1:" + strconv.Itoa(upstream), "enabled": true,
		}, &created)
		if err != nil {
			ts.Fatalf("toxiproxy proxy: %v", err)
		}
		_, port, err := net.SplitHostPort(created.Listen)
		if err != nil || port == "0" {
			ts.Fatalf("toxiproxy proxy: unexpected listen address %q", created.Listen)
		}
		ts.Setenv("PROXY_PORT", port)
	default:
		ts.Fatalf("usage: toxiproxy start | toxiproxy proxy <name> <upstream-port>")
	}
}

// toxiproxyAPI makes one request to toxiproxy's HTTP API, checks that it
// succeeded and decodes the JSON answer into out unless it is nil.
func toxiproxyAPI(api, method, path string, body, out any) error {
	var data []byte
	if body != nil {
		var err error
		if data, err = json.Marshal(body); err != nil {
			return err
		}
	}
	req, err := http.NewRequest(method, api+path, bytes.NewReader(data))
	if err != nil {
		return err
	}
	client := http.Client{Timeout: 5 * time.Second}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var answer bytes.Buffer
	answer.ReadFrom(resp.Body)
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("toxiproxy %s %s: %s: %s", method, path, resp.Status, bytes.TrimSpace(answer.Bytes()))
	}
	if out != nil {
		if err := json.Unmarshal(answer.Bytes(), out); err != nil {
			return fmt.Errorf("toxiproxy %s %s: %w", method, path, err)
		}
	}
	return nil
}
