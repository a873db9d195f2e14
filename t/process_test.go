package t

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// Commands that run a program where testscript's exec falls short: with a
// time limit (within), in the background with an exit status to check
// (spawn, signal, waitcode; testscript's `exec ... &name&` keeps a
// background command's status to itself), or with a terminal as standard
// error (ttyerr, tty_linux_test.go).
//
// These programs run in the script's current directory with the variables
// of helperEnvKeys (not the whole script environment, which testscript
// keeps private), their command looked up in the script's PATH. What they
// print is handed to testscript afterwards, so the stdout and stderr
// commands match it as they match exec's.

// proc is a program started by a custom command.
type proc struct {
	name           string
	cmd            *exec.Cmd
	stdout, stderr strings.Builder
	done           chan struct{} // closed once cmd.Wait has returned
	err            error         // cmd.Wait's result, set before done is closed
	elapsed        time.Duration // from start to exit, set before done is closed
}

// newProc prepares name with args; start runs it.
func newProc(ts *testscript.TestScript, name string, args []string) *proc {
	p := &proc{name: name, done: make(chan struct{})}
	p.cmd = exec.Command(lookPath(ts, name), args...)
	p.cmd.Dir = ts.MkAbs(".")
	p.cmd.Env = scriptEnv(ts)
	p.cmd.Stdout, p.cmd.Stderr = &p.stdout, &p.stderr
	// A process group of its own, so that kill ends the program's
	// children too: `git backfill` is git's dispatcher running
	// git-backfill, which runs git fetch.
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	// A program's children may keep its output pipes open for a while.
	p.cmd.WaitDelay = 5 * time.Second
	return p
}

// start starts p. The process may be signalled with p.cmd.Process once
// this returns; everything else waits for p.done.
func (p *proc) start(ts *testscript.TestScript) *proc {
	start := time.Now()
	if err := p.cmd.Start(); err != nil {
		ts.Fatalf("starting %s: %v", p.name, err)
	}
	go func() {
		err := p.cmd.Wait()
		p.err, p.elapsed = err, time.Since(start)
		close(p.done)
	}()
	return p
}

// kill ends p and every process of its group (SIGKILL) and waits for p.
func (p *proc) kill() {
	syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
	<-p.done
}

// waitOrKill waits for p to exit; after limit it kills p, hands its output
// to testscript and fails the script.
func (p *proc) waitOrKill(ts *testscript.TestScript, limit time.Duration) {
	select {
	case <-p.done:
	case <-time.After(limit):
		p.kill()
		p.publish(ts)
		ts.Fatalf("%s still running after %v: killed", p.describe(), limit)
	}
}

// describe is the program's command line, for messages.
func (p *proc) describe() string {
	return strings.Join(append([]string{p.name}, p.cmd.Args[1:]...), " ")
}

// publish hands the output of an exited p to testscript, for the stdout
// and stderr commands.
func (p *proc) publish(ts *testscript.TestScript) {
	fmt.Fprint(ts.Stdout(), p.stdout.String())
	fmt.Fprint(ts.Stderr(), p.stderr.String())
}

// status is the exit status of an exited p; a p killed by a signal fails
// the script.
func (p *proc) status(ts *testscript.TestScript) int {
	var exitErr *exec.ExitError
	switch {
	case p.err == nil:
		return 0
	case errors.As(p.err, &exitErr):
		if ws, ok := exitErr.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			ts.Fatalf("%s was killed by %v", p.describe(), ws.Signal())
		}
		return exitErr.ExitCode()
	default:
		ts.Fatalf("%s: %v", p.describe(), p.err)
		return -1
	}
}

// check publishes the output of an exited p and asserts its exit status.
func (p *proc) check(ts *testscript.TestScript, want int) {
	p.publish(ts)
	got := p.status(ts)
	ts.Logf("[%s: exit status %d after %v]", p.describe(), got, p.elapsed.Round(time.Millisecond))
	if got != want {
		ts.Fatalf("%s exited with status %d, want %d", p.describe(), got, want)
	}
}

