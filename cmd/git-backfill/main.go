// Command git-backfill is a git extension: run as "git backfill" (or
// directly as git-backfill), it downloads the blobs a partial clone lacks in
// large path-grouped batches.
package main

import (
	"os"

	"github.com/git-backfill/git-backfill/internal/cli"
	"github.com/git-backfill/git-backfill/plugins"
)

func main() {
	// A built-in exporter is this binary re-executed by itself.
	if plugins.ServeBuiltin(os.Args[1:], cli.BuiltinExporters) {
		return
	}
	os.Exit(cli.MainWithSignals(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
