package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"hash"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"time"
)

// exportVariant is one command measured by exportRuns.
type exportVariant struct {
	label   string
	commits int              // commits it covers
	cmd     func() *exec.Cmd // unstarted, standard output not set
}

// exportPreset generates p's repository, clones it in full over file://
// (no promisor remote: the export fetches nothing, so only its own work is
// measured) and runs exportRuns on the clone. Presets with Export set run
// only this; the backfill measurements need a blobless clone.
func (b *bench) exportPreset(ctx context.Context, p params) error {
	dir := filepath.Join(b.sb.dir, p.Name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if !b.keep {
		defer os.RemoveAll(dir)
	}
	server, clone := filepath.Join(dir, "server.git"), filepath.Join(dir, "clone")
	fmt.Fprintf(b.out, "\n== preset %s: %s (seed %d)\n", p.Name, p, p.Seed)
	start := time.Now()
	if err := generate(ctx, b.sb, p, server); err != nil {
		return fmt.Errorf("generating %s: %w", p.Name, err)
	}
	gen := time.Since(start)
	start = time.Now()
	if _, err := b.sb.git(ctx, dir, "clone", "--quiet", "--no-checkout", "file://"+server, clone); err != nil {
		return err
	}
	cloneTime := time.Since(start)
	out, err := b.sb.git(ctx, clone, "rev-list", "--count", "HEAD")
	if err != nil {
		return err
	}
	total, err := strconv.Atoi(string(trimNewline(out)))
	if err != nil {
		return fmt.Errorf("git rev-list --count HEAD: %q", out)
	}
	fmt.Fprintf(b.out, "generated in %s (server pack %s); full clone in %s: %d commits, nothing to fetch\n",
		seconds(gen), humanBytes(dirBytes(filepath.Join(server, "objects", "pack"), ".pack")), seconds(cloneTime), total)
	if err := b.exportRuns(ctx, p, clone, total); err != nil {
		return err
	}
	return b.mirrorRuns(ctx, p, server, clone, total)
}

// exportRuns measures "git backfill export" with the stdout exporter over
// all total commits of HEAD in clone, standard output on /dev/null:
//
//   - throughput, with full diffs and with --skip-diffs, against the limit:
//     one "git log -p --raw --numstat" stream over the same commits (and,
//     for --skip-diffs, the same without -p);
//   - the plugin's cost: the same export done in-process by this program
//     (export_inprocess.go), which writes the same JSONL without the
//     command line, the configuration and the exporter's plugin process;
//   - memory against the number of commits: peak RSS of an export of the
//     last min(1000, total/10) commits against one of all of them.
//
// First every export runs once into a digest, not timed: the in-process
// JSONL must be git-backfill's byte for byte and hold one line per commit
// (and the runs warm the page cache). Then rounds alternate the variants,
// as local does.
func (b *bench) exportRuns(ctx context.Context, p params, clone string, total int) error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	devNull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	defer devNull.Close()
	backfill := func(args ...string) func() *exec.Cmd {
		return func() *exec.Cmd {
			return b.sb.command(ctx, clone, b.binary, append([]string{"export"}, args...)...)
		}
	}
	inprocess := func(args ...string) func() *exec.Cmd {
		return func() *exec.Cmd {
			return b.sb.command(ctx, clone, self, append([]string{inprocessCommand}, args...)...)
		}
	}
	gitLog := func(args ...string) func() *exec.Cmd {
		return func() *exec.Cmd {
			return b.sb.command(ctx, clone, "git", append(append([]string{"log"}, args...),
				"--numstat", "--no-color", "--no-ext-diff", "--no-textconv", "HEAD")...)
		}
	}
	const (
		logPatch = iota
		logRaw
		plugin
		pluginSkip
		inproc
		inprocSkip
		pluginSmall
		inprocSmall
	)
	small := min(1000, total/10)
	n := strconv.Itoa(small)
	variants := []exportVariant{
		logPatch:    {"git log -p --raw --numstat HEAD (limit)", total, gitLog("-p", "--raw")},
		logRaw:      {"git log --raw --numstat HEAD (no patches)", total, gitLog("--raw")},
		plugin:      {"git-backfill export HEAD (stdout exporter)", total, backfill("HEAD")},
		pluginSkip:  {"git-backfill export --skip-diffs HEAD", total, backfill("--skip-diffs", "HEAD")},
		inproc:      {"in-process export HEAD (no plugin)", total, inprocess("HEAD")},
		inprocSkip:  {"in-process export --skip-diffs HEAD", total, inprocess("--skip-diffs", "HEAD")},
		pluginSmall: {"git-backfill export -n " + n + " HEAD", small, backfill("-n", n, "HEAD")},
		inprocSmall: {"in-process export -n " + n + " HEAD", small, inprocess("-n", n, "HEAD")},
	}
	if small < 1 {
		variants = variants[:pluginSmall]
	}

	outputs := make([]*digest, len(variants))
	for i, v := range variants {
		if outputs[i], err = b.digestRun(v.cmd()); err != nil {
			return err
		}
		if i >= plugin && outputs[i].lines != int64(v.commits) {
			return fmt.Errorf("%s wrote %d lines for %d commits", v.label, outputs[i].lines, v.commits)
		}
	}
	for _, pair := range [][2]int{{plugin, inproc}, {pluginSkip, inprocSkip}, {pluginSmall, inprocSmall}} {
		if pair[1] < len(variants) && !outputs[pair[0]].same(outputs[pair[1]]) {
			return fmt.Errorf("the in-process baseline does not write git-backfill's JSONL: %q wrote %s, %q %s",
				variants[pair[0]].label, outputs[pair[0]], variants[pair[1]].label, outputs[pair[1]])
		}
	}

	results := make([][]sample, len(variants))
	for range b.runs {
		for i, v := range variants {
			cmd := v.cmd()
			cmd.Stdout = devNull
			resetPeak()
			s, _, err := timed(cmd, "")
			if err != nil {
				return err
			}
			results[i] = append(results[i], s)
		}
	}
	s := make([]sample, len(variants))
	for i := range variants {
		s[i] = summarize(results[i])
	}
	rate := func(i int) string {
		if s[i].wall <= 0 {
			return "-"
		}
		return fmt.Sprintf("%.0f", float64(variants[i].commits)/s[i].wall.Seconds())
	}

	empty := 0
	for _, paths := range schedule(p) {
		if len(paths) == 0 {
			empty++
		}
	}
	t := b.table(fmt.Sprintf("export of HEAD's %d commits from a full clone, standard output on /dev/null (median of %d; RSS: peak)", total, b.runs),
		"time", "x git log -p", "commits/s", "output", "rss self", "rss tree")
	for i := range inprocSkip + 1 {
		t.row(variants[i].label, seconds(s[i].wall), ratio(s[i].wall, s[logPatch].wall), rate(i),
			humanBytes(outputs[i].bytes), kib(s[i].rssSelf), kib(s[i].rssTree))
	}
	t.flush(fmt.Sprintf("a full clone over file:// has no promisor remote: nothing is fetched, only the export is measured.\n"+
		"linear history, %d of the commits without changes; each git log is one process on one core,\n"+
		"the exports run one diff-tree per CPU (the default --concurrency).\n"+
		"in-process: this program's %q mode, the same selection, export.Bases and export.Records\n"+
		"with the JSONL written to a 256 KiB buffer: no command line, configuration or plugin process.\n"+
		"checked before timing: its JSONL is git-backfill's byte for byte, one line per commit.\n"+
		"rss self: the process alone (sampled); rss tree: the largest of it and every process it\n"+
		"waited for (its git processes; git-backfill's plugin process).",
		empty, inprocessCommand))
	b.ratio("export_time_vs_git_log", p.Name, ratio(s[plugin].wall, s[logPatch].wall))
	b.ratio("export_skipdiffs_time_vs_git_log", p.Name, ratio(s[pluginSkip].wall, s[logPatch].wall))
	b.ratio("export_skipdiffs_time_vs_git_log_no_patch", p.Name, ratio(s[pluginSkip].wall, s[logRaw].wall))

	t = b.table("plugin overhead: the stdout exporter's plugin process against the same JSONL written in-process",
		"plugin", "in-process", "x in-process", "difference", "rss git-backfill", "rss in-process")
	for _, row := range []struct {
		label string
		a, b  int
	}{{"full diffs", plugin, inproc}, {"--skip-diffs", pluginSkip, inprocSkip}, {"-n " + n, pluginSmall, inprocSmall}} {
		if row.b >= len(variants) {
			continue
		}
		a, c := s[row.a], s[row.b]
		t.row(row.label, seconds(a.wall), seconds(c.wall), ratio(a.wall, c.wall),
			fmt.Sprintf("%+.0fms", (a.wall-c.wall).Seconds()*1000), kib(a.rssSelf), kib(c.rssSelf))
	}
	t.flush("the plugin column is git-backfill export as users run it: command line, configuration,\n" +
		"the exporter started as a plugin process and the records sent to it in batches over gRPC")
	b.ratio("export_plugin_vs_inprocess", p.Name, ratio(s[plugin].wall, s[inproc].wall))
	b.ratio("export_skipdiffs_plugin_vs_inprocess", p.Name, ratio(s[pluginSkip].wall, s[inprocSkip].wall))

	if small < 1 {
		return nil
	}
	t = b.table(fmt.Sprintf("memory against history size: exports of %d and %d commits with full diffs (RSS: peak of %d runs)", small, total, b.runs),
		"time", "commits/s", "output", "rss self", "rss tree", "in-process rss")
	t.row(variants[pluginSmall].label, seconds(s[pluginSmall].wall), rate(pluginSmall),
		humanBytes(outputs[pluginSmall].bytes), kib(s[pluginSmall].rssSelf), kib(s[pluginSmall].rssTree), kib(s[inprocSmall].rssSelf))
	t.row(fmt.Sprintf("git-backfill export HEAD (all %d)", total), seconds(s[plugin].wall), rate(plugin),
		humanBytes(outputs[plugin].bytes), kib(s[plugin].rssSelf), kib(s[plugin].rssTree), kib(s[inproc].rssSelf))
	t.row(fmt.Sprintf("%d vs %d commits", total, small), ratio(s[plugin].wall, s[pluginSmall].wall), "",
		ratio(outputs[plugin].bytes, outputs[pluginSmall].bytes), ratio(s[plugin].rssSelf, s[pluginSmall].rssSelf),
		ratio(s[plugin].rssTree, s[pluginSmall].rssTree), ratio(s[inproc].rssSelf, s[inprocSmall].rssSelf))
	t.flush("bounded memory: rss self stays near flat while commits, time and output grow; rss tree is the\n" +
		"largest of git-backfill, its git processes and the plugin process (the git processes' own\n" +
		"memory grows with the history they read, as git log's does)")
	b.ratio(fmt.Sprintf("export_rss_%d_vs_%d", total, small), p.Name, ratio(s[plugin].rssSelf, s[pluginSmall].rssSelf))
	b.ratio(fmt.Sprintf("export_inprocess_rss_%d_vs_%d", total, small), p.Name, ratio(s[inproc].rssSelf, s[inprocSmall].rssSelf))
	return nil
}