// lookPath finds name in the script's PATH, as exec does.
func lookPath(ts *testscript.TestScript, name string) string {
	if strings.ContainsRune(name, filepath.Separator) {
		return ts.MkAbs(name)
	}
	for _, dir := range filepath.SplitList(ts.Getenv("PATH")) {
		path := filepath.Join(dir, name)
		if info, err := os.Stat(path); err == nil && info.Mode().IsRegular() && info.Mode()&0o111 != 0 {
			return path
		}
	}
	ts.Fatalf("%s: not found in the script's PATH", name)
	return ""
}

// scriptEnv is the environment of programs that custom commands run.
func scriptEnv(ts *testscript.TestScript) []string {
	var env []string
	for _, k := range helperEnvKeys {
		if v := ts.Getenv(k); v != "" {
			env = append(env, k+"="+v)
		}
	}
	return env
}

func parseStatus(ts *testscript.TestScript, s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		ts.Fatalf("exit status %q is not a number", s)
	}
	return n
}

// within <duration> <n> <cmd> [<arg>...]: runs cmd and asserts that it
// exits with status n in less than duration. A cmd still running then is
// killed with every process it started (SIGKILL to its process group) and
// the script fails.
func cmdWithin(ts *testscript.TestScript, neg bool, args []string) {
	noNeg(ts, neg, "within")
	if len(args) < 3 {
		ts.Fatalf("usage: within <duration> <n> <cmd> [<arg>...]")
	}
	limit, err := time.ParseDuration(args[0])
	if err != nil || limit <= 0 {
		ts.Fatalf("within: bad duration %q", args[0])
	}
	want := parseStatus(ts, args[1])
	p := newProc(ts, args[2], args[3:]).start(ts)
	p.waitOrKill(ts, limit)
	p.check(ts, want)
}

// spawn <name> <cmd> [<arg>...]: starts cmd in the background under name,
// for signal and waitcode. It is killed, with every process it started,
// at the end of the script if it is still running then.
func cmdSpawn(ts *testscript.TestScript, neg bool, args []string) {
	noNeg(ts, neg, "spawn")
	if len(args) < 2 {
		ts.Fatalf("usage: spawn <name> <cmd> [<arg>...]")
	}
	st := state(ts)
	if _, ok := st.procs[args[0]]; ok {
		ts.Fatalf("spawn: %s already used", args[0])
	}
	p := newProc(ts, args[1], args[2:]).start(ts)
	st.procs[args[0]] = p
	ts.Defer(func() {
		select {
		case <-p.done:
		default:
			p.kill()
		}
	})
}

// signal <name> INT|TERM|KILL: sends the signal to the program spawned
// under name.
func cmdSignal(ts *testscript.TestScript, neg bool, args []string) {
	noNeg(ts, neg, "signal")
	if len(args) != 2 {
		ts.Fatalf("usage: signal <name> INT|TERM|KILL")
	}
	sig, ok := map[string]os.Signal{"INT": os.Interrupt, "TERM": syscall.SIGTERM, "KILL": os.Kill}[args[1]]
	if !ok {
		ts.Fatalf("signal: unknown signal %q", args[1])
	}
	p := spawned(ts, args[0])
	if err := p.cmd.Process.Signal(sig); err != nil {
		ts.Fatalf("signal %s %s: %v", args[0], args[1], err)
	}
}

// waitTimeout bounds waitcode: a program that needs longer is hung.
const waitTimeout = 60 * time.Second

// waitcode <name> <n>: waits for the program spawned under name to exit
// and asserts that its exit status is n; its output is then available to
// the stdout and stderr commands. A program still running after a minute
// is killed and the script fails.
func cmdWaitcode(ts *testscript.TestScript, neg bool, args []string) {
	noNeg(ts, neg, "waitcode")
	if len(args) != 2 {
		ts.Fatalf("usage: waitcode <name> <n>")
	}
	p := spawned(ts, args[0])
	want := parseStatus(ts, args[1])
	p.waitOrKill(ts, waitTimeout)
	delete(state(ts).procs, args[0])
	p.check(ts, want)
}

func spawned(ts *testscript.TestScript, name string) *proc {
	p, ok := state(ts).procs[name]
	if !ok {
		ts.Fatalf("no program spawned as %q (or already waited for)", name)
	}
	return p
}
