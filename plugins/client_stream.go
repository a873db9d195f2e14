package plugins

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	pb "github.com/git-backfill/git-backfill/plugins/proto"
)

// arenaChunk is the size of the buffers that queued records are copied
// into: records are only valid during Write, and batches span Writes.
const arenaChunk = 256 << 10

// exitWait is how long a failed call waits for the plugin process to end,
// to tell a crash from a broken connection.
const exitWait = 2 * time.Second

// add copies r to the queue, into the arena's free tail, which no record
// queued or sent before points into (their capacities end with them): a
// sent message is never modified. A full chunk is left to the records that
// point into it and a new one begun.
func (c *client) add(r []byte) {
	if cap(c.arena)-len(c.arena) < len(r) {
		c.arena = make([]byte, 0, max(arenaChunk, len(r)))
	}
	i := len(c.arena)
	c.arena = append(c.arena, r...)
	c.pending = append(c.pending, c.arena[i:len(c.arena):len(c.arena)])
	c.pendingSize += len(r)
}

// flush sends the queued records as one message, opening the record
// stream first if needed. The stream lives across calls, so its context is
// its own (stopStream cancels it), not the caller's.
func (c *client) flush(ctx context.Context) error {
	if c.stream == nil {
		sctx, cancel := context.WithCancel(context.Background())
		c.mu.Lock()
		c.cancelStream = cancel
		if c.stopCause != nil {
			cancel()
		}
		c.mu.Unlock()
		stream, err := c.rpc.Write(sctx)
		if err != nil {
			c.err = c.fail(ctx, err)
			return c.err
		}
		c.stream = stream
	}
	msg := &pb.WriteRequest{Records: c.pending}
	n := len(c.pending)
	c.pending, c.pendingSize = nil, 0 // the arena's free tail is not in msg
	if err := c.stream.Send(msg); err != nil {
		if err == io.EOF {
			// The plugin ended the stream; its status says why.
			if _, err = c.stream.CloseAndRecv(); err == nil {
				err = errors.New("the plugin ended the record stream early")
			}
		}
		c.err = c.fail(ctx, err)
		c.stopStream()
		return c.err
	}
	c.sent += int64(n)
	return nil
}

// closeStream sends the queued records and closes the record stream,
// waiting until the plugin has processed every record.
func (c *client) closeStream(ctx context.Context) error {
	defer context.AfterFunc(ctx, c.stopStream)()
	if len(c.pending) > 0 {
		if err := c.flush(ctx); err != nil {
			return err
		}
	}
	if c.stream == nil {
		return nil
	}
	resp, err := c.stream.CloseAndRecv()
	c.stopStream()
	switch {
	case err != nil:
		c.err = c.fail(ctx, err)
	case resp.GetRecords() != c.sent:
		c.err = c.errorf("the plugin took %d of %d records", resp.GetRecords(), c.sent)
	}
	return c.err
}

// stopStream cancels the record stream, if any.
func (c *client) stopStream() {
	c.mu.Lock()
	cancel := c.cancelStream
	c.mu.Unlock()
	if cancel != nil {
		cancel()
	}
}

// errorf formats an error naming the exporter.
func (c *client) errorf(format string, args ...any) error {
	return fmt.Errorf("exporter %s: "+format, append([]any{c.name}, args...)...)
}

// fail turns the error of a call made with ctx into the host's: the
// caller's cancellation, the plugin's own message, a plugin that exited,
// or a broken connection.
func (c *client) fail(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	if ctx.Err() != nil {
		return c.errorf("%w", context.Cause(ctx))
	}
	// The deadline travels to the plugin with the call, and the plugin's
	// copy may end it (the plugin answering with its own "deadline
	// exceeded") a moment before ctx reports it: still the caller's.
	if dl, ok := ctx.Deadline(); ok && !time.Now().Before(dl) {
		return c.errorf("%w", context.DeadlineExceeded)
	}
	c.mu.Lock()
	stopped := c.stopCause
	c.mu.Unlock()
	if stopped != nil {
		return c.errorf("%w", stopped)
	}
	st := status.Convert(err)
	switch st.Code() {
	case codes.DeadlineExceeded:
		// gRPC's own timer for ctx's deadline can fire a moment before
		// ctx reports it, or before the clock reaches it: it is still the
		// caller's deadline.
		if _, ok := ctx.Deadline(); ok {
			return c.errorf("%w", context.DeadlineExceeded)
		}
	case codes.Unavailable, codes.Canceled, codes.Internal:
		// Transport failures: usually the process is gone.
		select {
		case <-c.exited:
			return c.errorf("the plugin exited unexpectedly (%s)", c.exitStatus())
		case <-time.After(exitWait):
		}
		return c.errorf("lost the connection to the plugin: %s", st.Message())
	}
	return c.errorf("%s", st.Message())
}

// hasExited reports whether the plugin process has exited.
func (c *client) hasExited() bool {
	select {
	case <-c.exited:
		return true
	default:
		return false
	}
}
