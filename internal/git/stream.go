package git

import (
	"bufio"
	"bytes"
	"context"
	"io"
)

// StreamLines runs git with args and calls fn for each line of its
// standard output (without the newline) as it arrives, so output of any
// size is never held whole in memory. If fn fails, the process is stopped
// and fn's error returned; if git fails, an *Error with its stderr.
func (r *Runner) StreamLines(ctx context.Context, stdin io.Reader, args []string, fn func(string) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	cmd := r.Command(ctx, args...)
	cmd.Stdin = stdin
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return newError(ctx, args, err, nil)
	}
	sc := bufio.NewScanner(out)
	sc.Buffer(make([]byte, 64*1024), 64*1024*1024)
	var fnErr error
	for sc.Scan() {
		if fnErr = fn(sc.Text()); fnErr != nil {
			cancel()
			break
		}
	}
	if fnErr == nil {
		fnErr = sc.Err()
	}
	// Drain so git is not blocked writing when we stop reading early.
	_, _ = io.Copy(io.Discard, out)
	waitErr := cmd.Wait()
	if fnErr != nil {
		return fnErr
	}
	if waitErr != nil {
		return newError(ctx, args, waitErr, stderr.Bytes())
	}
	return nil
}
