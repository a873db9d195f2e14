package trace2

import (
	"errors"
	"io"
	"time"
)

// writeTimeout bounds one write to a target that a reader drains (a FIFO,
// a socket, an inherited descriptor): a reader that stops reading must not
// stop the run, which git's own tracing would (and no signal would end
// the wait). The target is dropped instead.
const writeTimeout = 2 * time.Second

var errStalled = errors.New("the reader stopped reading for " + writeTimeout.String())

// boundedWriter writes through w, giving up after writeTimeout. A write
// given up on is left to finish in the background; its target is dropped,
// so no other write follows it.
type boundedWriter struct {
	w io.Writer
}

type writeResult struct {
	n   int
	err error
}

func (b boundedWriter) Write(p []byte) (int, error) {
	done := make(chan writeResult, 1)
	go func() {
		n, err := b.w.Write(p)
		done <- writeResult{n, err}
	}()
	t := time.NewTimer(writeTimeout)
	defer t.Stop()
	select {
	case r := <-done:
		return r.n, r.err
	case <-t.C:
		return 0, errStalled
	}
}
