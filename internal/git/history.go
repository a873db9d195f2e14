package git

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
)

// Parents lists the parents of each of ids, in the order of ids, with
// "git rev-list --no-walk=unsorted --parents": one process for any number
// of commits. A shallow commit has the parents git sees: none. ids must be
// distinct commits.
func (r *Runner) Parents(ctx context.Context, ids []OID, fn func(id OID, parents []OID) error) error {
	if len(ids) == 0 {
		return nil
	}
	args := []string{"rev-list", "--no-walk=unsorted", "--stdin", "--parents", "--"}
	i := 0
	err := r.StreamLines(ctx, newLinesReader(ids), args, func(line string) error {
		fields := strings.Split(line, " ")
		for _, f := range fields {
			if !IsHexID(f) {
				return fmt.Errorf("git rev-list: unexpected line %q", line)
			}
		}
		if i >= len(ids) || OID(fields[0]) != ids[i] {
			return fmt.Errorf("git rev-list: got %s where %s was expected (is a commit listed twice?)", fields[0], ids[min(i, len(ids)-1)])
		}
		i++
		parents := make([]OID, len(fields)-1)
		for j, f := range fields[1:] {
			parents[j] = OID(f)
		}
		return fn(OID(fields[0]), parents)
	})
	if err == nil && i != len(ids) {
		err = fmt.Errorf("git rev-list: %d of %d commits listed (is a commit listed twice?)", i, len(ids))
	}
	return err
}

// FirstParentChain calls fn with the commits of ref's first-parent chain,
// newest first: the commits that were ref's tip when it moved by commits,
// fast-forwards or merges made on it.
func (r *Runner) FirstParentChain(ctx context.Context, ref string, fn func(id OID) error) error {
	return r.StreamLines(ctx, nil, []string{"rev-list", "--first-parent", ref, "--"}, func(line string) error {
		id, ok := ParseOID(line)
		if !ok {
			return fmt.Errorf("git rev-list: unexpected line %q", line)
		}
		return fn(id)
	})
}

// ReflogIDs lists the commits ref pointed to according to its reflog,
// newest first ("git rev-list --walk-reflogs"); none if it has no reflog.
func (r *Runner) ReflogIDs(ctx context.Context, ref string) ([]OID, error) {
	var ids []OID
	err := r.StreamLines(ctx, nil, []string{"rev-list", "--walk-reflogs", ref, "--"}, func(line string) error {
		id, ok := ParseOID(line)
		if !ok {
			return fmt.Errorf("git rev-list: unexpected line %q", line)
		}
		ids = append(ids, id)
		return nil
	})
	return ids, err
}

// ForkPoint runs "git merge-base --fork-point ref commit": where commit's
// history forked from ref, using ref's reflog. It returns "" when git finds
// no fork point.
func (r *Runner) ForkPoint(ctx context.Context, ref string, commit OID) (OID, error) {
	return r.mergeBase(ctx, "merge-base", "--fork-point", ref, string(commit))
}

// MergeBase runs "git merge-base a b" and returns one best common
// ancestor, or "" when the histories are unrelated.
func (r *Runner) MergeBase(ctx context.Context, a, b string) (OID, error) {
	return r.mergeBase(ctx, "merge-base", a, b)
}

func (r *Runner) mergeBase(ctx context.Context, args ...string) (OID, error) {
	out, err := r.Output(ctx, args...)
	var gerr *Error
	if errors.As(err, &gerr) && gerr.ExitCode == 1 && gerr.Stderr == "" {
		return "", nil // git's answer for "none"
	}
	if err != nil {
		return "", err
	}
	id, ok := ParseOID(strings.TrimSpace(string(out)))
	if !ok {
		return "", fmt.Errorf("git merge-base: unexpected output %q", out)
	}
	return id, nil
}

// CommitParents returns the parent ids written in a raw commit object
// (its "parent" header lines), as "git cat-file commit" shows it.
func CommitParents(data []byte) []OID {
	var parents []OID
	for len(data) > 0 {
		line, rest, _ := bytes.Cut(data, []byte("\n"))
		if len(line) == 0 {
			break // end of the header
		}
		if id, ok := bytes.CutPrefix(line, []byte("parent ")); ok && IsHexID(string(id)) {
			parents = append(parents, OID(id))
		}
		data = rest
	}
	return parents
}

// ShallowCommits returns the commits whose parents a shallow clone lacks:
// git treats them as having none. It reads $GIT_DIR/shallow, one id per
// line, as git does; no git command lists it.
func (r *Runner) ShallowCommits(ctx context.Context) (map[OID]bool, error) {
	path, err := r.GitPath(ctx, "shallow")
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return map[OID]bool{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading the shallow list: %w", err)
	}
	shallow := map[OID]bool{}
	for _, id := range strings.Fields(string(data)) {
		shallow[OID(id)] = true
	}
	return shallow, nil
}

// TagTarget returns the object a raw tag object points at (its "object"
// header line), as "git cat-file tag" shows it.
func TagTarget(data []byte) (OID, bool) {
	line, _, _ := bytes.Cut(data, []byte("\n"))
	id, ok := bytes.CutPrefix(line, []byte("object "))
	if !ok {
		return "", false
	}
	return ParseOID(string(id))
}
