package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"github.com/git-backfill/git-backfill/config"
	"github.com/git-backfill/git-backfill/exporters"
	"github.com/git-backfill/git-backfill/internal/export"
	"github.com/git-backfill/git-backfill/internal/pipeline"
	"github.com/git-backfill/git-backfill/internal/progress"
)

// export is "git backfill export"; its usage errors show its own usage.
func (c *command) export(ctx context.Context, args []string) error {
	return withUsage(c.runExport(ctx, args), exportUsageLine)
}

func (c *command) runExport(ctx context.Context, args []string) error {
	p, err := c.parse(exportOptions, exportUsageLine, exportArgs, args)
	if err != nil {
		return err
	}
	s, err := c.open(ctx, exportOptions, p)
	if err != nil {
		return withUsage(err, exportUsageLine)
	}
	if archive := p.flags.Upload; archive != "" {
		return c.upload(ctx, s, p, archive)
	}
	if bk, ok := buildkiteExporter(c.exporterConfigs(s, p)); ok {
		if err := c.withBktecSettings(s, bk); err != nil {
			return withUsage(err, exportUsageLine)
		}
	}
	req, done, err := c.exportRequest(ctx, s, p)
	if errors.Is(err, errNothingToExport) {
		if !p.flags.Quiet {
			fmt.Fprintf(c.stderr, "export: Buildkite lists no commit of the last %s; nothing to export\n", progress.Plural(s.settings.Days, "day", "days"))
		}
		return nil
	}
	if err != nil {
		return err
	}
	defer done()
	sum, err := pipeline.Run(ctx, req)
	if len(sum.Exporters) > 0 && !p.flags.Quiet {
		c.exportSummary(sum.Records, sum.Exporters, sum.Elapsed)
	}
	return err
}

// exportRequest turns the command line and the settings into the
// pipeline's request. done closes what the request holds open.
func (c *command) exportRequest(ctx context.Context, s *session, p *parsedArgs) (req pipeline.Request, done func(), err error) {
	done = func() {}
	sc, err := c.scope(ctx, s, p)
	if err != nil {
		return req, done, err
	}
	quiet := p.flags.Quiet
	req = pipeline.Request{
		Git: s.runner, Repo: s.repo, Config: s.gitCfg,
		Revs: p.revs, Days: s.settings.Days, Remote: s.remote(),
		Pathspecs: sc.specs, Filter: sc.filter,
		Diffs: export.Options{
			DiffBase: s.settings.DiffBase, SkipDiffs: s.settings.SkipDiffs, Concurrency: s.settings.Concurrency,
		},
		Fetch:       c.fetchRequest(s, ""),
		Incremental: p.flags.Incremental,
		Snapshot:    s.settings.Snapshot,
		Exporters:   c.chosenExporters(s, p),
		Launch:      c.launchExporter,
		Dir:         c.dir,
		Metadata:    c.metadata(s, p),
		Warn:        c.stderr,
	}
	if !quiet {
		req.Log = c.stderr
	}
	if c.showProgress(p, quiet) {
		req.Meter = c.exportMeter
	}
	if bk, ok := buildkiteExporter(req.Exporters); ok && len(p.revs) == 0 && p.flags.CommitsFrom == nil && !p.stdin {
		req, err = c.buildkiteCommits(ctx, s, bk, req)
		return req, done, err
	}
	if p.flags.CommitsFrom != nil {
		if len(p.revs) > 0 {
			return req, done, usagef("--commits-from cannot be combined with a revision range")
		}
		return c.listed(ctx, req, *p.flags.CommitsFrom)
	}
	if p.stdin {
		if req.Stdin, err = io.ReadAll(c.stdin); err != nil {
			return req, done, fmt.Errorf("reading standard input: %w", err)
		}
	}
	return req, done, nil
}

