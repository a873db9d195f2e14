package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"github.com/git-backfill/git-backfill/config"
	"github.com/git-backfill/git-backfill/exporters"
	"github.com/git-backfill/git-backfill/exporters/buildkite"
	"github.com/git-backfill/git-backfill/exporters/parquet"
	"github.com/git-backfill/git-backfill/exporters/s3"
	"github.com/git-backfill/git-backfill/exporters/stdout"
	"github.com/git-backfill/git-backfill/exporters/tar"
	"github.com/git-backfill/git-backfill/plugins"
)

// BuiltinExporters are the exporter types that ship in this binary. Each
// runs as a plugin process: this binary re-executed, serving one of them
// (see plugins.ServeBuiltin, called first thing in main).
var BuiltinExporters = map[string]exporters.Factory{
	"stdout":    stdout.New,
	"tar":       tar.New,
	"s3":        s3.New,
	"buildkite": buildkite.New,
	"parquet":   parquet.New,
}

// builtinNames lists BuiltinExporters' types, sorted.
func builtinNames() []string {
	names := make([]string, 0, len(BuiltinExporters))
	for n := range BuiltinExporters {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// findOptions is where this command looks for exporter programs: its
// environment, the git-backfill binary's directory and configured paths.
func (c *command) findOptions(configured map[string]string) plugins.FindOptions {
	opts := plugins.FindOptions{Getenv: c.getenv, Configured: configured}
	if exe, err := os.Executable(); err == nil {
		opts.ExeDir = filepath.Dir(exe)
	}
	return opts
}

// exporterProgram resolves the program of the exporter cfg: its configured
// path, else nothing ("") for a built-in type, else the discovered
// git-backfill-exporter-<type>. where is the search step that found it.
func (c *command) exporterProgram(cfg config.ExporterConfig) (path, where string, err error) {
	if cfg.Path != "" {
		return plugins.Find(cfg.Name, c.findOptions(map[string]string{cfg.Name: cfg.Path}))
	}
	if _, ok := BuiltinExporters[cfg.Type]; ok {
		return "", "", nil
	}
	path, where, err = plugins.Find(cfg.Type, c.findOptions(nil))
	var nf *plugins.NotFoundError
	if errors.As(err, &nf) {
		return "", "", fmt.Errorf("unknown exporter type %q: not built in (%s) and %w",
			cfg.Type, strings.Join(builtinNames(), ", "), err)
	}
	return path, where, err
}

// launchExporter starts the exporter cfg as a plugin process whose stdout
// is the user's and whose messages reach the user's stderr: a built-in type
// is this binary re-executed, unless cfg.Path names a program; any other
// type is the program plugins.Find discovers. A program is hashed first
// when cfg.SHA256 pins it, and not started if its digest differs. Its
// errors name it ("exporter <name>: ...").
func (c *command) launchExporter(ctx context.Context, cfg config.ExporterConfig) (exporters.Exporter, func() error, error) {
	path, _, err := c.exporterProgram(cfg)
	if err != nil {
		return nil, nil, err
	}
	var cmd *exec.Cmd
	if path == "" {
		if cmd, err = plugins.BuiltinCommand(cfg.Type); err != nil {
			return nil, nil, err
		}
	} else {
		if cfg.SHA256 != "" {
			if err := plugins.CheckSHA256(path, cfg.SHA256); err != nil {
				return nil, nil, fmt.Errorf("%w (pinned by backfill.exporter.%s.sha256)", err, cfg.Name)
			}
		}
		cmd = exec.Command(path)
	}
	cmd.Stdout, cmd.Stderr = c.stdout, c.stderr
	p, err := plugins.Start(ctx, cfg.Name, cmd)
	if err != nil {
		return nil, nil, err
	}
	p.SetTimeout(cfg.Timeout)
	return p, p.Close, nil
}
