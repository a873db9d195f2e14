package backfill

import (
	"context"
	"time"

	"github.com/git-backfill/git-backfill/internal/git"
)

// IDsRequest asks for a list of objects by id, outside of any walk: the
// commits an export was handed that are not here yet, say.
type IDsRequest struct {
	Remote    string
	IDs       []git.OID
	Paths     []string // what to call each id in failure reports; may be nil
	ChunkSize int      // ids per request
	Jobs      int
	Retries   int
	Negotiate bool // commits: let the server know what we have
	Filter    string
	// As in Request.
	Backoff, StallTimeout, SilenceTimeout, ProbeTimeout time.Duration
}

// FetchIDs fetches ids in chunks with the same machinery as a backfill:
// requests in parallel, retries, and bisection of failing chunks so that
// only the objects the server will not send are left out. It returns those.
func (b *Backfiller) FetchIDs(ctx context.Context, req IDsRequest) ([]Failure, int, error) {
	f := &fetcher{
		fetch: func(ctx context.Context, ids []git.OID, again bool, progress func(git.FetchProgress)) error {
			return b.Git.FetchObjects(ctx, req.Remote, ids, git.FetchOptions{
				Filter: req.Filter, StallTimeout: req.StallTimeout, Progress: progress,
				Negotiate: req.Negotiate, ObjectsDir: b.Repo.ObjectsDir, Again: again})
		},
		probe: func(ctx context.Context) error {
			return b.Git.ProbeRemote(ctx, req.Remote, req.ProbeTimeout)
		},
		remote: req.Remote, retries: req.Retries, backoff: req.Backoff,
		silence: req.SilenceTimeout, waitingForUser: b.Git.WaitingForUser, counters: &Counters{},
	}
	defer tidyTempPacks(b.Repo.ObjectsDir)()
	f.start(ctx, req.Jobs)
	bt := &batcher{min: max(req.ChunkSize, 1), max: max(req.ChunkSize, 1), send: f.submit}
	var err error
	for i, id := range req.IDs {
		path := ""
		if i < len(req.Paths) {
			path = req.Paths[i]
		}
		if err = bt.add(path, []git.OID{id}); err != nil {
			break
		}
	}
	if err == nil {
		err = bt.flush()
	}
	if werr := f.wait(); werr != nil {
		return f.failed, f.requests, werr
	}
	return f.failed, f.requests, err
}
