package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"syscall"

	"github.com/git-backfill/git-backfill/exporters"
	"github.com/git-backfill/git-backfill/internal/export"
	"github.com/git-backfill/git-backfill/internal/git"
	"github.com/git-backfill/git-backfill/internal/selection"
)

// inprocessCommand, as the first argument, makes backfill-bench the
// in-process export baseline instead of the benchmark (export.go re-runs
// itself with it, so the baseline is a process measured like any other):
//
//	backfill-bench export-inprocess [--skip-diffs] <revision-range>...
//
// run in a repository, it does what "git backfill export <range>" does
// with the stdout exporter, minus the command line, the configuration and
// the plugin process: the same selection (internal/selection), diff bases
// (export.Bases) and records (export.Records, one diff process per CPU as
// the command's default), each record and a newline written to standard
// output through a 256 KiB buffer, as the stdout exporter does. Its output
// is the command's byte for byte, which export.go checks.
const inprocessCommand = "export-inprocess"

func inprocessExport(args []string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := runInprocess(ctx, args); err != nil {
		fmt.Fprintf(os.Stderr, "backfill-bench %s: %v\n", inprocessCommand, err)
		return 1
	}
	return 0
}

func runInprocess(ctx context.Context, args []string) error {
	opts := export.Options{Concurrency: runtime.NumCPU()}
	var revs []string
	for _, a := range args {
		if a == "--skip-diffs" {
			opts.SkipDiffs = true
			continue
		}
		revs = append(revs, a)
	}
	if len(revs) == 0 {
		return fmt.Errorf("usage: backfill-bench %s [--skip-diffs] <revision-range>", inprocessCommand)
	}
	dir, err := os.Getwd()
	if err != nil {
		return err
	}
	g := git.NewRunner(dir, os.Environ())
	commits, err := selection.Commits(ctx, g, selection.Request{Revs: revs})
	if err != nil {
		return err
	}
	pairs, err := export.Bases(ctx, g, commits, opts)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(os.Stdout, 256<<10)
	err = export.Records(ctx, g, pairs, opts, func(rec []byte, _ *exporters.Record) error {
		if _, err := w.Write(rec); err != nil {
			return err
		}
		return w.WriteByte('\n')
	})
	if err != nil {
		return err
	}
	return w.Flush()
}
