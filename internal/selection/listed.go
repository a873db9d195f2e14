package selection

import (
	"context"
	"fmt"
	"io"
	"slices"

	"github.com/git-backfill/git-backfill/internal/backfill"
	"github.com/git-backfill/git-backfill/internal/git"
	"github.com/git-backfill/git-backfill/internal/odb"
)

// MissingCommitChunk is how many listed commits one fetch request asks for.
const MissingCommitChunk = 1000

// Listed is a selection handed over as a list of commit ids.
type Listed struct {
	Commits []git.OID // in the list's order, repeats dropped, without Skipped
	Skipped []git.OID // listed commits the remote would not send
}

// ListedCommits reads the commit ids in r (see ReadIDs; name is what
// messages call it), fetches the ones the object store lacks with
// fetch's settings (its IDs and chunking are filled in here), and returns
// the list without those the remote would not send.
func ListedCommits(ctx context.Context, g *git.Runner, repo *git.Repo, r io.Reader, name string, fetch backfill.IDsRequest) (*Listed, error) {
	ids, lines, err := readIDLinesCtx(ctx, r, name)
	if err != nil {
		return nil, err
	}
	objects, err := odb.Open(repo.ObjectsDir, g.AlternateDirs(), repo.OIDLength())
	if err != nil {
		return nil, err
	}
	present := Present(objects, ids)
	objects.Close()
	var missing []git.OID
	for _, id := range ids {
		if !present[id] {
			missing = append(missing, id)
		}
	}
	sel := &Listed{}
	failed := map[git.OID]bool{}
	if len(missing) > 0 {
		fetch.IDs, fetch.ChunkSize, fetch.Negotiate = missing, MissingCommitChunk, true
		b := &backfill.Backfiller{Git: g, Repo: repo}
		failures, _, err := b.FetchIDs(ctx, fetch)
		if err != nil {
			return nil, fmt.Errorf("fetching %d listed commits: %w", len(missing), err)
		}
		for _, f := range failures {
			failed[f.ID] = true
			sel.Skipped = append(sel.Skipped, f.ID)
		}
	}
	var here []git.OID
	var hereLines []int
	for i, id := range ids {
		if !failed[id] {
			here, hereLines = append(here, id), append(hereLines, lines[i])
		}
	}
	if sel.Commits, err = commitsOf(ctx, g, here, hereLines, name); err != nil {
		return nil, err
	}
	return sel, nil
}

// maxTagChain bounds how many tags pointing at tags are followed.
const maxTagChain = 10

// commitsOf checks that the listed objects, all in the object store now,
// are commits: a tag stands for the commit it points at (a tag of a tag
// too), and any other object is an error naming its line. A repeat that a
// tag brings in is dropped.
func commitsOf(ctx context.Context, g *git.Runner, ids []git.OID, lines []int, name string) ([]git.OID, error) {
	cur := slices.Clone(ids) // what each listed id stands for so far
	pending := make([]int, len(ids))
	for i := range pending {
		pending[i] = i
	}
	for depth := 0; len(pending) > 0; depth++ {
		batch := make([]git.OID, len(pending))
		for k, i := range pending {
			batch[k] = cur[i]
		}
		types, targets, err := objectTypes(ctx, g, batch)
		if err != nil {
			return nil, err
		}
		var next []int
		for k, i := range pending {
			switch {
			case types[k] == "commit":
			case types[k] == "tag" && targets[k] != "" && depth < maxTagChain:
				cur[i] = targets[k]
				next = append(next, i)
			case types[k] == "tag":
				return nil, fmt.Errorf("%s:%d: tag %s does not lead to a commit", name, lines[i], ids[i])
			default:
				return nil, fmt.Errorf("%s:%d: %s is a %s, not a commit", name, lines[i], ids[i], types[k])
			}
		}
		pending = next
	}
	seen := make(map[git.OID]bool, len(cur))
	commits := cur[:0]
	for _, id := range cur {
		if !seen[id] {
			seen[id] = true
			commits = append(commits, id)
		}
	}
	return commits, nil
}

// objectTypes reads the type of each object, and for a tag its target.
func objectTypes(ctx context.Context, g *git.Runner, ids []git.OID) (types []string, targets []git.OID, err error) {
	cf, err := g.StartCatFile(ctx)
	if err != nil {
		return nil, nil, err
	}
	err = cf.ReadEach(ids, func(_ git.OID, typ string, data []byte) error {
		types = append(types, typ)
		var target git.OID
		if typ == "tag" {
			target, _ = git.TagTarget(data)
		}
		targets = append(targets, target)
		return nil
	})
	if cerr := cf.Close(); err == nil {
		err = cerr
	}
	return types, targets, err
}

// readIDLinesCtx is readIDLines that ctx can end: reading a FIFO or a
// terminal waits in a system call that no signal interrupts, so the read
// happens aside; when ctx ends first, r is abandoned to it.
func readIDLinesCtx(ctx context.Context, r io.Reader, name string) ([]git.OID, []int, error) {
	type result struct {
		ids   []git.OID
		lines []int
		err   error
	}
	ch := make(chan result, 1)
	go func() {
		ids, lines, err := readIDLines(r, name)
		ch <- result{ids, lines, err}
	}()
	select {
	case res := <-ch:
		return res.ids, res.lines, res.err
	case <-ctx.Done():
		return nil, nil, ctx.Err()
	}
}
