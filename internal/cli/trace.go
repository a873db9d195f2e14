package cli

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/git-backfill/git-backfill/internal/credential"
	"github.com/git-backfill/git-backfill/internal/trace2"
)

// startTrace starts the trace2 session that GIT_TRACE2_EVENT, GIT_TRACE2
// or GIT_TRACE2_PERF in environ asks for, as a git command does: the
// version, start (the command line) and cmd_name events, with "backfill"
// as the command's name. It returns the context that carries the session
// to the code that tells events, environ for the git processes we start
// (naming our session as their parent, so their events nest under ours),
// and the function that ends the session with the exit code and returns
// that code. Without a trace2 variable set, it returns ctx and environ as
// they are and opens nothing.
func startTrace(ctx context.Context, args, environ []string, stderr io.Writer) (context.Context, []string, func(code int) int) {
	if len(args) > 0 && args[0] == credential.HelperCommand {
		// The relay's helper runs inside a git fetch, whose own trace
		// shows it as a child process: a session of its own is noise.
		return ctx, environ, func(code int) int { return code }
	}
	tr := trace2.Open(environ, trace2.Options{
		Version: version,
		Stderr:  stderr,
		Warn:    func(msg string) { fmt.Fprintf(stderr, "warning: %s\n", msg) },
	})
	if tr == nil {
		return ctx, environ, func(code int) int { return code }
	}
	argv0 := "git-backfill"
	if len(os.Args) > 0 {
		argv0 = os.Args[0]
	}
	tr.Start(append([]string{argv0}, args...))
	tr.CmdName("backfill")
	return trace2.NewContext(ctx, tr), tr.Environ(environ), func(code int) int {
		tr.Exit(code)
		return code
	}
}
