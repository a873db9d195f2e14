package plugins

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"

	"github.com/git-backfill/git-backfill/exporters"
)

// Plugin is a running exporter plugin process, used through its
// exporters.Exporter methods, whose calls cross to the process and whose
// errors name the exporter ("exporter <name>: <message>"). Write batches
// records across calls, so a plugin's error for some records may surface
// at a later Write or at End. Like every exporter, a Plugin takes one call
// at a time. Close must be called when done.
type Plugin struct {
	c       *client
	gp      *plugin.Client
	pid     int
	cmd     *exec.Cmd
	name    string
	timeout time.Duration  // bounds each call; 0: StageTimeouts
	dir     string         // holds the plugin's socket
	pipe    *os.File       // the host's end of a stdout pipe until the plugin has its own
	copying sync.WaitGroup // copies that pipe to the host's stdout writer
	closed  chan struct{}
	once    sync.Once
}

// Info describes a plugin, as its Describe call reports it.
type Info struct {
	Name            string
	Description     string
	ProtocolVersion int
}

// Start launches cmd as the exporter plugin called name (for messages),
// completes go-plugin's handshake and returns the connected plugin.
//
// cmd must not have been started. cmd.Stdout, if set, becomes the plugin's
// Stdout: an *os.File is passed as is, so the plugin writes to it
// directly; another writer gets the output through a pipe and a goroutine,
// complete only once Close returns. Without cmd.Stdout, the plugin's
// Stdout is the null device. cmd.Stderr, if set, receives what the
// plugin writes to its standard error; otherwise that is discarded.
// cmd.Env defaults to the host's environment. On Linux the process gets
// SIGKILL when the host dies.
//
// Cancelling ctx stops the plugin as Close does. Start itself waits at
// most 30 seconds for the handshake, whatever ctx says.
func Start(ctx context.Context, name string, cmd *exec.Cmd) (*Plugin, error) {
	p := &Plugin{closed: make(chan struct{})}
	stderr := newTail(cmd.Stderr)
	cmd.Stderr = nil // go-plugin reads the plugin's stderr through a pipe
	if cmd.Env == nil {
		cmd.Env = os.Environ()
	}
	fd, err := p.passStdout(cmd)
	if err != nil {
		return nil, fmt.Errorf("starting exporter %s: %w", name, err)
	}
	cmd.Env = append(cmd.Env, StdoutEnv+"="+fd)
	// The plugin's socket goes in a directory of its own that stop
	// removes, also when the plugin was killed and left the socket behind.
	if p.dir, err = socketDir(); err != nil {
		p.closeStdoutPipe()
		p.copying.Wait()
		return nil, fmt.Errorf("starting exporter %s: %w", name, err)
	}
	cmd.Env = append(cmd.Env, plugin.EnvUnixSocketDir+"="+p.dir)
	setPdeathsig(cmd)
	setProcessGroup(cmd)
	p.gp = plugin.NewClient(&plugin.ClientConfig{
		HandshakeConfig:  Handshake,
		Plugins:          plugin.PluginSet{pluginName: &GRPCPlugin{}},
		Cmd:              cmd,
		AllowedProtocols: []plugin.Protocol{plugin.ProtocolGRPC},
		StartTimeout:     startTimeout,
		SkipHostEnv:      true, // cmd.Env has it, and our variables win
		Logger:           hclog.NewNullLogger(),
		Stderr:           stderr,
		SyncStderr:       stderr,
		SyncStdout:       io.Discard,
		GRPCDialOptions:  dialOptions(),
	})
	c, err := p.connect()
	p.closeStdoutPipe()
	if err != nil {
		p.kill(cmd)
		p.copying.Wait()
		os.RemoveAll(p.dir)
		return nil, startError(name, cmd.Path, err, stderr.last())
	}
	p.c, p.pid, p.cmd, p.name = c, cmd.Process.Pid, cmd, name
	c.name = name
	c.exitStatus = func() string { return cmd.ProcessState.String() }
	go func() {
		select {
		case <-ctx.Done():
			p.stop(context.Cause(ctx), "cancelled")
		case <-p.closed:
		}
	}()
	return p, nil
}

// connect starts the process and dispenses its exporter.
func (p *Plugin) connect() (*client, error) {
	rpc, err := p.gp.Client()
	if err != nil {
		return nil, err
	}
	raw, err := rpc.Dispense(pluginName)
	if err != nil {
		return nil, err
	}
	c, ok := raw.(*client)
	if !ok {
		return nil, fmt.Errorf("unexpected plugin type %T", raw)
	}
	return c, nil
}

// startError explains a failed start, naming the program. stderr, the last
// line the program wrote there, tells why a program ended early.
func startError(name, path string, err error, stderr string) error {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "exited before we could connect"),
		strings.Contains(msg, "Failed to read any lines"):
		msg = path + " ended before the plugin handshake"
	case strings.Contains(msg, "Unrecognized remote plugin message"):
		msg = path + " is not a git-backfill exporter plugin (it did not answer the plugin handshake)"
	case strings.Contains(msg, "incompatible API version"):
		theirs := "another version"
		if _, v, ok := strings.Cut(msg, "Plugin version: "); ok {
			theirs = "version " + strings.TrimSpace(strings.Split(v, ",")[0])
		}
		return fmt.Errorf("starting exporter %s: %s speaks %s of the plugin protocol, this git-backfill version %d",
			name, path, theirs, ProtocolVersion)
	case strings.Contains(msg, path):
		return fmt.Errorf("starting exporter %s: %w", name, err)
	default:
		return fmt.Errorf("starting exporter %s: %s: %w", name, path, err)
	}
	if stderr != "" {
		msg += ": " + stderr
	}
	return fmt.Errorf("starting exporter %s: %s", name, msg)
}

