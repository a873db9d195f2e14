// Package selection decides which commits an export covers: a revision
// range, the default branch's last n days, or a list of commit ids handed
// over by someone else (fetching the listed commits that are not here).
package selection

import (
	"bufio"
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/git-backfill/git-backfill/internal/git"
	"github.com/git-backfill/git-backfill/internal/odb"
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
func Commits(ctx context.Context, g *git.Runner, req Request) ([]git.OID, error) {
	revs := req.Revs
	if len(revs) == 0 {
		branch, err := DefaultBranch(ctx, g, req.Remote)
		if err != nil {
			return nil, err
		}
		since := req.Now.Add(-time.Duration(req.Days) * 24 * time.Hour)
		revs = []string{"--since=" + strconv.FormatInt(since.Unix(), 10), branch}
	}
	return g.ListCommits(ctx, git.CommitQuery{Revs: revs, Stdin: bytes.NewReader(req.Stdin), Pathspecs: req.Pathspecs})
}

// DefaultBranch finds the default branch: <remote>/HEAD, else
// <remote>/main, else <remote>/master; in a repository without
// remote-tracking branches (a bare mirror), HEAD.
func DefaultBranch(ctx context.Context, g *git.Runner, remote string) (string, error) {
	existing, err := g.ExistingRefs(ctx, []string{
		"refs/remotes/" + remote + "/HEAD",
		"refs/remotes/" + remote + "/main",
		"refs/remotes/" + remote + "/master",
	})
	if err != nil {
		return "", err
	}
	if len(existing) > 0 {
		return existing[0], nil
	}
	if g.HasCommit(ctx, "HEAD") {
		return "HEAD", nil
	}
	return "", fmt.Errorf("cannot find the default branch: none of %s/HEAD, %s/main, %s/master exists and HEAD has no commits; give a revision range", remote, remote, remote)
}

// ReadIDs reads a list of commit ids, one per line ("#" comments and blank
// lines ignored), keeping their order and dropping repeats.
func ReadIDs(r io.Reader, name string) ([]git.OID, error) {
	ids, _, err := readIDLines(r, name)
	return ids, err
}

// readIDLines is ReadIDs with the line number of each id.
func readIDLines(r io.Reader, name string) ([]git.OID, []int, error) {
	var ids []git.OID
	var lines []int
	seen := map[git.OID]bool{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), maxListLine)
	n := 1
	for ; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		id, ok := git.ParseOID(strings.ToLower(line))
		if !ok {
			return nil, nil, fmt.Errorf("%s:%d: %q is not a full commit id", name, n, line)
		}
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
			lines = append(lines, n)
		}
	}
	if errors.Is(sc.Err(), bufio.ErrTooLong) {
		return nil, nil, fmt.Errorf("%s:%d: line longer than %d bytes: not a commit id", name, n, maxListLine)
	}
	if err := sc.Err(); err != nil {
		return nil, nil, fmt.Errorf("reading %s: %w", name, err)
	}
	return ids, lines, nil
}

// maxListLine bounds a line of a commit list: an id is 64 characters at
// most, and whatever else the file holds is not read into memory whole.
const maxListLine = 4096

// Present returns which of ids are in the local object store, as any type.
//
// Asking git about each id ("cat-file --batch-check") would make a partial
// clone fetch every missing one, one request each; the object store's own
// indexes answer without git, and without any fetch.
func Present(objects *odb.Store, ids []git.OID) map[git.OID]bool {
	present := make(map[git.OID]bool, len(ids))
	for _, id := range ids {
		bin, err := hex.DecodeString(string(id))
		present[id] = err == nil && objects.Has(bin)
	}
	return present
}
