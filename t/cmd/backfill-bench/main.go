// Command backfill-bench measures git-backfill against the limits git
// itself sets, as ratios taken in one run (SPEC.md §7); `make bench` runs
// it after the Go micro-benchmarks.
//
// For each preset it generates a server repository from parameters
// (generate.go, content.go), clones it blobless over file:// and measures,
// each measurement repeated -runs times and reported as the median:
//
//   - fetching everything (local.go): wall time and new pack bytes of
//     git-backfill against one "git fetch --stdin" of every missing blob,
//     the physical limit; at the default batch size and with batches
//     small enough for about -batches requests, with -j1 and the default -j;
//   - the re-run (local.go): git-backfill with nothing missing against
//     "git rev-list --objects --missing=print HEAD" over the same commits;
//   - peak RSS of git-backfill itself and of its process tree (measure.go);
//   - latency (latency.go, servers.go): git daemon on 127.0.0.1 behind
//     toxiproxy adding -latency each way; git-backfill with each -j of
//     -jobs against -j1, which is what the default -j is chosen from.
//
// The export preset (export.go) has a history of 10,000 commits instead,
// cloned in full, and measures "git backfill export" to /dev/null: commits/s
// with full diffs and with --skip-diffs against one "git log -p --raw
// --numstat" stream over the same commits; the stdout exporter's plugin
// process against the same JSONL written in-process (export_inprocess.go,
// this program re-run as "backfill-bench export-inprocess"); peak RSS of
// exports of 1,000 and 10,000 commits; then (mirror.go) --snapshot of a
// bare mirror of it against a full copy, and an incremental export that
// finds 10 new commits against a full one.
//
// It prints a table per measurement and ends with "ratio: <name> <preset>
// <value>" lines. Every process runs with a clean environment (sandbox.go)
// in a temporary directory that is removed at the end; servers listen on
// 127.0.0.1 only and are stopped on every exit path, Ctrl-C included.
//
// Usage:
//
//	backfill-bench [-preset=small|large|export|all] [-binary=bin/git-backfill]
//	               [-commits=n] [-paths=n] [-versions=n] [-size=bytes] [-seed=n]
//	               [-runs=3] [-batches=20] [-latency=25ms] [-jobs=1,2,4,8]
//	               [-toxiproxy=.cache/bin/toxiproxy-server] [-keep]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// presets: small runs in seconds (CI), large has tens of thousands of blobs
// and takes a few minutes with every measurement; export has many commits
// of about two small files each (generated in a few seconds) and is only
// exported (export.go).
var presets = []params{
	{Name: "small", Commits: 40, Paths: 100, Versions: 4, FileSize: 1500},
	{Name: "large", Commits: 2000, Paths: 10000, Versions: 4, FileSize: 2048},
	{Name: "export", Commits: 10000, Paths: 400, Versions: 50, FileSize: 1000, Export: true},
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == inprocessCommand {
		os.Exit(inprocessExport(os.Args[2:]))
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout)
	interrupted := ctx.Err() != nil
	stop()
	switch {
	case err != nil && interrupted:
		fmt.Fprintln(os.Stderr, "backfill-bench: interrupted")
		os.Exit(130)
	case errors.Is(err, flag.ErrHelp):
		os.Exit(0)
	case errors.Is(err, errUsage):
		os.Exit(2)
	case err != nil:
		fmt.Fprintf(os.Stderr, "backfill-bench: %v\n", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, out io.Writer) error {
	cfg, err := parseFlags(args)
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "backfill-bench-")
	if err != nil {
		return err
	}
	if cfg.keep {
		fmt.Fprintf(out, "keeping the work directory %s\n", dir)
	} else {
		defer os.RemoveAll(dir)
	}
	sb, err := newSandbox(dir)
	if err != nil {
		return err
	}
	b := &bench{sb: sb, binary: cfg.binary, toxiproxyBin: cfg.toxiproxy, runs: cfg.runs,
		batches: cfg.batches, latency: cfg.latency, jobs: cfg.jobs, keep: cfg.keep, out: out}
	b.defJobs = defaultJobs(ctx, sb, cfg.binary)
	fmt.Fprintf(out, "backfill-bench: %s (default -j%s), %s\n", cfg.binary, b.defJobs, gitVersion(ctx, sb))
	for _, p := range cfg.presets {
		if err := b.preset(ctx, p); err != nil {
			return err
		}
	}
	fmt.Fprintln(out)
	for _, line := range b.ratios {
		fmt.Fprintln(out, line)
	}
	return nil
}

// gitVersion returns "git version x.y.z" as the git on PATH says it.
func gitVersion(ctx context.Context, sb *sandbox) string {
	out, err := sb.git(ctx, sb.dir, "version")
	if err != nil {
		return "git version unknown"
	}
	return string(trimNewline(out))
}

func trimNewline(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return b
}
