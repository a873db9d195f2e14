// Package git is git-backfill's only way to run git.
//
// Every git process is built by Runner.Command, which gives it a clean,
// explicit environment and the same plumbing options, so that neither the
// user's configuration nor stray environment variables can change output we
// parse. Parsers in this package take an io.Reader or a byte slice and are
// independent of process handling so they can be tested and fuzzed alone.
package git

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"
)

// Runner starts git processes for one repository. It is safe for concurrent
// use; it holds no per-process state.
type Runner struct {
	// Dir is the working directory of every process (the user's current
	// directory, so git's own discovery and relative paths behave as in a
	// plain git command).
	Dir string
	// env is the cleaned environment built by NewRunner.
	env []string
	// remoteOptions, if set, gives the options of every command that talks
	// to a remote, and userWait tells when such a command waits for the
	// user (see WithRemoteOptions).
	remoteOptions func() ([]string, error)
	userWait      func() bool
	// routes remembers how each remote is fetched from; copies of the
	// Runner for the same repository share it.
	routes *routes
}

// WithRemoteOptions returns a copy of r whose commands that talk to a
// remote (fetch, ls-remote) get the "-c" options opts returns, such as
// the credential relay's. opts is called when such a command starts, so
// what it sets up costs nothing on runs that never reach a remote.
// waiting, if not nil, reports whether those commands wait for the user
// (a password prompt): their silence then is not the remote's, and no
// stall or silence timer counts it.
func (r *Runner) WithRemoteOptions(opts func() ([]string, error), waiting func() bool) *Runner {
	c := *r
	c.remoteOptions, c.userWait = opts, waiting
	return &c
}

// WaitingForUser reports whether a command that talks to a remote waits
// for the user now.
func (r *Runner) WaitingForUser() bool {
	return r != nil && r.userWait != nil && r.userWait()
}

// remoteArgs is args with the remote options in front.
func (r *Runner) remoteArgs(args []string) ([]string, error) {
	if r.remoteOptions == nil {
		return args, nil
	}
	opts, err := r.remoteOptions()
	if err != nil {
		return nil, err
	}
	return append(slices.Clip(opts), args...), nil
}

// NewRunner returns a Runner working in dir with an environment derived from
// environ by CleanEnv.
func NewRunner(dir string, environ []string) *Runner {
	return &Runner{Dir: dir, env: CleanEnv(environ), routes: newRoutes()}
}

// globalOptions go before every subcommand.
//
//   - core.quotePath=false: paths in any non -z output stay verbatim UTF-8.
//   - color.ui=false: no escape codes, whatever the user's config says.
//   - --no-replace-objects: we walk and fetch the objects that are really
//     there, not what a replace ref pretends.
var globalOptions = []string{
	"--no-replace-objects",
	"-c", "core.quotePath=false",
	"-c", "color.ui=false",
}

// Command returns an unstarted git process for args. When ctx is done the
// process gets SIGTERM (git removes its temporary files on SIGTERM) and, if
// it has not exited 5 seconds later, SIGKILL. On Linux the process also gets
// SIGTERM when git-backfill itself dies, so no fetch outlives us.
func (r *Runner) Command(ctx context.Context, args ...string) *exec.Cmd {
	full := append(append([]string{}, globalOptions...), args...)
	cmd := exec.CommandContext(ctx, "git", full...)
	cmd.Dir = r.Dir
	cmd.Env = r.env
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = 5 * time.Second
	cmd.SysProcAttr = childProcAttr()
	return cmd
}

// Output runs git with args and returns its standard output. A failure is
// returned as *Error carrying git's standard error.
func (r *Runner) Output(ctx context.Context, args ...string) ([]byte, error) {
	return r.OutputInput(ctx, nil, args...)
}

// OutputInput is Output with stdin connected to in (nil for none).
func (r *Runner) OutputInput(ctx context.Context, in io.Reader, args ...string) ([]byte, error) {
	return r.output(ctx, in, nil, args)
}

// OutputShowingStderr is OutputInput with git's stderr also copied to w
// as it comes (what a credential helper tells the user to do, say); its
// end is still kept to explain a failure.
func (r *Runner) OutputShowingStderr(ctx context.Context, in io.Reader, w io.Writer, args ...string) ([]byte, error) {
	return r.output(ctx, in, &teeTail{w: w, tailBuffer: tailBuffer{max: 16 << 10}}, args)
}

