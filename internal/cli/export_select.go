package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/git-backfill/git-backfill/internal/backfill"
	"github.com/git-backfill/git-backfill/internal/selection"
)

// selected is what an export covers.
type selected struct {
	commits []string // in export order
	skipped []string // listed ids that could not be fetched
}

// selectCommits applies --commits-from, a revision range, or --days.
func (c *command) selectCommits(ctx context.Context, s *session, p *parsedArgs, sc *exportScope) (*selected, error) {
	if p.flags.CommitsFrom != nil {
		from := *p.flags.CommitsFrom
		if len(p.revs) > 0 {
			return nil, usagef("--commits-from cannot be combined with a revision range")
		}
		return c.listedCommits(ctx, s, from)
	}
	req := selection.Request{Revs: p.revs, Days: s.settings.Days, Now: time.Now(), Remote: s.remote()}
	if p.stdin {
		data, err := io.ReadAll(c.stdin)
		if err != nil {
			return nil, fmt.Errorf("reading standard input: %w", err)
		}
		req.Stdin = data
	}
	req.Pathspecs = sc.specs
	commits, err := selection.Commits(ctx, s.runner, req)
	if err != nil {
		return nil, err
	}
	return &selected{commits: commits}, nil
}

// listedCommits reads the ids handed over and fetches those not here, in
// chunks; the ones the remote will not send are skipped and reported.
func (c *command) listedCommits(ctx context.Context, s *session, from string) (*selected, error) {
	var r io.Reader = c.stdin
	name := "standard input"
	if from != "-" {
		path := from
		if !filepath.IsAbs(path) {
			path = filepath.Join(c.dir, path)
		}
		f, err := os.Open(path)
		if err != nil {
			return nil, fmt.Errorf("--commits-from: %w", err)
		}
		defer f.Close()
		r, name = f, from
	}
	req := c.fetchRequest(s, s.remote())
	listed, err := selection.ListedCommits(ctx, s.runner, s.repo, r, name, backfill.IDsRequest{
		Remote: req.Remote, Jobs: req.Jobs, Retries: req.Retries, Filter: "blob:none", Backoff: req.Backoff,
		StallTimeout: req.StallTimeout, SilenceTimeout: req.SilenceTimeout, ProbeTimeout: req.ProbeTimeout,
	})
	if err != nil {
		return nil, err
	}
	return &selected{commits: listed.Commits, skipped: listed.Skipped}, nil
}

// remote is the remote of the default branch and of missing commits.
func (s *session) remote() string {
	if s.settings.Remote != "" {
		return s.settings.Remote
	}
	return "origin"
}

// defaultBranch is the branch --days and --diff-base=fork-point refer to.
func defaultBranch(ctx context.Context, s *session) (string, error) {
	return selection.DefaultBranch(ctx, s.runner, s.remote())
}
