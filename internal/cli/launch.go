package cli

import (
	"context"
	"fmt"

	"github.com/git-backfill/git-backfill/exporters"
	"github.com/git-backfill/git-backfill/exporters/s3"
	"github.com/git-backfill/git-backfill/exporters/stdout"
	"github.com/git-backfill/git-backfill/exporters/tar"
	"github.com/git-backfill/git-backfill/plugins"
)

// BuiltinExporters are the exporter types that ship in this binary. Each
// runs as a plugin process: this binary re-executed, serving one of them
// (see plugins.ServeBuiltin, called first thing in main).
var BuiltinExporters = map[string]exporters.Factory{
	"stdout": stdout.New,
	"tar":    tar.New,
	"s3":     s3.New,
}

// launchExporter starts the exporter called name, of type typ, as a plugin
// process whose stdout is the user's and whose messages reach the user's
// stderr. Its errors name it ("exporter <name>: ...").
func (c *command) launchExporter(ctx context.Context, name, typ string) (exporters.Exporter, func() error, error) {
	if _, ok := BuiltinExporters[typ]; !ok {
		return nil, nil, fmt.Errorf("unknown exporter type %q (built in: stdout, tar, s3)", typ)
	}
	cmd, err := plugins.BuiltinCommand(typ)
	if err != nil {
		return nil, nil, err
	}
	cmd.Stdout, cmd.Stderr = c.stdout, c.stderr
	p, err := plugins.Start(ctx, name, cmd)
	if err != nil {
		return nil, nil, err
	}
	return p, p.Close, nil
}
