package backfill

import (
	"context"
	"fmt"
	"io"
	"path/filepath"

	"github.com/git-backfill/git-backfill/exporters/flock"
)

// lockName is the lock a backfill holds in the repository's git directory
// (beside its object directory, so that worktrees share it).
const lockName = "backfill.lock"

// lockRepository waits until no other backfill of this repository runs:
// two at once would both download everything. The second one waits (ctx
// ends the wait) and then finds what the first fetched already there.
// The lock is released when the returned closer is closed, or when the
// process dies.
func (b *Backfiller) lockRepository(ctx context.Context, waiting func()) (io.Closer, error) {
	path := filepath.Join(filepath.Dir(b.Repo.ObjectsDir), lockName)
	f, err := flock.Lock(ctx, path, 0, waiting)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("locking the repository for backfill: %w", err)
	}
	return f, nil
}
