package cli

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/git-backfill/git-backfill/exporters"
	"github.com/git-backfill/git-backfill/internal/pathspec"
	"github.com/git-backfill/git-backfill/internal/pathwalk"
	"github.com/git-backfill/git-backfill/internal/pipeline"
	"github.com/git-backfill/git-backfill/internal/progress"
	"github.com/git-backfill/git-backfill/internal/sparse"
)

// version is git-backfill's version, set at build time with
// -ldflags "-X github.com/git-backfill/git-backfill/internal/cli.version=...".
var version = "dev"

// exportScope is what an export is limited to: git pathspecs for commit
// selection and diffs, and the same limit as a walk filter for blobs first.
type exportScope struct {
	specs  []string        // top-relative pathspecs; nil: everything
	filter pathwalk.Filter // nil: everything
}

// scope turns the user's pathspecs (made relative to the top of the
// repository) or, with --sparse, the cone into the export's limits.
func (c *command) scope(ctx context.Context, s *session, p *parsedArgs) (*exportScope, error) {
	if s.settings.Sparse != nil && *s.settings.Sparse {
		if len(p.pathspecs) > 0 {
			return nil, usagef("--sparse cannot be combined with pathspecs in an export")
		}
		patterns, err := c.sparsePatterns(ctx, s)
		if err != nil {
			return nil, err
		}
		specs, err := patterns.Pathspecs()
		if err != nil {
			return nil, fmt.Errorf("--sparse: %w; exports follow cone-mode sparse-checkouts only (use pathspecs)", err)
		}
		return &exportScope{specs: specs, filter: patterns}, nil
	}
	sc := &exportScope{}
	if len(p.pathspecs) > 0 {
		// Validate them as git would, then hand git the top-relative form.
		set, err := pathspec.Parse(p.pathspecs, s.repo.Prefix)
		if err != nil {
			return nil, err
		}
		sc.filter = set
		for _, sp := range p.pathspecs {
			if strings.HasPrefix(sp, ":") {
				sc.specs = append(sc.specs, sp)
			} else {
				sc.specs = append(sc.specs, ":(top)"+s.repo.Prefix+sp)
			}
		}
	}
	return sc, nil
}

// sparsePatterns reads the sparse-checkout for --sparse.
func (c *command) sparsePatterns(ctx context.Context, s *session) (*sparse.Patterns, error) {
	enabled, err := s.gitCfg.Bool("core.sparsecheckout", false)
	if err != nil {
		return nil, err
	}
	if !enabled || s.repo.Bare {
		return nil, errors.New("--sparse: this repository has no sparse-checkout (core.sparseCheckout is not enabled)")
	}
	cone, err := s.gitCfg.Bool("core.sparsecheckoutcone", false)
	if err != nil {
		return nil, err
	}
	return loadSparse(ctx, s.runner, cone)
}

var userinfo = regexp.MustCompile(`^([a-z][a-z0-9+.-]*://)[^/@]*@`)

// redactURL drops credentials, a query and a fragment (where tokens such
// as ?private_token=... travel) from a remote URL: they never reach
// metadata.json or messages.
func redactURL(raw string) string {
	if u, err := url.Parse(raw); err == nil && u.Scheme != "" && u.Host != "" {
		u.User = nil
		u.RawQuery, u.ForceQuery = "", false
		u.Fragment, u.RawFragment = "", ""
		return u.String()
	}
	raw, _, _ = strings.Cut(raw, "?")
	raw, _, _ = strings.Cut(raw, "#")
	return userinfo.ReplaceAllString(raw, "$1")
}

// exportSummary prints the closing line(s) of an export.
func (c *command) exportSummary(sum exporters.Summary, results []pipeline.Result, elapsed time.Duration) {
	var parts []string
	for _, r := range results {
		switch {
		case r.Err != nil:
			parts = append(parts, fmt.Sprintf("%s failed", r.Name))
		case r.Location == "stdout" || r.Location == "":
			parts = append(parts, r.Name)
		case r.Records != sum.CommitCount:
			// An incremental export gave this exporter only what it lacked.
			parts = append(parts, fmt.Sprintf("%s %s (%s, %s)", r.Name, r.Location,
				progress.Plural(int(r.Records), "commit", "commits"), progress.HumanBytes(r.Bytes)))
		default:
			parts = append(parts, fmt.Sprintf("%s %s (%s)", r.Name, r.Location, progress.HumanBytes(r.Bytes)))
		}
	}
	rate := float64(sum.CommitCount) / max(elapsed.Seconds(), 0.001)
	fmt.Fprintf(c.stderr, "export: %s to %s, %d skipped, in %s (%.0f commits/s)\n",
		progress.Plural(int(sum.CommitCount), "commit", "commits"), strings.Join(parts, ", "),
		sum.SkippedCommits, elapsed.Round(time.Millisecond), rate)
}

// repoName is the short name archives are called by: the work tree's
// directory, or a bare repository's without ".git".
func (s *session) repoName() string {
	top := s.repo.WorkTree
	if top == "" {
		top = s.repo.GitDir
	}
	return strings.TrimSuffix(filepath.Base(top), ".git")
}
