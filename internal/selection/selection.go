// Package selection decides which commits an export covers: a revision
// range, the default branch's last n days, or a list of commit ids handed
// over by someone else (fetching the listed commits that are not here).
package selection

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/git-backfill/git-backfill/internal/git"
)

// Request says how to select.
type Request struct {
	Revs      []string // rev-list arguments; empty: the default branch's last Days days
	Stdin     []byte   // input for --stdin among Revs
	Days      int
	Now       time.Time
	Remote    string   // for the default branch
	Pathspecs []string // only commits touching these (top-relative pathspecs)
}

// Commits lists the selected commits, newest first as git log shows them.
func Commits(ctx context.Context, g *git.Runner, req Request) ([]string, error) {
	args := []string{"rev-list"}
	revs := req.Revs
	if len(revs) == 0 {
		branch, err := DefaultBranch(ctx, g, req.Remote)
		if err != nil {
			return nil, err
		}
		since := req.Now.Add(-time.Duration(req.Days) * 24 * time.Hour)
		revs = []string{"--since=" + strconv.FormatInt(since.Unix(), 10), branch}
	}
	args = append(args, revs...)
	if len(req.Pathspecs) > 0 {
		// Every commit that changes the paths, merges that bring changes
		// from a side branch included.
		args = append(args, "--full-history", "--")
		args = append(args, req.Pathspecs...)
	} else {
		args = append(args, "--")
	}
	var out []string
	err := g.StreamLines(ctx, strings.NewReader(string(req.Stdin)), args, func(line string) error {
		if !git.IsHexID(line) {
			return fmt.Errorf("git rev-list: unexpected line %q", line)
		}
		out = append(out, line)
		return nil
	})
	return out, err
}

// DefaultBranch finds the default branch: <remote>/HEAD, else
// <remote>/main, else <remote>/master; in a repository without
// remote-tracking branches (a bare mirror), HEAD.
func DefaultBranch(ctx context.Context, g *git.Runner, remote string) (string, error) {
	candidates := []string{
		"refs/remotes/" + remote + "/HEAD",
		"refs/remotes/" + remote + "/main",
		"refs/remotes/" + remote + "/master",
	}
	out, err := g.Output(ctx, append([]string{"for-each-ref", "--format=%(refname)"}, candidates...)...)
	if err != nil {
		return "", err
	}
	have := map[string]bool{}
	for _, ref := range strings.Fields(string(out)) {
		have[ref] = true
	}
	for _, c := range candidates {
		if have[c] {
			return c, nil
		}
	}
	if _, err := g.Output(ctx, "rev-parse", "--verify", "--quiet", "HEAD^{commit}"); err == nil {
		return "HEAD", nil
	}
	return "", fmt.Errorf("cannot find the default branch: none of %s/HEAD, %s/main, %s/master exists and HEAD has no commits; give a revision range", remote, remote, remote)
}

// ReadIDs reads a list of commit ids, one per line ("#" comments and blank
// lines ignored), keeping their order and dropping repeats.
func ReadIDs(r io.Reader, name string) ([]string, error) {
	var ids []string
	seen := map[string]bool{}
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		id := strings.ToLower(line)
		if !git.IsHexID(id) {
			return nil, fmt.Errorf("%s:%d: %q is not a full commit id", name, n, line)
		}
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	return ids, nil
}

// Present returns which of ids are in the local object store, as any type.
//
// Asking git about each id ("cat-file --batch-check") would make a partial
// clone fetch every missing one, one request each; listing every object
// the store holds never fetches. It costs a pass over the object store,
// once per export, and only when ids were handed over.
func Present(ctx context.Context, g *git.Runner, ids []string) (map[string]bool, error) {
	want := make(map[string]bool, len(ids))
	for _, id := range ids {
		want[id] = false
	}
	args := []string{"cat-file", "--batch-all-objects", "--batch-check=%(objectname)", "--unordered"}
	err := g.StreamLines(ctx, nil, args, func(line string) error {
		if _, ok := want[line]; ok {
			want[line] = true
		}
		return nil
	})
	return want, err
}
