// Package cli is git-backfill's command line: it parses arguments, loads
// configuration, runs the command and maps its outcome to an exit code.
package cli

import (
	"context"
	"io"
	"os"

	"github.com/git-backfill/git-backfill/internal/credential"
)

// Main runs git-backfill with args (without the program name) and returns
// the process exit code. It never calls os.Exit and writes only to the
// given streams (and to the trace2 targets the environment names).
func Main(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, environ, exit := startTrace(ctx, args, os.Environ(), stderr)
	dir, err := os.Getwd()
	if err != nil {
		return exit(report(ctx, stderr, err))
	}
	cmd := &command{
		dir: dir, environ: environ,
		stdin: stdin, stdout: stdout, stderr: stderr,
	}
	err = cmd.dispatch(ctx, args)
	cmd.close()
	return exit(report(ctx, stderr, err))
}

// dispatch runs the subcommand named by the first argument; anything else
// is "git backfill" itself (whose arguments are revisions and options).
func (c *command) dispatch(ctx context.Context, args []string) error {
	if len(args) > 0 {
		switch args[0] {
		case "export":
			return c.export(ctx, args[1:])
		case "exporters":
			return c.exporters(ctx, args[1:])
		case credential.HelperCommand:
			return c.credentialRelay(args[1:])
		}
	}
	return c.backfill(ctx, args)
}
