package git

import (
	"context"
	"fmt"
	"io"
	"strings"
)

// Commit is a selected commit and its root tree.
type Commit struct {
	ID   OID
	Tree OID
}

// Selection is the result of a revision walk.
type Selection struct {
	Commits  []Commit // selected commits, in rev-list order
	Boundary []Commit // excluded parents of selected commits ("--boundary")
}

// SelectCommits runs "git rev-list [--boundary] <revs> --" and returns the
// commits it selects with their root trees (see StreamCommits).
func (r *Runner) SelectCommits(ctx context.Context, revs []string, stdin io.Reader, boundary bool) (*Selection, error) {
	sel := &Selection{}
	err := r.StreamCommits(ctx, revs, stdin, boundary, func(c Commit, isBoundary bool) error {
		if isBoundary {
			sel.Boundary = append(sel.Boundary, c)
		} else {
			sel.Commits = append(sel.Commits, c)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return sel, nil
}

// StreamCommits runs "git rev-list [--boundary] <revs> --" and calls fn
// with each commit and its root tree as rev-list prints them, boundary
// commits (the excluded parents of selected ones) marked, so that work on
// the first commits can start while the walk goes on. revs are rev-list's
// own arguments (ranges, --all, --since, --stdin ...), already vetted by
// the caller; stdin feeds --stdin. The trailing "--" makes a name that is
// no revision fail as "bad revision" instead of being taken for a path.
func (r *Runner) StreamCommits(ctx context.Context, revs []string, stdin io.Reader, boundary bool, fn func(c Commit, isBoundary bool) error) error {
	// %m marks boundary commits with "-" (and sides of A...B with < and >).
	args := []string{"rev-list", "--no-commit-header", "--format=%m %H %T"}
	if boundary {
		args = append(args, "--boundary")
	}
	args = append(append(args, revs...), "--")
	return r.StreamLines(ctx, stdin, args, func(line string) error {
		c, isBoundary, err := parseRevListLine(line)
		if err != nil {
			return err
		}
		return fn(c, isBoundary)
	})
}

// CheckRevisions runs "git rev-list --quiet --max-count=1 <revs> --",
// which fails as StreamCommits would on a revision that does not exist
// (with rev-list's "bad revision"), without walking the history. stdin
// feeds --stdin.
func (r *Runner) CheckRevisions(ctx context.Context, revs []string, stdin io.Reader) error {
	// Before revs: after a "--end-of-options" among them it would be a
	// revision. A --max-count among revs overrides it, which only walks
	// as far as asked.
	args := append(append([]string{"rev-list", "--quiet", "--max-count=1"}, revs...), "--")
	_, err := r.OutputInput(ctx, stdin, args...)
	return err
}

// parseRevListLine parses one "%m %H %T" line of rev-list output.
func parseRevListLine(line string) (Commit, bool, error) {
	mark, rest, _ := strings.Cut(line, " ")
	id, tree, _ := strings.Cut(rest, " ")
	if len(mark) != 1 || !IsHexID(id) || !IsHexID(tree) {
		return Commit{}, false, fmt.Errorf("git rev-list: unexpected line %q", line)
	}
	return Commit{ID: OID(id), Tree: OID(tree)}, mark == "-", nil
}
