package cli

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/git-backfill/git-backfill/config"
	"github.com/git-backfill/git-backfill/internal/git"
	"github.com/git-backfill/git-backfill/plugins"
)

const exportersUsageLine = "git backfill exporters [--config=<file>]"

// exportersOptions are the options of "git backfill exporters".
var exportersOptions = []option{
	{long: "config", set: setConfig, arg: "<file>",
		help: "read settings from this TOML file instead of $GIT_DIR/backfill.toml or ~/.config/git-backfill/config.toml"},
}

// describeTimeout bounds how long "git backfill exporters" waits for one
// plugin to start and describe itself.
const describeTimeout = 10 * time.Second

// exporters is "git backfill exporters": it lists every available
// exporter on stdout, one line each, tab-separated: name, where it was
// found, program path, protocol version and description. The built-ins
// come first, then each discovered program, each started briefly to ask
// its Describe; a program that fails is listed with its error instead.
func (c *command) exporters(ctx context.Context, args []string) error {
	return withUsage(c.runExporters(ctx, args), exportersUsageLine)
}

func (c *command) runExporters(ctx context.Context, args []string) error {
	p, err := c.parse(exportersOptions, exportersUsageLine, nil, args)
	if err != nil {
		return err
	}
	if len(p.revs) > 0 || len(p.pathspecs) > 0 {
		return usagef("git backfill exporters takes no arguments")
	}
	// Configured program paths count only inside a repository, where the
	// configuration is read; outside one, the search alone is listed.
	configs := map[string]config.ExporterConfig{}
	if _, err := git.NewRunner(c.dir, c.environ).Discover(ctx); err == nil {
		s, err := c.open(ctx, exportersOptions, p)
		if err != nil {
			return err
		}
		for name, cfg := range s.settings.ExporterConfigs {
			if cfg.Path != "" {
				configs[name] = cfg
			}
		}
	}
	configured := map[string]string{}
	for name, cfg := range configs {
		configured[name] = cfg.Path
	}

	self, err := os.Executable()
	if err != nil {
		self = "git-backfill"
	}
	for _, typ := range builtinNames() {
		where := "built in"
		if _, ok := configured[typ]; ok {
			where = "built in, replaced by backfill.exporter." + typ + ".path"
		}
		cmd, err := plugins.BuiltinCommand(typ)
		var info plugins.Info
		if err == nil {
			info, err = c.describe(ctx, typ, cmd)
		}
		c.exporterLine(typ, where, self, info, err)
	}
	for _, f := range plugins.List(c.findOptions(configured)) {
		where := f.Where
		if f.Where == plugins.WhereConfig {
			where = "config backfill.exporter." + f.Name + ".path"
		} else if _, ok := BuiltinExporters[f.Name]; ok {
			where += " (unused: the built-in " + f.Name + " comes first)"
		}
		var info plugins.Info
		err := f.Err
		// A pinned program is hashed before it runs, wherever it was found.
		if cfg, ok := configs[f.Name]; ok && err == nil && cfg.SHA256 != "" {
			err = plugins.CheckSHA256(f.Path, cfg.SHA256)
		}
		if err == nil {
			info, err = c.describe(ctx, f.Name, exec.Command(f.Path))
		}
		c.exporterLine(f.Name, where, f.Path, info, err)
	}
	return nil
}

// describe starts a plugin briefly and asks it to describe itself.
func (c *command) describe(ctx context.Context, name string, cmd *exec.Cmd) (plugins.Info, error) {
	ctx, cancel := context.WithTimeout(ctx, describeTimeout)
	defer cancel()
	p, err := plugins.Start(ctx, name, cmd)
	if err != nil {
		return plugins.Info{}, err
	}
	defer p.Close()
	return p.Describe(ctx)
}

// exporterLine prints one exporter: name, where, path, protocol version and
// description, or "-" and the error for one that could not describe itself.
func (c *command) exporterLine(name, where, path string, info plugins.Info, err error) {
	version, desc := strconv.Itoa(info.ProtocolVersion), info.Description
	if err != nil {
		version, desc = "-", "error: "+err.Error()
	}
	desc = strings.Join(strings.Fields(desc), " ") // one line, no tabs
	fmt.Fprintf(c.stdout, "%s\t%s\t%s\t%s\t%s\n", name, where, path, version, desc)
}
