package export

import (
	"context"
	"strings"

	"github.com/git-backfill/git-backfill/internal/git"
)

// unchainedMergeBases answers step 3 for commits with no chain commit
// among their ancestors, whose whole history is therefore in parents.
// One "git rev-list <commits> ^<ref>" lists the commits of those histories
// that ref does not reach. A commit on ref is its own merge base with ref:
// no answer. Otherwise the merge bases are among the join points, the
// commits on ref met first going back from it: none means unrelated
// histories, one is the merge base, and only for several does
// "git merge-base" choose.
func unchainedMergeBases(ctx context.Context, g *git.Runner, ref string, commits []git.OID, parents map[git.OID][]git.OID) (map[git.OID]git.OID, error) {
	out := map[git.OID]git.OID{}
	if len(commits) == 0 {
		return out, nil
	}
	stdin := strings.Join(git.Strings(commits), "\n") + "\n^" + ref + "\n"
	sel, err := g.SelectCommits(ctx, []string{"--stdin"}, strings.NewReader(stdin), false)
	if err != nil {
		return nil, err
	}
	off := make(map[git.OID]bool, len(sel.Commits)) // not reachable from ref
	for _, c := range sel.Commits {
		off[c.ID] = true
	}
	joins := joinPoints(commits, parents, off)
	for _, c := range commits {
		switch j := joins[c]; {
		case !off[c] || j == "":
		case j == severalJoins:
			mb, err := g.MergeBase(ctx, ref, string(c))
			if err != nil {
				return nil, err
			}
			out[c] = mb
		default:
			out[c] = j
		}
	}
	return out, nil
}

const severalJoins git.OID = "*"

// joinPoints computes, for the commits in off reachable from starts, the
// commit not in off where their history first meets the rest: "" for none,
// severalJoins for more than one. Like bestOnChain, without recursion.
func joinPoints(starts []git.OID, parents map[git.OID][]git.OID, off map[git.OID]bool) map[git.OID]git.OID {
	join := map[git.OID]git.OID{}
	combine := func(a, b git.OID) git.OID {
		switch {
		case a == "" || a == b:
			return b
		case b == "":
			return a
		}
		return severalJoins
	}
	for _, s := range starts {
		if !off[s] {
			continue
		}
		stack := []git.OID{s}
		for len(stack) > 0 {
			id := stack[len(stack)-1]
			if _, done := join[id]; done {
				stack = stack[:len(stack)-1]
				continue
			}
			waiting := false
			for _, p := range parents[id] {
				if _, done := join[p]; off[p] && !done {
					stack = append(stack, p)
					waiting = true
				}
			}
			if waiting {
				continue
			}
			var j git.OID
			for _, p := range parents[id] {
				if off[p] {
					j = combine(j, join[p])
				} else {
					j = combine(j, p)
				}
			}
			join[id] = j
			stack = stack[:len(stack)-1]
		}
	}
	return join
}
