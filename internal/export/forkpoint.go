package export

import (
	"context"
	"fmt"

	"github.com/git-backfill/git-backfill/internal/git"
)

// chain is the default branch's first-parent chain, newest first. It
// costs one map entry per commit of that chain (not of the selection): a
// few megabytes for a hundred thousand commits.
type chain struct {
	ids   []git.OID
	index map[git.OID]int
}

func readChain(ctx context.Context, g *git.Runner, ref string) (*chain, error) {
	c := &chain{index: map[git.OID]int{}}
	err := g.FirstParentChain(ctx, ref, func(id git.OID) error {
		c.index[id] = len(c.ids)
		c.ids = append(c.ids, id)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(c.ids) == 0 {
		return nil, fmt.Errorf("default branch %s has no commits", ref)
	}
	return c, nil
}

// forkPointNeeded says whether "merge-base --fork-point" can answer other
// than the chain does. It finds the one best common ancestor of the commit
// and the commits in ref's reflog (ref's tip when there is no reflog), and
// answers only if that is one of them. If they are all on the chain and
// include the tip, its answer B is on the chain, an ancestor of the
// commit, and a descendant of every chain commit that is one too (those
// are common ancestors, and B is the only best one): B is the newest chain
// commit that is an ancestor, step 2's answer. Only the new side of reflog
// entries is read; git also counts the old side of the oldest entry.
func forkPointNeeded(ctx context.Context, g *git.Runner, ref string, c *chain) (bool, error) {
	reflog, err := g.ReflogIDs(ctx, ref)
	if err != nil {
		return false, err
	}
	tip := len(reflog) == 0
	for _, id := range reflog {
		i, on := c.index[id]
		if !on {
			return true, nil
		}
		tip = tip || i == 0
	}
	return !tip, nil
}

// newestOnChain returns, for each of starts (commits off the chain), the
// newest chain commit that is one of its ancestors, or nothing if none is.
// It walks history back from starts with one "git cat-file --batch", a
// generation at a time, stopping at chain commits, then takes the best
// answer over each commit's parents. The walk covers the commits between
// starts and the chain once each, shared by all starts.
//
// It also returns the walked region: the parents of every commit reached
// that is not on the chain.
func newestOnChain(ctx context.Context, g *git.Runner, starts []git.OID, c *chain) (map[git.OID]git.OID, map[git.OID][]git.OID, error) {
	shallow, err := g.ShallowCommits(ctx)
	if err != nil {
		return nil, nil, err
	}
	cf, err := g.StartCatFile(ctx)
	if err != nil {
		return nil, nil, err
	}
	parents := map[git.OID][]git.OID{}
	queued := map[git.OID]bool{}
	var frontier []git.OID
	for _, s := range starts {
		if !queued[s] {
			queued[s] = true
			frontier = append(frontier, s)
		}
	}
	for len(frontier) > 0 {
		var next []git.OID
		err := cf.ReadEach(frontier, func(id git.OID, typ string, data []byte) error {
			if typ != "commit" {
				return fmt.Errorf("%s is a %s, not a commit", id, typ)
			}
			ps := git.CommitParents(data)
			if shallow[id] {
				ps = nil // git sees no parents, and they are not here
			}
			parents[id] = ps
			for _, p := range ps {
				if _, on := c.index[p]; !on && !queued[p] {
					queued[p] = true
					next = append(next, p)
				}
			}
			return nil
		})
		if err != nil {
			_ = cf.Close()
			return nil, nil, err
		}
		frontier = next
	}
	if err := cf.Close(); err != nil {
		return nil, nil, err
	}
	best := bestOnChain(starts, parents, c.index)
	out := make(map[git.OID]git.OID, len(starts))
	for _, s := range starts {
		if i := best[s]; i >= 0 {
			out[s] = c.ids[i]
		}
	}
	return out, parents, nil
}

// bestOnChain computes, for every commit reachable from starts in parents
// (the walked region), the smallest chain index among its ancestors, -1
// for none, without recursion: a commit is settled once its parents are.
func bestOnChain(starts []git.OID, parents map[git.OID][]git.OID, index map[git.OID]int) map[git.OID]int {
	best := make(map[git.OID]int, len(parents))
	for _, s := range starts {
		stack := []git.OID{s}
		for len(stack) > 0 {
			id := stack[len(stack)-1]
			if _, done := best[id]; done {
				stack = stack[:len(stack)-1]
				continue
			}
			waiting := false
			for _, p := range parents[id] {
				if _, on := index[p]; !on {
					if _, done := best[p]; !done {
						stack = append(stack, p)
						waiting = true
					}
				}
			}
			if waiting {
				continue
			}
			b := -1
			for _, p := range parents[id] {
				v, on := index[p]
				if !on {
					v = best[p]
				}
				if v >= 0 && (b < 0 || v < b) {
					b = v
				}
			}
			best[id] = b
			stack = stack[:len(stack)-1]
		}
	}
	return best
}
