package backfill

import (
	"context"

	"github.com/git-backfill/git-backfill/internal/git"
)

// rootStream hands the walk the root trees of the selected commits while
// the revision walk is still running, so git reads the first trees while
// rev-list parses the rest of the history. It also keeps them, in order,
// in the run's roots for walks that come after.
type rootStream struct {
	trees  chan git.OID
	result chan error // the revision walk's outcome, once trees is closed
	cancel context.CancelFunc
	err    error
	ended  bool
}

// streamRoots starts the revision walk.
func (r *run) streamRoots() *rootStream {
	ctx, cancel := context.WithCancel(r.ctx)
	s := &rootStream{trees: make(chan git.OID, 4096), result: make(chan error, 1), cancel: cancel}
	go func() {
		err := r.b.streamCommits(ctx, r.req, func(c git.Commit) error {
			r.roots = append(r.roots, c.Tree)
			r.req.Counters.Commits.Add(1)
			select {
			case s.trees <- c.Tree:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
		close(s.trees)
		s.result <- err
	}()
	return s
}

// next returns the next root tree; at the end, ok is false and err is the
// revision walk's failure, if any.
func (s *rootStream) next() (git.OID, bool, error) {
	if s.ended {
		return "", false, s.err
	}
	if id, ok := <-s.trees; ok {
		return id, true, nil
	}
	s.ended, s.err = true, <-s.result
	return "", false, s.err
}

// close stops the revision walk if it still runs and waits for it, so the
// run's roots are complete and no longer written. It returns the walk's
// failure, unless the walk was stopped early.
func (s *rootStream) close() error {
	if s.ended {
		s.cancel()
		return s.err
	}
	s.cancel()
	for range s.trees {
	}
	<-s.result
	s.ended = true
	return nil
}
