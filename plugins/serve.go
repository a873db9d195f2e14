package plugins

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"

	"github.com/git-backfill/git-backfill/exporters"
)

// ProgramPrefix starts the name of every external exporter program:
// git-backfill-exporter-<name>.
const ProgramPrefix = "git-backfill-exporter-"

// BuiltinArg is the hidden first argument with which git-backfill
// re-executes itself to serve a built-in exporter:
// "git-backfill __exporter <type>".
const BuiltinArg = "__exporter"

// Serve serves the exporter that factory makes, as a plugin, and returns
// when the host is done with it; it is all a plugin's main needs to call.
// The exporter's name is the program's, less ProgramPrefix. Run by hand,
// without a host, it says so on standard error and exits with status 1.
func Serve(factory exporters.Factory) {
	serve(strings.TrimPrefix(filepath.Base(os.Args[0]), ProgramPrefix), factory)
}

// ServeBuiltin serves a built-in exporter if args (the arguments after the
// program name) are BuiltinArg and a type, and then returns true; for any
// other args it returns false at once. builtins is the host's list of
// built-in exporters; an unknown type is served as an exporter whose every
// call fails.
func ServeBuiltin(args []string, builtins map[string]exporters.Factory) bool {
	if len(args) == 0 || args[0] != BuiltinArg {
		return false
	}
	typ := strings.Join(args[1:], " ")
	factory, ok := builtins[typ]
	if !ok {
		err := fmt.Errorf("unknown built-in exporter %q", typ)
		factory = func() exporters.Exporter { return failing{err} }
	}
	serve(typ, factory)
	return true
}

// BuiltinCommand is the command that serves the built-in exporter typ: the
// running binary with BuiltinArg, for Start.
func BuiltinCommand(typ string) (*exec.Cmd, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("finding the git-backfill binary for exporter %s: %w", typ, err)
	}
	return exec.Command(exe, BuiltinArg, typ), nil
}

func serve(name string, factory exporters.Factory) {
	plugin.Serve(&plugin.ServeConfig{
		HandshakeConfig: Handshake,
		Plugins:         plugin.PluginSet{pluginName: &GRPCPlugin{Name: name, Factory: factory}},
		GRPCServer:      newGRPCServer,
		Logger:          hclog.NewNullLogger(),
	})
}

// failing is an exporter whose every call fails with err.
type failing struct{ err error }

func (f failing) Configure(context.Context, map[string]string) error { return f.err }
func (f failing) Begin(context.Context, exporters.Metadata) error    { return f.err }
func (f failing) Write(context.Context, [][]byte) error              { return f.err }
func (f failing) End(context.Context, exporters.Summary) (exporters.Result, error) {
	return exporters.Result{}, f.err
}
func (f failing) Abort(context.Context, string) error { return nil }