// output runs git with args, stdin from in, stderr to sink (nil: its end
// kept for the error), and returns its standard output.
func (r *Runner) output(ctx context.Context, in io.Reader, sink stderrSink, args []string) ([]byte, error) {
	p, err := r.startPiped(ctx, args, args, emptyIfNil(in), nil, sink)
	if err != nil {
		return nil, err
	}
	var out []byte
	err = p.consume(func(br *bufio.Reader) error {
		var rerr error
		out, rerr = io.ReadAll(br)
		return rerr
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// teeTail keeps the end of what it is given and copies all of it to w.
type teeTail struct {
	w io.Writer
	tailBuffer
}

func (t *teeTail) Write(p []byte) (int, error) {
	t.w.Write(p) // the user's terminal failing must not fail git
	return t.tailBuffer.Write(p)
}

// Error is a git process that failed.
type Error struct {
	Args     []string // the subcommand and its arguments, without global options
	ExitCode int      // -1 when the process did not exit normally
	Stderr   string   // git's own message, trimmed
	Err      error    // the underlying error from os/exec or the context
}

func newError(ctx context.Context, args []string, err error, stderr []byte) error {
	code := -1
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		code = exitErr.ExitCode()
	}
	if ctx.Err() != nil {
		err = ctx.Err()
	}
	return &Error{Args: args, ExitCode: code, Stderr: strings.TrimSpace(string(stderr)), Err: err}
}

func (e *Error) Error() string {
	name := "git"
	if len(e.Args) > 0 {
		name = "git " + e.Args[0]
	}
	if e.Stderr != "" {
		return name + ": " + gitMessage(e.Stderr)
	}
	return fmt.Sprintf("%s: %v", name, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// Message is git's own explanation of the failure, without its "fatal: "
// prefix, or the process error when git printed nothing.
func (e *Error) Message() string {
	if e.Stderr == "" {
		return e.Err.Error()
	}
	return gitMessage(e.Stderr)
}

// relayQuit is git's line for our credential relay telling it to stop
// asking: the relay has printed the reason (git's own message) before it,
// and the line would only show the relay's command.
func relayQuit(line string) bool {
	return strings.Contains(line, "credential-relay") && strings.HasSuffix(line, "told us to quit")
}

// gitMessage turns git's stderr into one line: without git's own
// "fatal: " and "error: " prefixes and hints, each statement once (a failed
// fetch reports the server's complaint twice, once as "remote error"), and
// wrapped sentences joined back together.
func gitMessage(stderr string) string {
	var b strings.Builder
	seen := map[string]bool{}
	for _, line := range strings.Split(stderr, "\n") {
		line = strings.TrimSpace(line)
		for _, p := range []string{"fatal: ", "error: "} {
			line = strings.TrimPrefix(line, p)
		}
		if line == "" || strings.HasPrefix(line, "hint: ") || relayQuit(line) {
			continue
		}
		key := line
		for _, p := range []string{"remote error: ", "git upload-pack: ", "upload-pack: "} {
			key = strings.TrimPrefix(key, p)
		}
		if seen[key] {
			continue
		}
		seen[key] = true
		switch {
		case b.Len() == 0:
		case line[0] >= 'a' && line[0] <= 'z' || strings.HasSuffix(b.String(), "."):
			b.WriteString(" ") // a wrapped sentence, or the next sentence
		default:
			b.WriteString("; ")
		}
		b.WriteString(line)
	}
	return b.String()
}

// getenv returns the value of name in the environment git processes get,
// or "".
func (r *Runner) getenv(name string) string {
	for i := len(r.env) - 1; i >= 0; i-- {
		if v, ok := strings.CutPrefix(r.env[i], name+"="); ok {
			return v
		}
	}
	return ""
}

// AlternateDirs returns the object directories GIT_ALTERNATE_OBJECT_DIRECTORIES
// names in the environment git processes get, absolute (relative ones are
// taken from Dir, as git does), for readers of the object store.
func (r *Runner) AlternateDirs() []string {
	v := r.getenv("GIT_ALTERNATE_OBJECT_DIRECTORIES")
	if v == "" {
		return nil
	}
	dirs := filepath.SplitList(v)
	for i, dir := range dirs {
		if !filepath.IsAbs(dir) {
			dirs[i] = filepath.Join(r.Dir, dir)
		}
	}
	return dirs
}
