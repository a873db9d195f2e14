package cli

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/git-backfill/git-backfill/internal/git"
	"github.com/git-backfill/git-backfill/internal/pipeline"
)

// Exit codes, as docs/exit-codes.md documents them. They match git's own where git has one.
const (
	exitOK          = 0
	exitPartial     = 1   // some objects could not be fetched; the rest landed
	exitFatal       = 128 // "fatal: ...", as git dies
	exitUsage       = 129 // bad command line, and -h, as git's parse-options
	exitInterrupted = 130 // 128 + SIGINT; 143 (128 + SIGTERM) when SIGTERM stopped it: see interruptedCode
)

// errHelpShown ends a run after -h printed the usage: exit 129 as git does,
// with nothing more to say.
var errHelpShown = errors.New("help shown")

// errHelpDone ends a run after --help printed the usage: exit 0.
var errHelpDone = errors.New("help done")

// partialError reports work that finished with some items left undone.
type partialError struct{ msg string }

func (e *partialError) Error() string { return e.msg }

// report prints err the way git would and returns the exit code for it.
// This is the only place that turns errors into exit codes.
func report(ctx context.Context, stderr io.Writer, err error) int {
	var usage *usageError
	var partial *partialError
	var exportPartial *pipeline.PartialError
	var gitErr *git.Error
	switch {
	case err == nil:
		return exitOK
	case err == errHelpShown:
		return exitUsage
	case err == errHelpDone:
		return exitOK
	case ctx.Err() != nil || errors.Is(err, context.Canceled):
		fmt.Fprintln(stderr, "git-backfill: interrupted; objects already fetched are kept, run again to continue")
		return interruptedCode(ctx)
	case errors.As(err, &usage):
		fmt.Fprintf(stderr, "error: %s\n", usage.msg)
		line, help := usageLine, "git backfill -h"
		if usage.usage != "" && usage.usage != usageLine {
			line, help = usage.usage, "git backfill export -h"
		}
		fmt.Fprintf(stderr, "usage: %s\n   or: see '%s'\n", line, help)
		return exitUsage
	case errors.As(err, &partial):
		fmt.Fprintf(stderr, "error: %s\n", partial.msg)
		return exitPartial
	case errors.As(err, &exportPartial):
		fmt.Fprintf(stderr, "error: %s\n", exportPartial.Msg)
		return exitPartial
	case errors.As(err, &gitErr) && gitErr == err && gitErr.Stderr != "":
		// A bare git failure (not wrapped with our context) reads best as
		// git's own words.
		fmt.Fprintf(stderr, "fatal: %s\n", gitErr.Message())
		return exitFatal
	default:
		fmt.Fprintf(stderr, "fatal: %s\n", err)
		return exitFatal
	}
}
