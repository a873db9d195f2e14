package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	bfconfig "github.com/git-backfill/git-backfill/config"
	"github.com/git-backfill/git-backfill/exporters"
	"github.com/git-backfill/git-backfill/exporters/stdout"
	"github.com/git-backfill/git-backfill/internal/export"
	"github.com/git-backfill/git-backfill/internal/git"
	"github.com/git-backfill/git-backfill/internal/pipeline"
)

// inprocessCommand, as the first argument, makes backfill-bench the
// in-process export baseline instead of the benchmark (export.go re-runs
// itself with it, so the baseline is a process measured like any other):
//
//	backfill-bench export-inprocess [--skip-diffs] <revision-range>...
//
// run in a repository, it does what "git backfill export <range>" does
// with the stdout exporter, minus the command line, the configuration and
// the plugin process: the same export pipeline (internal/pipeline) with the
// stdout exporter running in this process, one diff process per CPU as the
// command's default. Its output is the command's byte for byte, which
// export.go checks.
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
	var opts export.Options
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
	repo, err := g.Discover(ctx)
	if err != nil {
		return err
	}
	cfg, err := g.ReadConfig(ctx)
	if err != nil {
		return err
	}
	_, err = pipeline.Run(ctx, pipeline.Request{
		Git: g, Repo: repo, Config: cfg, Revs: revs, Remote: "origin", Diffs: opts,
		Exporters: []bfconfig.ExporterConfig{{Name: "stdout", Type: "stdout"}},
		Launch: func(context.Context, bfconfig.ExporterConfig) (exporters.Exporter, func() error, error) {
			return stdout.New(), nil, nil
		},
		Dir:      dir,
		Metadata: exporters.Metadata{Tool: "backfill-bench"},
		Warn:     os.Stderr,
	})
	return err
}