// listed makes req export the commits listed in the file from ("-":
// standard input).
func (c *command) listed(ctx context.Context, req pipeline.Request, from string) (pipeline.Request, func(), error) {
	if from == "-" {
		req.Listed, req.ListedName = c.stdin, "standard input"
		return req, func() {}, nil
	}
	// Opening a FIFO waits for a writer, in a system call no signal
	// interrupts: the wait happens aside, and Ctrl-C ends it.
	type opened struct {
		f   *os.File
		err error
	}
	ch := make(chan opened, 1)
	go func() {
		f, err := os.Open(pipeline.AbsPath(c.dir, from))
		ch <- opened{f, err}
	}()
	select {
	case o := <-ch:
		if o.err != nil {
			return req, func() {}, fmt.Errorf("--commits-from: %w", o.err)
		}
		req.Listed, req.ListedName = o.f, from
		return req, func() { o.f.Close() }, nil
	case <-ctx.Done():
		go func() {
			if o := <-ch; o.f != nil {
				o.f.Close()
			}
		}()
		return req, func() {}, ctx.Err()
	}
}

// exporterConfigs are the configurations of the exporters named by
// --exporter, else by the settings, as configured.
func (c *command) exporterConfigs(s *session, p *parsedArgs) []config.ExporterConfig {
	names := p.lists["exporter"]
	if len(names) == 0 {
		names = s.settings.Exporters
	}
	configs := make([]config.ExporterConfig, len(names))
	for i, name := range names {
		configs[i], _ = s.settings.Exporter(name)
	}
	return configs
}

// chosenExporters resolves --exporter, --output and the configuration into
// the exporters to run: stdout when none is named.
func (c *command) chosenExporters(s *session, p *parsedArgs) []config.ExporterConfig {
	var chosen []config.ExporterConfig
	var out string
	if p.flags.Output != nil {
		out = pipeline.AbsPath(c.dir, *p.flags.Output)
	}
	outputTaken := false
	for _, cfg := range c.exporterConfigs(s, p) {
		if cfg.Type == "parquet" {
			// Its manifest lives in the repository's partition, which an
			// incremental export reads before the export's metadata is sent.
			cfg.Options = withOption(cfg.Options, "repository", s.repoName(), false)
		}
		if cfg.Type == "buildkite" {
			cfg.Options = buildkiteOptions(s, cfg)
			// As bktec's --output: the archive is written there, not
			// uploaded.
			if out != "" {
				cfg.Options["output"], outputTaken = out, true
			}
		}
		chosen = append(chosen, cfg)
	}
	if out != "" && !outputTaken {
		chosen = append(chosen, config.ExporterConfig{Name: "tar", Type: "tar", Options: map[string]string{"output": out}})
	}
	if len(chosen) == 0 {
		chosen = append(chosen, config.ExporterConfig{Name: "stdout", Type: "stdout"})
	}
	return chosen
}

// exportMeter draws "Exporting commits" while the records go out.
func (c *command) exportMeter(total int64, done *atomic.Int64) func(bool) {
	m := progress.Start(c.stderr, "Exporting commits", 100*time.Millisecond, func() progress.Sample {
		return progress.Sample{Done: done.Load(), Total: total, TotalFinal: true, Unit: "commits"}
	})
	return m.Stop
}

// remote is the remote of the default branch and of missing commits.
func (s *session) remote() string {
	if s.settings.Remote != "" {
		return s.settings.Remote
	}
	return "origin"
}

// metadata describes the export for metadata.json; the pipeline adds the
// time and the diff settings.
func (c *command) metadata(s *session, p *parsedArgs) exporters.Metadata {
	meta := exporters.Metadata{Tool: "git-backfill", Version: version, Repository: s.repoName()}
	if e, ok := s.gitCfg.Get("remote." + s.remote() + ".url"); ok {
		meta.Remote = redactURL(e.Value)
	}
	switch {
	case p.flags.CommitsFrom != nil && *p.flags.CommitsFrom != "":
		meta.Selection.CommitsFrom = *p.flags.CommitsFrom
	case len(p.revs) > 0:
		meta.Selection.Range = p.revs
	default:
		meta.Selection.Days = s.settings.Days
	}
	meta.Selection.Pathspecs = p.pathspecs
	return meta
}

// withOption returns a copy of options with key (in any case) set to
// value: replacing the value it has, or only when it has none.
func withOption(options map[string]string, key, value string, replace bool) map[string]string {
	out := maps.Clone(options)
	if out == nil {
		out = map[string]string{}
	}
	for k := range out {
		if strings.EqualFold(k, key) {
			if !replace {
				return out
			}
			delete(out, k)
		}
	}
	out[key] = value
	return out
}
