package export

import (
	"context"
	"fmt"
	"io"

	"github.com/sourcegraph/conc/stream"

	"github.com/git-backfill/git-backfill/exporters"
	"github.com/git-backfill/git-backfill/internal/git"
)

// batchSize is the number of commits a task diffs and assembles at once:
// enough to amortise the hand-over between goroutines, small enough that
// the batches in flight hold little memory.
const batchSize = 32

// maxRecordSize is exporters.MaxRecordSize; tests make it small.
var maxRecordSize = exporters.MaxRecordSize

// Records makes the record of each pair ({commit, base} as Bases returns
// them) and calls emit with the records in the order of pairs, exactly
// once each, never concurrently (from a goroutine of its own). Commits
// must be distinct. It stops at the first error, from git or emit, and
// returns it; when ctx is cancelled, it stops git and returns ctx.Err().
//
// The dispatching goroutine reads the metadata stream in order and hands
// batches to a conc stream, whose tasks diff them on a free diff-tree
// process, parse and encode them in parallel, and whose callbacks run in
// submission order.
func Records(ctx context.Context, g *git.Runner, pairs []git.Pair, opts Options, emit EmitFunc) (err error) {
	if len(pairs) == 0 {
		return nil
	}
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ids := make([]git.OID, len(pairs))
	for i, p := range pairs {
		ids[i] = p.Commit
	}
	infos, err := g.StartCommitInfos(ctx, ids)
	if err != nil {
		return err
	}
	n := opts.workers()
	pool := make(chan *git.DiffTree, n)
	closers := []func() error{infos.Close}
	defer func() { err = closeAll(err, closers...) }()
	for i := 0; i < n; i++ {
		d, err := g.StartDiffTree(ctx, git.DiffOptions{Patch: !opts.SkipDiffs, Pathspecs: opts.Pathspecs})
		if err != nil {
			return err
		}
		pool <- d
		closers = append(closers, d.Close)
	}

	first := &firstError{cancel: cancel}
	// Twice as many tasks as processes: while some wait for git, others
	// parse and encode what git has already printed.
	s := stream.New().WithMaxGoroutines(2 * n)
	for start := 0; start < len(pairs) && first.get() == nil && ctx.Err() == nil; start += batchSize {
		batch := pairs[start:min(start+batchSize, len(pairs))]
		metas, err := nextInfos(infos, batch)
		if err != nil {
			first.set(err)
			break
		}
		s.Go(func() stream.Callback {
			recs, err := buildBatch(pool, batch, metas, opts.SkipDiffs)
			return func() {
				if err != nil {
					first.set(err)
					return
				}
				for _, r := range recs {
					if first.get() != nil || ctx.Err() != nil {
						return
					}
					if err := emit(r.json, r.rec); err != nil {
						first.set(err)
					}
				}
			}
		})
	}
	s.Wait()
	if err := parent.Err(); err != nil {
		return err // what failed after that is its consequence
	}
	return first.get()
}

// nextInfos reads the metadata of batch's commits from the stream.
func nextInfos(infos *git.CommitInfos, batch []git.Pair) ([]git.CommitInfo, error) {
	metas := make([]git.CommitInfo, len(batch))
	for i, p := range batch {
		info, err := infos.Next()
		if err == io.EOF {
			return nil, fmt.Errorf("git rev-list: no metadata for commit %s (is it listed twice?)", p.Commit)
		}
		if err != nil {
			return nil, err
		}
		if info.ID != p.Commit {
			return nil, fmt.Errorf("git rev-list: metadata of %s where %s was expected (is a commit listed twice?)", info.ID, p.Commit)
		}
		metas[i] = info
	}
	return metas, nil
}

type built struct {
	json []byte
	rec  *exporters.Record
}

// buildBatch diffs batch on a process from pool, then, with the process
// back in the pool, parses the diffs and assembles and encodes records.
func buildBatch(pool chan *git.DiffTree, batch []git.Pair, metas []git.CommitInfo, skipDiffs bool) ([]built, error) {
	blocks := make([][]byte, len(batch))
	d := <-pool
	err := d.Diff(batch, func(i int, block []byte) error {
		blocks[i] = block
		return nil
	})
	pool <- d
	if err != nil {
		return nil, err
	}
	out := make([]built, len(batch))
	for i, p := range batch {
		diff, err := git.ParseDiff(p.Commit, blocks[i])
		if err != nil {
			return nil, err
		}
		blocks[i] = nil
		rec := newRecord(&metas[i], p.Base, diff, skipDiffs)
		js, err := encodeRecord(rec)
		if err == nil && len(js) > maxRecordSize {
			// Too large for any exporter: the commit still goes out,
			// its metadata, file list and stats intact.
			rec.GitDiff, rec.GitDiffRaw, rec.DiffOmitted = "", "", true
			js, err = encodeRecord(rec)
		}
		if err != nil {
			return nil, err
		}
		out[i] = built{json: js, rec: rec}
	}
	return out, nil
}
