package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/git-backfill/git-backfill/config"
	"github.com/git-backfill/git-backfill/internal/git"
)

// loadSettings reads every configuration source, highest precedence first,
// and merges them.
func (c *command) loadSettings(repo *git.Repo, gitCfg []git.ConfigEntry, opts []option, p *parsedArgs) (*config.Settings, []config.Source, error) {
	sources, err := c.settingsSources(repo, gitCfg, opts, p)
	if err != nil {
		return nil, nil, err
	}
	settings, err := resolveSettings(sources)
	return settings, sources, err
}

// settingsSources reads the configuration sources, highest precedence
// first: flags, environment, git config, the TOML file, the tracked file.
func (c *command) settingsSources(repo *git.Repo, gitCfg []git.ConfigEntry, opts []option, p *parsedArgs) ([]config.Source, error) {
	flags := flagSource(opts, p)
	env, warnings := config.FromEnv(c.environ)
	c.warn(warnings)
	entries := make([]config.GitEntry, len(gitCfg))
	for i, e := range gitCfg {
		entries[i] = config.GitEntry{Scope: e.Scope, Origin: e.Origin, Key: e.Key, Value: e.Value, NoValue: e.NoValue}
	}
	fromGit, warnings := config.FromGitConfig(entries)
	c.warn(warnings)
	sources := []config.Source{flags, env, fromGit}

	tomlPath := p.flags.Config
	if tomlPath == "" {
		tomlPath = config.DefaultTOMLPath(repo.GitDir, c.getenv)
	} else if !filepath.IsAbs(tomlPath) {
		tomlPath = filepath.Join(c.dir, tomlPath)
	}
	if tomlPath != "" {
		data, err := os.ReadFile(tomlPath)
		if err != nil {
			return nil, fmt.Errorf("reading configuration: %w", err)
		}
		src, err := config.FromTOML(tomlPath, data)
		if err != nil {
			return nil, err
		}
		sources = append(sources, src)
	}
	if repo.WorkTree != "" {
		// Untrusted: anyone who can push wrote it. A bad one is ignored
		// with a warning rather than stopping every command.
		src, warnings, ok := config.LoadRepoFile(filepath.Join(repo.WorkTree, config.RepoFileName))
		c.warn(warnings)
		if ok {
			sources = append(sources, src)
		}
	}
	return sources, nil
}

// resolveSettings merges sources, highest precedence first.
func resolveSettings(sources []config.Source) (*config.Settings, error) {
	settings, err := config.Resolve(sources...)
	var bad *config.ValueError
	if errors.As(err, &bad) && strings.HasPrefix(bad.Origin, "--") {
		// A bad option value is a usage error (129), as in git.
		return nil, &usageError{msg: err.Error()}
	}
	return settings, err
}

func (c *command) getenv(name string) string {
	prefix := name + "="
	for i := len(c.environ) - 1; i >= 0; i-- {
		if v, ok := strings.CutPrefix(c.environ[i], prefix); ok {
			return v
		}
	}
	return ""
}

func (c *command) warn(warnings []string) {
	for _, w := range warnings {
		fmt.Fprintf(c.stderr, "warning: %s\n", w)
	}
}

// flagSource turns the options given on the command line into the highest
// configuration source, so their values are checked like any other.
func flagSource(opts []option, p *parsedArgs) config.Source {
	flags := config.Source{Name: "command line"}
	done := map[string]bool{}
	for _, long := range p.order {
		for _, o := range opts {
			if o.long != long || o.key == "" || done[long] {
				continue
			}
			values := []string{p.values[long]}
			if o.repeat {
				values = p.lists[long]
				done[long] = true
			}
			for _, v := range values {
				flags.Entries = append(flags.Entries, config.Entry{Key: o.key, Value: v, Origin: "--" + long})
			}
		}
	}
	return flags
}