// digest is what a process wrote to its standard output: a hash, the
// size and the number of lines.
type digest struct {
	h     hash.Hash
	bytes int64
	lines int64
}

func (d *digest) Write(p []byte) (int, error) {
	d.h.Write(p)
	d.bytes += int64(len(p))
	d.lines += int64(bytes.Count(p, []byte("\n")))
	return len(p), nil
}

func (d *digest) same(o *digest) bool {
	return d.bytes == o.bytes && d.lines == o.lines && bytes.Equal(d.h.Sum(nil), o.h.Sum(nil))
}

func (d *digest) String() string {
	return fmt.Sprintf("%d lines, %d bytes, sha256 %x", d.lines, d.bytes, d.h.Sum(nil)[:8])
}

// digestRun runs cmd (not yet started) to completion, untimed, and returns
// the digest of its standard output.
func (b *bench) digestRun(cmd *exec.Cmd) (*digest, error) {
	d := &digest{h: sha256.New()}
	var stderr limitedBuffer
	cmd.Stdout, cmd.Stderr = d, &stderr
	if err := cmd.Run(); err != nil {
		return nil, commandError(cmd, err, stderr.Bytes())
	}
	return d, nil
}

// resetPeak lowers this program's peak RSS to what it uses now. A child
// starts as a vfork of this process (os/exec uses CLONE_VM), and on exec
// Linux carries the peak of the memory it leaves, ours, into the child's
// rusage Maxrss: without the reset every "rss tree" would read at least
// this program's own peak, which generating the repositories raised.
// Writing 5 to clear_refs resets the peak (Linux 4.0 and later); where it
// fails the figures are only less exact.
func resetPeak() {
	debug.FreeOSMemory()
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}
