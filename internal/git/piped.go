package git

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"os/exec"
	"sync"
)

// piped is a git process we talk to through its standard streams:
// cat-file --batch, diff-tree --stdin, rev-list, fetch. It is the one
// place that starts a git process for streaming (with the clean
// environment and options of Command), captures its stderr, stops it on
// cancellation and reaps it; the readers embed it.
type piped struct {
	ctx    context.Context
	cancel context.CancelFunc
	in     io.WriteCloser // nil when stdin was given to startPiped
	out    *bufio.Reader
	pid    int
	// wait reaps the process once and returns its failure as *Error with
	// the end of git's stderr.
	wait func() error
}

// stderrSink collects what a git process writes on stderr; Bytes is the
// part that explains a failure.
type stderrSink interface {
	io.Writer
	Bytes() []byte
}

// startPiped starts git with args (name is what messages call the command).
// With stdin nil the process reads from a pipe the caller writes to (in);
// otherwise from stdin. setup, if not nil, may adjust the command first.
// git's stderr goes to sink, or with sink nil its end is kept for errors.
func (r *Runner) startPiped(ctx context.Context, name, args []string, stdin io.Reader, setup func(*exec.Cmd), sink stderrSink) (*piped, error) {
	ctx, cancel := context.WithCancel(ctx)
	cmd := r.Command(ctx, args...)
	if setup != nil {
		setup(cmd)
	}
	stderr := sink
	if stderr == nil {
		stderr = &tailBuffer{max: 16 << 10}
	}
	cmd.Stderr = stderr
	p := &piped{ctx: ctx, cancel: cancel}
	var err error
	if stdin != nil {
		cmd.Stdin = stdin
	} else if p.in, err = cmd.StdinPipe(); err != nil {
		cancel()
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		cancel()
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		cancel()
		return nil, newError(ctx, name, err, nil)
	}
	growPipe(out)
	p.pid = cmd.Process.Pid
	p.out = bufio.NewReaderSize(out, 1<<16)
	p.wait = sync.OnceValue(func() error {
		if err := cmd.Wait(); err != nil {
			return newError(ctx, name, err, stderr.Bytes())
		}
		return nil
	})
	return p, nil
}

// consume hands git's standard output to parse, then reaps the process.
// If parse fails, git is stopped and parse's error is returned; otherwise
// git's own failure, if any, as *Error with the end of its stderr. The
// output is drained either way, so git never blocks on a full pipe.
func (p *piped) consume(parse func(out *bufio.Reader) error) error {
	perr := parse(p.out)
	if perr != nil {
		p.cancel()
	}
	_, _ = io.Copy(io.Discard, p.out)
	werr := p.wait()
	p.cancel()
	if perr != nil {
		return perr
	}
	return werr
}

// fail stops the process after err and returns the better explanation:
// git's own message, or the cancellation that stopped git, over err.
func (p *piped) fail(err error) error {
	stopped := p.ctx.Err() != nil
	p.cancel()
	if p.in != nil {
		_ = p.in.Close()
	}
	var gerr *Error
	if werr := p.wait(); errors.As(werr, &gerr) && (gerr.Stderr != "" || stopped) {
		return werr
	}
	return err
}

// Close ends the input, waits for git to finish and reports how it exited.
func (p *piped) Close() error {
	if p.in != nil {
		_ = p.in.Close()
	}
	err := p.wait()
	p.cancel()
	return err
}

// stop ends git early, whatever it was doing; being stopped is not a
// failure, but a failure before that is.
func (p *piped) stop() error {
	p.cancel()
	_, _ = io.Copy(io.Discard, p.out)
	err := p.wait()
	var gerr *Error
	if errors.As(err, &gerr) && errors.Is(gerr.Err, context.Canceled) {
		return nil
	}
	return err
}

// tailBuffer keeps the last max bytes written to it; it is safe for the
// concurrent Write of os/exec and a reader.
type tailBuffer struct {
	mu  sync.Mutex
	buf []byte
	max int
}

func (b *tailBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, p...)
	if over := len(b.buf) - b.max; over > 0 {
		b.buf = append(b.buf[:0], b.buf[over:]...)
	}
	return len(p), nil
}

// Bytes returns a copy of what is kept.
func (b *tailBuffer) Bytes() []byte {
	b.mu.Lock()
	defer b.mu.Unlock()
	return bytes.Clone(b.buf)
}
