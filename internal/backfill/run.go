package backfill

import (
	"context"
	"errors"

	"github.com/git-backfill/git-backfill/internal/git"
	"github.com/git-backfill/git-backfill/internal/odb"
	"github.com/git-backfill/git-backfill/internal/pathwalk"
)

// run is one backfill's state: the tree readers and the object store's
// contents, which are read again after fetches bring new packs.
type run struct {
	b       *Backfiller
	ctx     context.Context
	req     Request
	st      *Stats
	trees   *pathwalk.Reader
	objects *odb.Store
	roots   []git.OID // root trees of the selected commits
}

func (b *Backfiller) newRun(ctx context.Context, req Request, st *Stats) (*run, error) {
	objects, err := b.openObjects()
	if err != nil {
		return nil, err
	}
	trees := pathwalk.NewReader(ctx, pathwalk.CatFileStreams(b.Git), req.Readers, b.Repo.OIDLength())
	trees.Start() // cat-file starts while rev-list lists the first commits
	return &run{b: b, ctx: ctx, req: req, st: st, trees: trees, objects: objects}, nil
}

// openObjects reads which objects the repository holds, alternates
// included (also those git is told of by GIT_ALTERNATE_OBJECT_DIRECTORIES).
func (b *Backfiller) openObjects() (*odb.Store, error) {
	return odb.Open(b.Repo.ObjectsDir, b.Git.AlternateDirs(), b.Repo.OIDLength())
}

// reopen reads the object store again, after fetches added packs.
func (r *run) reopen() error {
	objects, err := r.b.openObjects()
	if err != nil {
		return err
	}
	r.objects.Close()
	r.objects = objects
	return nil
}

// close stops the tree readers and reports how they ended.
func (r *run) close() error {
	err := r.trees.Close()
	r.objects.Close()
	if r.ctx.Err() != nil {
		return nil // the caller reports the interruption
	}
	return err
}

// backfill walks the history as the revision walk lists it and fetches
// the missing blobs. In a treeless clone (a root tree missing) the trees
// are fetched first and the walk starts over from the roots it listed.
func (r *run) backfill() error {
	roots := r.streamRoots()
	err := r.walkBlobs(roots.next, !r.req.DryRun)
	if serr := roots.close(); serr != nil {
		return serr // a bad revision: nothing was fetched
	}
	r.st.Commits = len(r.roots)
	if errors.Is(err, pathwalk.ErrRootMissing) {
		if err = r.completeTrees(); err == nil {
			err = r.walkBlobs(r.rootList(), false)
		}
	}
	if err != nil || r.req.DryRun || r.st.TreesUnknown == 0 {
		return err
	}
	// Trees below present roots were missing too (a depth-limited tree
	// filter): fetch them, then the blobs under them.
	if err := r.completeTrees(); err != nil {
		return err
	}
	// The first walk's blobs are here now: read the store again so the
	// second does not ask for them.
	if err := r.reopen(); err != nil {
		return err
	}
	return r.walkBlobs(r.rootList(), false)
}

// rootList hands out the roots the revision walk listed, for walks after
// the first.
func (r *run) rootList() func() (git.OID, bool, error) { return pathwalk.RootList(r.roots) }

// completeTrees fetches missing trees a level (or, without a path filter,
// everything) at a time until none is missing or some cannot be fetched.
func (r *run) completeTrees() error {
	for {
		fetched, err := r.fetchTrees()
		if err != nil {
			return err
		}
		if fetched > 0 {
			if err := r.reopen(); err != nil {
				return err
			}
		}
		// Trees the remote will not send are reported with the blobs; the
		// rest of the history is still walked.
		if fetched == 0 || len(r.st.Failed) > 0 {
			return nil
		}
	}
}
