package git

import (
	"bufio"
	"context"
	"io"
)

// StreamLines runs git with args and calls fn for each line of its
// standard output (without the newline) as it arrives, so output of any
// size is never held whole in memory. If fn fails, the process is stopped
// and fn's error returned; if git fails, an *Error with its stderr.
func (r *Runner) StreamLines(ctx context.Context, stdin io.Reader, args []string, fn func(string) error) error {
	p, err := r.startPiped(ctx, args, args, emptyIfNil(stdin), nil, nil)
	if err != nil {
		return err
	}
	return p.consume(func(out *bufio.Reader) error {
		sc := bufio.NewScanner(out)
		sc.Buffer(make([]byte, 64*1024), 64*1024*1024)
		for sc.Scan() {
			if err := fn(sc.Text()); err != nil {
				return err
			}
		}
		return sc.Err()
	})
}

// emptyIfNil gives a process that reads nothing an empty standard input
// rather than a pipe nobody writes to.
func emptyIfNil(r io.Reader) io.Reader {
	if r == nil {
		return eofReader{}
	}
	return r
}

type eofReader struct{}

func (eofReader) Read([]byte) (int, error) { return 0, io.EOF }
