package git

import (
	"context"
	"fmt"
	"io"
	"strings"
)

// Commit is a selected commit and its root tree.
type Commit struct {
	ID   string
	Tree string
}

// Selection is the result of a revision walk.
type Selection struct {
	Commits  []Commit // selected commits, in rev-list order
	Boundary []Commit // excluded parents of selected commits ("--boundary")
}

// SelectCommits runs "git rev-list [--boundary] <revs> --" and returns the
// commits it selects with their root trees. revs are rev-list's own
// arguments (ranges, --all, --since, --stdin ...), already vetted by the
// caller; stdin feeds --stdin. The trailing "--" makes a name that is no
// revision fail as "bad revision" instead of being taken for a path.
func (r *Runner) SelectCommits(ctx context.Context, revs []string, stdin io.Reader, boundary bool) (*Selection, error) {
	// %m marks boundary commits with "-" (and sides of A...B with < and >).
	args := []string{"rev-list", "--no-commit-header", "--format=%m %H %T"}
	if boundary {
		args = append(args, "--boundary")
	}
	args = append(append(args, revs...), "--")
	sel := &Selection{}
	err := r.StreamLines(ctx, stdin, args, func(line string) error {
		c, isBoundary, err := parseRevListLine(line)
		if err != nil {
			return err
		}
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

// parseRevListLine parses one "%m %H %T" line of rev-list output.
func parseRevListLine(line string) (Commit, bool, error) {
	mark, rest, _ := strings.Cut(line, " ")
	id, tree, _ := strings.Cut(rest, " ")
	if len(mark) != 1 || !IsHexID(id) || !IsHexID(tree) {
		return Commit{}, false, fmt.Errorf("git rev-list: unexpected line %q", line)
	}
	return Commit{ID: id, Tree: tree}, mark == "-", nil
}

// MissingObjects returns the objects reachable from the root trees of
// commits (their whole snapshots, not their history) that are not in the
// local object store.
//
// "rev-list --missing=print" is the one way on git 2.39 to learn what is
// missing without git fetching it: it turns off lazy fetching for itself
// and prints "?<id>" for each missing object. cat-file and a plain
// "rev-list --objects" would fetch every missing blob, one request each.
// Missing objects are reported without a path, so the caller finds paths by
// walking trees itself.
func (r *Runner) MissingObjects(ctx context.Context, commits []string) (map[string]struct{}, error) {
	missing := map[string]struct{}{}
	if len(commits) == 0 {
		return missing, nil
	}
	args := []string{"rev-list", "--objects", "--no-object-names",
		"--missing=print", "--no-walk=unsorted", "--stdin"}
	in := strings.NewReader(strings.Join(commits, "\n") + "\n")
	err := r.StreamLines(ctx, in, args, func(line string) error {
		if id, ok := strings.CutPrefix(line, "?"); ok {
			missing[id] = struct{}{}
		}
		return nil
	})
	return missing, err
}

// IsHexID reports whether s looks like a full SHA-1 or SHA-256 object id.
func IsHexID(s string) bool {
	if len(s) != 40 && len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}
