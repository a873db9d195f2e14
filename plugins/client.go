package plugins

import (
	"context"
	"sync"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/git-backfill/git-backfill/exporters"
	pb "github.com/git-backfill/git-backfill/plugins/proto"
)

// client is the host side of the protocol: an exporters.Exporter whose
// calls go to a plugin process. Its errors name the exporter. Calls are
// serialised by sem, which a cancelled context can stop waiting for; the
// fields below sem belong to its holder.
type client struct {
	rpc    pb.ExporterClient
	exited <-chan struct{} // closed once the plugin process has exited
	name   string          // the exporter's name, for messages
	// exitStatus says how the process ended ("signal: killed"); only
	// called once exited is closed.
	exitStatus func() string

	sem chan struct{}

	stream      pb.Exporter_WriteClient // the record stream, once opened
	sent        int64                   // records sent on stream
	pending     [][]byte                // records not sent yet, in arena
	pendingSize int
	arena       []byte
	err         error // the record stream failed: every later call fails so
	started     bool  // Configure was called
	finished    bool  // End succeeded or Abort was called

	mu           sync.Mutex
	cancelStream context.CancelFunc // cancels the record stream
	stopCause    error              // why shutdown stopped the plugin
}

var (
	_ exporters.Exporter    = (*client)(nil)
	_ exporters.Incremental = (*client)(nil)
)

func newClient(rpc pb.ExporterClient, exited <-chan struct{}) *client {
	return &client{
		rpc: rpc, exited: exited, name: pluginName, sem: make(chan struct{}, 1),
		exitStatus: func() string { return "exited" },
	}
}

// enter waits for the other calls to finish; the caller must call leave
// unless it fails.
func (c *client) enter(ctx context.Context) error {
	select {
	case c.sem <- struct{}{}:
	case <-ctx.Done():
		return c.errorf("%w", context.Cause(ctx))
	}
	c.mu.Lock()
	stopped := c.stopCause
	c.mu.Unlock()
	if stopped != nil {
		<-c.sem
		return c.errorf("%w", stopped)
	}
	return nil
}

func (c *client) leave() { <-c.sem }

// Configure sends the options.
func (c *client) Configure(ctx context.Context, options map[string]string) error {
	if err := c.enter(ctx); err != nil {
		return err
	}
	defer c.leave()
	c.started = true
	_, err := c.rpc.Configure(ctx, &pb.ConfigureRequest{Options: options})
	return c.fail(ctx, err)
}

// Manifest asks for the commits at the destination; an exporter that keeps
// no manifest fails with exporters.ErrNoManifest.
func (c *client) Manifest(ctx context.Context) (exporters.Manifest, error) {
	if err := c.enter(ctx); err != nil {
		return exporters.Manifest{}, err
	}
	defer c.leave()
	resp, err := c.rpc.Manifest(ctx, &pb.ManifestRequest{})
	if status.Code(err) == codes.Unimplemented {
		return exporters.Manifest{}, c.errorf("%w", exporters.ErrNoManifest)
	}
	if err != nil {
		return exporters.Manifest{}, c.fail(ctx, err)
	}
	return exporters.Manifest{Commits: resp.GetCommits(), Found: resp.GetFound(), Warning: resp.GetWarning()}, nil
}

// Begin sends the metadata.
func (c *client) Begin(ctx context.Context, meta exporters.Metadata) error {
	if err := c.enter(ctx); err != nil {
		return err
	}
	defer c.leave()
	_, err := c.rpc.Begin(ctx, &pb.BeginRequest{Metadata: metadataToPB(meta)})
	return c.fail(ctx, err)
}

