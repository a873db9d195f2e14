package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/git-backfill/git-backfill/internal/git"
	"github.com/git-backfill/git-backfill/internal/pathspec"
	"github.com/git-backfill/git-backfill/internal/pathwalk"
	"github.com/git-backfill/git-backfill/internal/sparse"
)

// buildFilter combines the sparse-checkout (when sparse is on) and the
// pathspecs into the walk's filter; nil when neither limits anything.
func (c *command) buildFilter(ctx context.Context, runner *git.Runner, repo *git.Repo, cfg git.Config, sparseSetting *bool, specs []string) (pathwalk.Filter, error) {
	var filters []pathwalk.Filter
	enabled, err := cfg.Bool("core.sparsecheckout", false)
	if err != nil {
		return nil, err
	}
	useSparse := enabled
	if sparseSetting != nil {
		useSparse = *sparseSetting
	}
	if useSparse {
		if !enabled || repo.Bare {
			// "problem loading sparse-checkout" is git's builtin's message.
			return nil, errors.New("problem loading sparse-checkout: --sparse, but this repository has no sparse-checkout (core.sparseCheckout is not enabled); set one up with 'git sparse-checkout set', or use --no-sparse")
		}
		cone, err := cfg.Bool("core.sparsecheckoutcone", false)
		if err != nil {
			return nil, err
		}
		patterns, err := loadSparse(ctx, runner, cone)
		if err != nil {
			return nil, err
		}
		if patterns.Warning != "" {
			fmt.Fprintf(c.stderr, "warning: %s\n", patterns.Warning)
		}
		filters = append(filters, patterns)
	}
	if len(specs) > 0 {
		set, err := pathspec.Parse(specs, repo.Prefix)
		if err != nil {
			return nil, err
		}
		filters = append(filters, set)
	}
	return pathwalk.All(filters...), nil
}

func loadSparse(ctx context.Context, runner *git.Runner, cone bool) (*sparse.Patterns, error) {
	path, err := runner.GitPath(ctx, "info/sparse-checkout")
	if err != nil {
		return nil, err
	}
	file, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("problem loading sparse-checkout: sparse-checkout is enabled but %s does not exist", path)
	}
	if err != nil {
		return nil, fmt.Errorf("reading sparse-checkout: %w", err)
	}
	defer file.Close()
	patterns, err := sparse.Parse(file, cone)
	if err != nil {
		return nil, fmt.Errorf("reading sparse-checkout %s: %w", path, err)
	}
	return patterns, nil
}
