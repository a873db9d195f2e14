package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"runtime"
	"sync"
	"time"

	"github.com/git-backfill/git-backfill/config"
	"github.com/git-backfill/git-backfill/internal/backfill"
	"github.com/git-backfill/git-backfill/internal/git"
)

// command is "git backfill": its inputs and its streams.
// command holds what every subcommand runs with: the user's directory,
// environment and streams.
type command struct {
	dir     string
	environ []string
	stdin   io.Reader
	stdout  io.Writer
	stderr  io.Writer
	// closers end what the run started on demand (the credential relay).
	closeMu sync.Mutex
	closers []func() error
}

// session is a command's repository and settings, once set up.
type session struct {
	runner   *git.Runner
	repo     *git.Repo
	gitCfg   git.Config
	settings *config.Settings
	sources  []config.Source // settings' sources, highest precedence first
	// maintenance is what git would run after fetching, by its config.
	maintenance git.AutoMaintenance
}

// parse reads a subcommand's arguments; -h and --help print its usage.
func (c *command) parse(opts []option, usage string, posArgs []usageArg, args []string) (*parsedArgs, error) {
	p, err := parseArgs(opts, args)
	if err != nil {
		return nil, withUsage(err, usage)
	}
	if p.help {
		writeUsage(c.stdout, usage, opts, posArgs)
		if len(args) > 0 && args[len(args)-1] == "--help" {
			return nil, errHelpDone
		}
		return nil, errHelpShown
	}
	return p, nil
}

// open finds the repository and merges the configuration.
func (c *command) open(ctx context.Context, opts []option, p *parsedArgs) (*session, error) {
	runner := c.withCredentialRelay(ctx, git.NewRunner(c.dir, c.environ))
	// Reading the configuration does not depend on what discovery finds:
	// both run at once (each git process costs milliseconds, which is most
	// of a small repository's run).
	type configRead struct {
		cfg git.Config
		err error
	}
	cfgc := make(chan configRead, 1)
	go func() {
		cfg, err := runner.ReadConfig(ctx)
		cfgc <- configRead{cfg, err}
	}()
	repo, err := runner.Discover(ctx)
	cfg := <-cfgc
	if err != nil {
		return nil, err
	}
	gitCfg, err := cfg.cfg, cfg.err
	if err != nil {
		return nil, err
	}
	runner.UseConfig(gitCfg) // fetches decide their route from it
	settings, sources, err := c.loadSettings(repo, gitCfg, opts, p)
	if err != nil {
		return nil, err
	}
	maintenance, err := git.AutoMaintenancePolicy(gitCfg)
	if err != nil {
		return nil, err
	}
	return &session{runner: runner, repo: repo, gitCfg: gitCfg, settings: settings, sources: sources, maintenance: maintenance}, nil
}

