package backfill

import (
	"context"
	"path/filepath"

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
	roots   []string // root trees of the selected commits, hex
}

func (b *Backfiller) newRun(ctx context.Context, req Request, st *Stats) (*run, error) {
	objects, err := b.openObjects()
	if err != nil {
		return nil, err
	}
	trees := pathwalk.NewReader(ctx, pathwalk.CatFileStreams(b.Git), req.Readers, b.Repo.OIDLength())
	return &run{b: b, ctx: ctx, req: req, st: st, trees: trees, objects: objects}, nil
}

// openObjects reads which objects the repository holds, alternates
// included (also those git is told of by GIT_ALTERNATE_OBJECT_DIRECTORIES).
func (b *Backfiller) openObjects() (*odb.Store, error) {
	var extra []string
	if v := b.Git.Getenv("GIT_ALTERNATE_OBJECT_DIRECTORIES"); v != "" {
		extra = filepath.SplitList(v)
	}
	for i, dir := range extra {
		if !filepath.IsAbs(dir) {
			extra[i] = filepath.Join(b.Git.Dir, dir)
		}
	}
	return odb.Open(b.Repo.ObjectsDir, extra, b.Repo.OIDLength())
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

// rootsMissing reports whether some root tree is not here (a treeless
// clone).
func (r *run) rootsMissing() bool {
	id := make([]byte, r.b.Repo.OIDLength())
	for _, root := range r.roots {
		if decodeID(id, root) && !r.objects.Has(id) {
			return true
		}
	}
	return false
}

// backfill fetches missing trees (treeless clones) and then the blobs.
func (r *run) backfill() error {
	if r.req.DryRun {
		return r.walkBlobs()
	}
	if r.rootsMissing() {
		if err := r.completeTrees(); err != nil {
			return err
		}
	}
	skippedBefore := r.st.TreesUnknown
	if err := r.walkBlobs(); err != nil || r.st.TreesUnknown == skippedBefore {
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
	return r.walkBlobs()
}

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
