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
	"github.com/git-backfill/git-backfill/plugins"
)

func main() {
	// A built-in exporter is this binary re-executed by itself.
	if plugins.ServeBuiltin(os.Args[1:], cli.BuiltinExporters) {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	received := make(chan os.Signal, 1)
	go func() {
		s := <-signals
		received <- s
		cancel()
	}()
	code := cli.Main(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	// An interrupted run exits 130 (128 + SIGINT); one stopped by SIGTERM
	// says so the same way, 143.
	select {
	case s := <-received:
		if s == syscall.SIGTERM && code == 130 {
			code = 128 + int(syscall.SIGTERM)
		}
	default:
	}
	os.Exit(code)
}
