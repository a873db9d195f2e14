package cli

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/git-backfill/git-backfill/config"
	"github.com/git-backfill/git-backfill/exporters/buildkite"
	"github.com/git-backfill/git-backfill/internal/pipeline"
)

// With a buildkite exporter, "git backfill export" stands in for bktec's
// backfill-commit-metadata: bktec's environment variables set the
// export's own settings, the diff base defaults to fork-point, and without
// a revision range or --commits-from the commits are the suite's list from
// Buildkite.

// bktecEnv maps bktec's variables for the git work to our keys. They rank
// below our own GIT_BACKFILL_* variables and above git config.
var bktecEnv = []struct{ env, key string }{
	{buildkite.EnvDays, "days"},
	{buildkite.EnvRemote, "remote"},
	{buildkite.EnvBackfillRemote, "remote"},
	{buildkite.EnvSkipDiffs, "skipDiffs"},
	{buildkite.EnvConcurrency, "concurrency"},
}

// errNothingToExport ends an export that Buildkite gave no commit for.
var errNothingToExport = errors.New("nothing to export")

// buildkiteExporter returns the first chosen exporter of type buildkite.
func buildkiteExporter(chosen []config.ExporterConfig) (config.ExporterConfig, bool) {
	for _, e := range chosen {
		if e.Type == "buildkite" {
			return e, true
		}
	}
	return config.ExporterConfig{}, false
}

// withBktecSettings resolves s's settings again with the buildkite
// exporter e's days and remote options and bktec's environment variables
// (an option wins over its variable, as bktec's flags over theirs), and
// the exporter's default diff base (fork-point, bktec's), which ranks
// below every source.
func (c *command) withBktecSettings(s *session, e config.ExporterConfig) error {
	env := config.Source{Name: "environment"}
	seen := map[string]bool{}
	for k, v := range e.Options {
		if key := strings.ToLower(k); (key == "days" || key == "remote") && v != "" && !seen[key] {
			seen[key] = true
			env.Entries = append(env.Entries, config.Entry{Key: key, Value: v, Origin: "backfill.exporter." + e.Name + "." + key})
		}
	}
	for _, m := range bktecEnv {
		if v := c.getenv(m.env); v != "" && !seen[m.key] {
			seen[m.key] = true
			env.Entries = append(env.Entries, config.Entry{Key: m.key, Value: v, Origin: "environment " + m.env})
		}
	}
	defaults := config.Source{Name: "buildkite exporter", Entries: []config.Entry{
		{Key: "diffBase", Value: config.DiffBaseForkPoint, Origin: "the buildkite exporter's default"},
	}}
	// Below the command line and our own variables, above git config.
	n := 0
	for n < len(s.sources) && (s.sources[n].Name == "command line" || s.sources[n].Name == "environment") {
		n++
	}
	sources := slices.Concat(s.sources[:n], []config.Source{env}, s.sources[n:], []config.Source{defaults})
	settings, err := resolveSettings(sources)
	if err != nil {
		return err
	}
	s.settings, s.sources = settings, sources
	return nil
}

// buildkiteOptions are e's options with the export's days and remote
// (withBktecSettings took e's own into account), which the commit list and
// metadata.json must agree with.
func buildkiteOptions(s *session, e config.ExporterConfig) map[string]string {
	opts := withOption(e.Options, "days", strconv.Itoa(s.settings.Days), true)
	return withOption(opts, "remote", s.remote(), true)
}

// buildkiteCommits makes req export the suite's commit list for the last
// days, as bktec does; errNothingToExport when the list is empty.
func (c *command) buildkiteCommits(ctx context.Context, s *session, e config.ExporterConfig, req pipeline.Request) (pipeline.Request, error) {
	list, err := buildkite.CommitList(ctx, buildkiteOptions(s, e), c.getenv)
	if err != nil {
		return req, fmt.Errorf("exporter %s: %w", e.Name, err)
	}
	if len(list) == 0 {
		return req, errNothingToExport
	}
	req.Listed = strings.NewReader(strings.Join(list, "\n") + "\n")
	req.ListedName = "Buildkite's commit list"
	req.ListedMayBeGone = true
	return req, nil
}
