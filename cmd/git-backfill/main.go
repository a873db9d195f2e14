// Command git-backfill is a git extension: run as "git backfill" (or
// directly as git-backfill), it downloads the blobs a partial clone lacks in
// large path-grouped batches.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/git-backfill/git-backfill/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
