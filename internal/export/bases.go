package export

import (
	"context"
	"fmt"

	"github.com/git-backfill/git-backfill/internal/git"
)

// Bases pairs each of commits with the commit its diff is taken against,
// in the order of commits: {commit, base}, base "" for a root commit
// (diffed against the empty tree; its record's diff_base is the empty
// tree id). The pairs are what Records diffs and what the blobs-first
// backfill fetches for. commits must be distinct.
//
// With DiffBaseParent, the base is the first parent: a merge shows what it
// brought into its first parent's line.
//
// With DiffBaseForkPoint, the base is where the commit's branch left the
// default branch (opts.DefaultBranch). A commit on the default branch's
// first-parent chain is diffed against its first parent. For any other
// commit, the first of these that gives a commit other than itself wins:
//  1. "git merge-base --fork-point <default> <commit>" (the reflog-aware
//     fork point);
//  2. the newest commit of the default branch's first-parent chain that
//     is an ancestor of the commit;
//  3. "git merge-base <default> <commit>";
//  4. the first parent, as in parent mode (unrelated histories).
//
// A commit is never its own base. Step 1 is only run (one process per
// commit off the chain) when the reflog holds a commit that is not on the
// chain: otherwise its answer, when there is one, is step 2's (see
// forkPointNeeded). Step 2 is answered for all commits at once by walking
// history back to the chain. Step 3 is only reached by a history that
// never meets the chain: one "git rev-list" tells which of those commits
// are the default branch's (their merge base is themselves) and which
// histories never meet it (no merge base); "git merge-base" runs only for
// the rest, a branch off a history that was merged in without touching the
// chain (such as a subtree merged with --allow-unrelated-histories).
func Bases(ctx context.Context, g *git.Runner, commits []git.OID, opts Options) ([]git.Pair, error) {
	pairs := make([]git.Pair, 0, len(commits))
	err := g.Parents(ctx, commits, func(id git.OID, parents []git.OID) error {
		var base git.OID
		if len(parents) > 0 {
			base = parents[0]
		}
		pairs = append(pairs, git.Pair{Commit: id, Base: base})
		return nil
	})
	if err != nil {
		return nil, err
	}
	switch opts.DiffBase {
	case "", DiffBaseParent:
		return pairs, nil
	case DiffBaseForkPoint:
		if opts.DefaultBranch == "" {
			return nil, fmt.Errorf("diff base %q needs the default branch", DiffBaseForkPoint)
		}
		if err := forkPointBases(ctx, g, opts.DefaultBranch, pairs); err != nil {
			return nil, err
		}
		return pairs, nil
	default:
		return nil, fmt.Errorf("unknown diff base %q (want %q or %q)", opts.DiffBase, DiffBaseParent, DiffBaseForkPoint)
	}
}

// forkPointBases replaces the first-parent bases of pairs whose commit is
// off the default branch's first-parent chain.
func forkPointBases(ctx context.Context, g *git.Runner, ref string, pairs []git.Pair) error {
	chain, err := readChain(ctx, g, ref)
	if err != nil {
		return err
	}
	var off []git.OID
	for _, p := range pairs {
		if _, on := chain.index[p.Commit]; !on {
			off = append(off, p.Commit)
		}
	}
	if len(off) == 0 {
		return nil
	}
	forkPoints := map[git.OID]git.OID{}
	needed, err := forkPointNeeded(ctx, g, ref, chain)
	if err != nil {
		return err
	}
	for _, c := range off {
		if !needed {
			break
		}
		fp, err := g.ForkPoint(ctx, ref, c)
		if err != nil {
			return err
		}
		forkPoints[c] = fp
	}
	newest, parents, err := newestOnChain(ctx, g, off, chain)
	if err != nil {
		return err
	}
	var unchained []git.OID
	for _, c := range off {
		if fp := forkPoints[c]; (fp == "" || fp == c) && newest[c] == "" {
			unchained = append(unchained, c)
		}
	}
	mergeBases, err := unchainedMergeBases(ctx, g, ref, unchained, parents)
	if err != nil {
		return err
	}
	for i, p := range pairs {
		c := p.Commit
		if _, on := chain.index[c]; on {
			continue
		}
		base := forkPoints[c]
		if base == "" || base == c {
			base = newest[c]
		}
		if base == "" {
			base = mergeBases[c]
		}
		if base != "" && base != c {
			pairs[i].Base = base
		}
	}
	return nil
}
