package pathwalk

import (
	"context"
	"encoding/hex"
	"fmt"

	"github.com/git-backfill/git-backfill/internal/git"
)

// Stream reads raw tree objects in the order they were asked for. One
// goroutine calls Send and Flush while another calls Receive, so the
// object store works while we parse.
type Stream interface {
	Send(id []byte) error // queue a request for the tree with binary id
	Flush() error         // hand the queued requests over
	// Receive returns the content of the oldest unanswered request's tree,
	// valid until the second Receive after it (the digest compares each
	// tree with the one before).
	Receive(id []byte) ([]byte, error)
	Close() error
}

// OpenStream starts one Stream, which must end when ctx is done; a Reader
// opens one per worker.
type OpenStream func(ctx context.Context) (Stream, error)

// CatFileStreams opens streams that are "git cat-file --batch" processes.
// Only trees known to be present may be asked for: cat-file fetches a
// missing object from the promisor remote.
func CatFileStreams(r *git.Runner) OpenStream {
	return func(ctx context.Context) (Stream, error) {
		cf, err := r.StartCatFile(ctx)
		if err != nil {
			return nil, err
		}
		return &catFileStream{cf: cf}, nil
	}
}

type catFileStream struct {
	cf  *git.CatFile
	out []byte // hex id being sent
	in  []byte // hex id being received
}

func (s *catFileStream) Send(id []byte) error {
	s.out = hex.AppendEncode(s.out[:0], id)
	return s.cf.Send(s.out)
}

func (s *catFileStream) Flush() error { return s.cf.Flush() }

func (s *catFileStream) Receive(id []byte) ([]byte, error) {
	s.in = hex.AppendEncode(s.in[:0], id)
	typ, data, err := s.cf.Receive(s.in)
	if err != nil {
		return nil, err
	}
	if typ != "tree" {
		return nil, fmt.Errorf("object %s is a %s, not a tree", s.in, typ)
	}
	return data, nil
}

func (s *catFileStream) Close() error { return s.cf.Close() }
