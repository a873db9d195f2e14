// Command backfill-bench measures git-backfill against the limits git
// itself sets, as ratios taken in one run; `make bench` runs
// it after the Go micro-benchmarks.
//
// For each preset it makes a server repository, clones it blobless over
// file:// and measures, each measurement repeated -runs times and reported
// as the median:
//
//   - the walk (walk.go): "git-backfill --dry-run" in a fresh clone, which
//     walks the history and lists the batches it would fetch, against
//     "git rev-list --objects --missing=print HEAD" in the same clone,
//     both with standard output on /dev/null;
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
// The presets small and large are generated with every path written the
// same number of times (generate.go, content.go). The history preset
// (history.go) is shaped like git/git's history: 30,000 commits of 1 to 3
// changed files each over 3,200 paths in a few hundred nested directories,
// a few paths changed very often; it is generated in about 15 seconds
// (git fast-import: 266,000 objects, 60,000 of them blobs). The self
// preset is the repository the benchmark runs in (self.go), copied with
// "git clone --bare --no-local"; it fetches everything at the default
// settings only. Neither has latency runs.
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
// <value>" lines; among them "walk" (the dry run's time over rev-list's),
// "backfill_time_vs_one_fetch" (fetching everything at the default
// settings over one git fetch) and "rerun_time_vs_rev_list". Every process
// runs with a clean environment (sandbox.go) in a temporary directory that
// is removed at the end; servers listen on 127.0.0.1 only and are stopped
// on every exit path, Ctrl-C included.
//
// Usage:
//
//	backfill-bench [-preset=small|large|history|export|self|all]
//	               [-binary=bin/git-backfill]
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
	"slices"
	"strings"
	"syscall"
)

// presets: small runs in seconds (CI), large has tens of thousands of blobs
// and takes a few minutes with every measurement; history has about 60,000
// blobs and 30,000 commits shaped like git/git's (history.go), takes two to
// three minutes and has no latency runs (what -j buys depends on the
// number of requests, not on the shape of the history: small and large
// tell it); export has many commits of about two small files each
// (generated in a few seconds) and is only exported (export.go); self is
// this repository (self.go), measured at the default settings only.
// -preset=all runs them in this order.
var presets = []params{
	{Name: "small", Commits: 40, Paths: 100, Versions: 4, FileSize: 1500},
	{Name: "large", Commits: 2000, Paths: 10000, Versions: 4, FileSize: 2048},
	{Name: "history", Shape: history, Commits: 30000, Paths: 3200, FileSize: 1024, NoLatency: true},
	{Name: "export", Commits: 10000, Paths: 400, Versions: 50, FileSize: 1000, Export: true},
	{Name: "self", Shape: self, DefaultsOnly: true, NoLatency: true},
}

// presetNames lists the presets for the flag help: "small, large, ...".
var presetNames = func() string {
	var names []string
	for _, p := range presets {
		names = append(names, p.Name)
	}
	return strings.Join(names, ", ")
}()

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
	if slices.ContainsFunc(cfg.presets, func(p params) bool { return p.Shape == self }) {
		if b.self, err = selfRepo(ctx, sb); err != nil {
			return err
		}
	}
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
