// Package plugins runs exporters as plugin processes through HashiCorp
// go-plugin, over gRPC only, and lets the host use them through the same
// exporters.Exporter interface as an exporter in its own process.
//
// The plugin side is one call in a program's main: Serve(factory). The
// built-in exporters are served by the git-backfill binary itself,
// re-executed with a hidden first argument (BuiltinArg) that ServeBuiltin
// recognises before the command line is parsed.
//
// The host side is Start, which launches a program and returns a *Plugin:
// an exporters.Exporter whose calls cross the process boundary (see
// proto/exporter.proto for the protocol). A plugin process never outlives
// its host: on Linux it is started with a parent-death signal (SIGKILL), it
// is killed when Start's context is cancelled, and Close always waits for
// it, so no zombie is left.
//
// Standard output: go-plugin reads its handshake from the plugin's fd 1 and
// relays what the plugin later writes to os.Stdout in 1 KiB messages, which
// is far too slow for an exporter of JSON Lines. So when the host gives the
// plugin a standard output (cmd.Stdout), Start passes it as an extra file
// descriptor and names it in GIT_BACKFILL_STDOUT_FD; in the plugin, Stdout
// returns that file, and the exporter writes to it directly.
package plugins

import (
	"time"

	"github.com/hashicorp/go-plugin"

	"github.com/git-backfill/git-backfill/exporters"
)

// ProtocolVersion is the version of the plugin protocol
// (gitbackfill.exporter.v1 in proto/exporter.proto), checked by go-plugin's
// handshake when a plugin starts.
const ProtocolVersion = 1

// Handshake is the go-plugin handshake shared by the host and every
// exporter plugin. The cookie only tells a plugin program that a host
// started it; it is not a security measure.
var Handshake = plugin.HandshakeConfig{
	ProtocolVersion:  ProtocolVersion,
	MagicCookieKey:   "GIT_BACKFILL_PLUGIN",
	MagicCookieValue: "exporter-b7f3c1e94a2d",
}

// StdoutEnv names the environment variable through which the host tells a
// plugin which file descriptor is the user's standard output.
const StdoutEnv = "GIT_BACKFILL_STDOUT_FD"

// pluginName is the name of the one plugin in each plugin process, as
// go-plugin dispenses it.
const pluginName = "exporter"

const (
	// maxMessage is the largest gRPC message either side accepts, well
	// above gRPC's default of 4 MiB so that single large records pass.
	maxMessage = 256 << 20
	// maxRecord is the largest record that fits in a message.
	maxRecord = exporters.MaxRecordSize
)

// batchRecords and batchBytes bound the records of one Write message: a
// message is sent once it holds this many records or bytes. Variables only
// so that the benchmark can compare with one record per message.
var (
	batchRecords = 1000
	batchBytes   = 1 << 20
)

// startTimeout bounds how long a plugin may take to answer go-plugin's
// handshake.
const startTimeout = 30 * time.Second

// abortTimeout bounds an Abort, which also runs after cancellation, and
// the Abort that Close sends to an export still in progress. A variable
// for the tests.
var abortTimeout = 10 * time.Second
