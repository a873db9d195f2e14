package selection

import (
	"context"
	"fmt"
	"io"

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
	ids, err := ReadIDs(r, name)
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
	for _, id := range ids {
		if !failed[id] {
			sel.Commits = append(sel.Commits, id)
		}
	}
	return sel, nil
}