// Write queues the records and sends them in batches (see batchRecords):
// it returns once they are sent or queued, and an error that the plugin
// reports for them surfaces at a later Write or at End.
func (c *client) Write(ctx context.Context, records [][]byte) error {
	if err := c.enter(ctx); err != nil {
		return err
	}
	defer c.leave()
	if c.err != nil {
		return c.err
	}
	if c.finished {
		return c.errorf("write after the export ended")
	}
	// A cancelled call also cancels a Send blocked on a slow plugin.
	defer context.AfterFunc(ctx, c.stopStream)()
	for i, r := range records {
		if len(r) > maxRecord {
			return c.errorf("record %d of the batch has %d bytes, over the plugin protocol's limit of %d", i+1, len(r), maxRecord)
		}
		if len(c.pending) > 0 && c.pendingSize+len(r) > batchBytes {
			if err := c.flush(ctx); err != nil {
				return err
			}
		}
		c.add(r)
		if len(c.pending) >= batchRecords || c.pendingSize >= batchBytes {
			if err := c.flush(ctx); err != nil {
				return err
			}
		}
	}
	return nil
}

// End sends the queued records, closes the record stream once the plugin
// has processed them all, and asks for the result.
func (c *client) End(ctx context.Context, summary exporters.Summary) (exporters.Result, error) {
	if err := c.enter(ctx); err != nil {
		return exporters.Result{}, err
	}
	defer c.leave()
	if c.err != nil {
		return exporters.Result{}, c.err
	}
	if c.finished {
		return exporters.Result{}, c.errorf("end after the export ended")
	}
	if err := c.closeStream(ctx); err != nil {
		return exporters.Result{}, err
	}
	resp, err := c.rpc.End(ctx, &pb.EndRequest{Summary: summaryToPB(summary), Commits: summary.Commits})
	if err != nil {
		return exporters.Result{}, c.fail(ctx, err)
	}
	c.finished = true
	if k := resp.GetKept(); k != nil {
		return exporters.Result{}, &exporters.KeptError{Path: k.GetPath(), Err: c.errorf("%s", k.GetMessage())}
	}
	return resultFromPB(resp.GetResult()), nil
}

// Abort drops the queued records, cancels the record stream and sends the
// reason. It does nothing after End succeeded, after an earlier Abort, or
// once a plugin that already failed has exited (its failure was reported
// by the call that found it). It works with a cancelled ctx too, since
// aborting is what follows a cancellation: it takes at most abortTimeout.
func (c *client) Abort(ctx context.Context, reason string) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), abortTimeout)
	defer cancel()
	if err := c.enter(ctx); err != nil {
		return err
	}
	defer c.leave()
	if c.finished || !c.started || (c.err != nil && c.hasExited()) {
		c.finished = true
		return nil
	}
	c.finished = true
	c.pending, c.pendingSize, c.arena = nil, 0, nil
	c.stopStream()
	_, err := c.rpc.Abort(ctx, &pb.AbortRequest{Reason: reason})
	return c.fail(ctx, err)
}

// describe asks the plugin who it is.
func (c *client) describe(ctx context.Context) (Info, error) {
	if err := c.enter(ctx); err != nil {
		return Info{}, err
	}
	defer c.leave()
	resp, err := c.rpc.Describe(ctx, &pb.DescribeRequest{})
	if err != nil {
		return Info{}, c.fail(ctx, err)
	}
	return Info{Name: resp.GetName(), Description: resp.GetDescription(), ProtocolVersion: int(resp.GetProtocolVersion())}, nil
}

// shutdown stops the client for good: it cancels the record stream (a
// blocked Write returns) and, if an export is in progress, sends Abort
// with reason, waiting at most abortTimeout for both. Later calls fail
// with cause.
func (c *client) shutdown(cause error, reason string) {
	c.mu.Lock()
	if c.stopCause == nil {
		c.stopCause = cause
	}
	cancel := c.cancelStream
	c.mu.Unlock()
	if cancel != nil {
		cancel()
	}
	ctx, stop := context.WithTimeout(context.Background(), abortTimeout)
	defer stop()
	select {
	case c.sem <- struct{}{}:
	case <-ctx.Done():
		return // a call is stuck; the process is killed next
	}
	defer c.leave()
	if c.started && !c.finished && !c.hasExited() {
		c.finished = true
		_, _ = c.rpc.Abort(ctx, &pb.AbortRequest{Reason: reason})
	}
}