// Describe asks the plugin for its name, description and protocol version.
func (p *Plugin) Describe(ctx context.Context) (Info, error) { return p.c.describe(ctx) }

// Configure sends the exporter's options.
func (p *Plugin) Configure(ctx context.Context, options map[string]string) error {
	ctx, done := p.stage(ctx, "Configure")
	return done(p.c.Configure(ctx, options))
}

// Manifest asks for the commits at the destination, for an incremental
// export; a plugin that keeps no manifest fails with
// exporters.ErrNoManifest.
func (p *Plugin) Manifest(ctx context.Context) (exporters.Manifest, error) {
	ctx, done := p.stage(ctx, "Manifest")
	m, err := p.c.Manifest(ctx)
	return m, done(err)
}

// Begin sends the export's metadata.
func (p *Plugin) Begin(ctx context.Context, meta exporters.Metadata) error {
	ctx, done := p.stage(ctx, "Begin")
	return done(p.c.Begin(ctx, meta))
}

// Write copies the records to a queue that is sent in messages of up to
// 1,000 records or 1 MiB; it returns once they are sent or queued. An
// error the plugin reports for them surfaces at a later Write or at End.
// A single record may be up to 256 MiB.
func (p *Plugin) Write(ctx context.Context, records [][]byte) error {
	ctx, done := p.stage(ctx, "Write")
	return done(p.c.Write(ctx, records))
}

// End sends the queued records, waits until the plugin has processed them
// all, and returns its result or error (a *exporters.KeptError when
// delivery failed after local output was kept).
func (p *Plugin) End(ctx context.Context, summary exporters.Summary) (exporters.Result, error) {
	ctx, done := p.stage(ctx, "End")
	res, err := p.c.End(ctx, summary)
	return res, done(err)
}

// Abort drops the queued records and sends the reason, also when ctx is
// already cancelled (within 10 seconds). It does nothing after End
// succeeded or an earlier Abort, and returns nil for a plugin that already
// failed and exited.
func (p *Plugin) Abort(ctx context.Context, reason string) error {
	return p.c.Abort(ctx, reason)
}

// Pid is the plugin's process id.
func (p *Plugin) Pid() int { return p.pid }

// Close stops the plugin and waits for its process to end. An export still
// in progress (neither End nor Abort called) is aborted first, within 10
// seconds; the process then gets 2 seconds to exit before it is killed.
// Later calls fail. Close always returns nil.
func (p *Plugin) Close() error {
	p.stop(errors.New("closed"), "closed before the export ended")
	return nil
}

// stop shuts the client down and ends the process, once.
func (p *Plugin) stop(cause error, reason string) {
	p.once.Do(func() {
		close(p.closed)
		if p.c != nil {
			p.c.shutdown(cause, reason)
		}
		p.kill(p.cmd)
		p.copying.Wait()
		os.RemoveAll(p.dir)
	})
}

// killGrace bounds go-plugin's kill: its graceful shutdown (2 seconds, then
// it kills the process), then the wait for the plugin's output pipes,
// which a child the plugin left behind can hold open for as long as it
// lives.
var killGrace = 3 * time.Second // a variable for the tests

// kill ends the plugin process, gracefully first, and its whole process
// group if that takes longer than killGrace.
func (p *Plugin) kill(cmd *exec.Cmd) {
	done := make(chan struct{})
	go func() {
		p.gp.Kill() // waits for the process and its pipes
		close(done)
	}()
	select {
	case <-done:
		if cmd != nil && cmd.Process != nil {
			killGroup(cmd.Process.Pid) // children it left behind
		}
		return
	case <-time.After(killGrace):
	}
	if cmd != nil && cmd.Process != nil {
		killGroup(cmd.Process.Pid)
	}
	select {
	case <-done:
	case <-time.After(killGrace):
		// A child that left the group holds the pipes: the host does not
		// wait for it any longer; the wait ends when that child does.
	}
}

var (
	_ exporters.Exporter    = (*Plugin)(nil)
	_ exporters.Incremental = (*Plugin)(nil)
)

// maxSocketDir keeps the plugin's socket path ("<dir>/plugin<digits>")
// within the unix socket address limit (108 bytes on Linux, 104 on macOS).
const maxSocketDir = 80

// socketDir makes the directory for a plugin's socket: under $TMPDIR when
// that path is short enough, else under /tmp, where a long $TMPDIR would
// make the socket address too long to bind.
func socketDir() (string, error) {
	base := os.TempDir()
	if len(base)+len("/git-backfill-plugin-0123456789") > maxSocketDir {
		base = "/tmp"
	}
	dir, err := os.MkdirTemp(base, "git-backfill-plugin-")
	if err != nil {
		return "", fmt.Errorf("making the plugin's socket directory: %w", err)
	}
	return dir, nil
}