// backfill is "git backfill".
func (c *command) backfill(ctx context.Context, args []string) error {
	p, err := c.parse(backfillOptions, usageLine, backfillArgs, args)
	if err != nil {
		return err
	}
	if v := p.flags.Stats; v != nil && *v != "json" {
		return usagef("--stats: unknown format %q (supported: json)", *v)
	}
	s, err := c.open(ctx, backfillOptions, p)
	if err != nil {
		return withUsage(err, usageLine)
	}
	runner, repo, gitCfg, settings := s.runner, s.repo, s.gitCfg, s.settings
	// The sparse-checkout first: --sparse without one fails even where
	// there would be nothing to fetch, as in git's builtin.
	filter, err := c.buildFilter(ctx, runner, repo, gitCfg, settings.Sparse, p.pathspecs)
	if err != nil {
		return err
	}
	var stdin []byte
	if p.stdin {
		// Read once: the walk may need the list twice (see RangeRevs).
		if stdin, err = io.ReadAll(c.stdin); err != nil {
			return fmt.Errorf("reading standard input: %w", err)
		}
	}
	informs := c.informs(p)
	remote := settings.Remote
	if remote == "" {
		remotes := gitCfg.PromisorRemotes()
		if len(remotes) == 0 {
			return c.notPartialClone(ctx, runner, p, stdin, informs)
		}
		remote = remotes[0]
	}
	revs, rangeRevs := p.revs, p.rangeRevs
	fromHEAD := !hasTips(rangeRevs)
	if fromHEAD {
		// As git log: with no starting point, start from HEAD. Whether
		// HEAD has a commit is only asked when the walk fails, which
		// saves a process on every run.
		revs, rangeRevs = append(revs, "HEAD"), append(rangeRevs, "HEAD")
	}
	req := c.fetchRequest(s, remote)
	req.Revs, req.RangeRevs = revs, rangeRevs
	req.IncludeEdges = settings.IncludeEdges
	req.Filter = filter
	req.DryRun = p.flags.DryRun
	req.Counters = &backfill.Counters{}
	req.Stdin = stdin
	if req.DryRun {
		req.Plan = c.stdout
	}
	quiet := p.flags.Quiet
	var meter *backfillMeter
	if c.showProgress(p, quiet) {
		meter = startBackfillMeter(c.stderr, req.Counters, !req.DryRun)
	}
	// A wait for another run's lock may be long: it is said wherever
	// stderr goes, or a script would seem to hang for no reason.
	if !quiet {
		req.Waiting = func() {
			fmt.Fprintln(c.stderr, "backfill: waiting for another git backfill of this repository to finish")
		}
	}
	b := &backfill.Backfiller{Git: runner, Repo: repo}
	st, err := b.Run(ctx, req)
	if meter != nil {
		meter.Stop(err == nil && ctx.Err() == nil)
	}
	if err != nil && fromHEAD && ctx.Err() == nil && st.Commits == 0 {
		if !runner.HasCommit(ctx, "HEAD") {
			if informs {
				fmt.Fprintln(c.stderr, "backfill: HEAD has no commits yet: nothing to backfill")
			}
			return nil
		}
	}
	if err != nil {
		err = badRevision(err, p, c.dir)
	}
	// After a failure the summary says what landed, if anything did,
	// wherever stderr goes: it is part of the error report then.
	failed := err != nil || len(st.Failed) > 0
	if (informs && err == nil) || (!quiet && failed && st.Blobs > 0) {
		fmt.Fprintln(c.stderr, summary(st, req.DryRun, req.Filter != nil))
	}
	if p.flags.Stats != nil {
		if jerr := writeJSONStats(c.stderr, st, req.DryRun); jerr != nil && err == nil {
			err = jerr
		}
	}
	if err == nil && len(st.Failed) > 0 {
		err = failuresError(st.Failed)
	}
	return err
}

// notPartialClone ends a backfill in a repository without a promisor
// remote, where no blob can be missing. git's builtin walks the history
// all the same and finds nothing to fetch; we spare the walk but still
// refuse a revision the walk would have refused.
func (c *command) notPartialClone(ctx context.Context, runner *git.Runner, p *parsedArgs, stdin []byte, informs bool) error {
	if hasTips(p.rangeRevs) {
		if err := runner.CheckRevisions(ctx, p.revs, bytes.NewReader(stdin)); err != nil {
			return badRevision(err, p, c.dir)
		}
	}
	if informs {
		fmt.Fprintln(c.stderr, "backfill: not a partial clone (no promisor remote): nothing to backfill")
	}
	return nil
}

// Fetch tuning that needs no knob: a failing batch is tried three times,
// 0.5 s then 1 s apart, before it is bisected; a fetch with no progress for
// two minutes is stopped, and once the pack is on its way, after ten times
// the longest pause in its progress so far, at least 10 s (git.FetchObjects). A remote gets 8 s to answer the probe ("git
// ls-remote") that tells "unreachable" (fatal) from "will not send some
// objects" (partial); the probe also runs when a fetch has shown no sign of
// life for 5 s (a server normally reports within a second), so a remote
// that accepts connections and never answers is fatal in about 13 s.
const (
	fetchAttempts  = 3
	fetchBackoff   = 500 * time.Millisecond
	stallTimeout   = 2 * time.Minute
	silenceTimeout = 5 * time.Second
	probeTimeout   = 8 * time.Second
)

// fetchRequest holds the fetch settings git backfill and the export's
// blobs-first and missing-commit fetches share.
func (c *command) fetchRequest(s *session, remote string) backfill.Request {
	jobs := s.settings.Jobs
	return backfill.Request{
		Remote: remote, MinBatchSize: int(s.settings.MinBatchSize), MaxBatchSize: int(s.settings.MaxBatchSize),
		Jobs: jobs, Retries: fetchAttempts, Backoff: fetchBackoff, StallTimeout: stallTimeout,
		SilenceTimeout: silenceTimeout, ProbeTimeout: probeTimeout,
		Readers: treeReaders(), Maintenance: s.maintenance,
	}
}

// treeReaders is how many cat-file processes read trees for the walk: one
// per core, up to 4. More cores than that go to the fetches.
func treeReaders() int {
	return min(max(runtime.NumCPU(), 1), 4)
}
