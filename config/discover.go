package config

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
)

// DefaultTOMLPath returns the TOML config file to read when --config is not given:
// $GIT_DIR/backfill.toml if it exists, else $XDG_CONFIG_HOME/git-backfill/config.toml
// if it exists (XDG_CONFIG_HOME defaults to $HOME/.config, and a relative value is
// ignored, as the XDG spec says), else "". gitDir is the repository's git
// directory as "git rev-parse --absolute-git-dir" prints it, or "" outside a
// repository; getenv is os.Getenv or a test's stand-in.
//
// A file that exists but cannot be examined (permission denied) is returned all
// the same, so that reading it reports the problem instead of silently skipping it.
func DefaultTOMLPath(gitDir string, getenv func(string) string) string {
	var candidates []string
	if gitDir != "" {
		candidates = append(candidates, filepath.Join(gitDir, TOMLFileName))
	}
	base := getenv("XDG_CONFIG_HOME")
	if !filepath.IsAbs(base) {
		base = ""
		if home := getenv("HOME"); home != "" {
			base = filepath.Join(home, ".config")
		}
	}
	if base != "" {
		candidates = append(candidates, filepath.Join(base, "git-backfill", "config.toml"))
	}
	for _, path := range candidates {
		fi, err := os.Stat(path)
		if err == nil && !fi.IsDir() || err != nil && !errors.Is(err, fs.ErrNotExist) {
			return path
		}
	}
	return ""
}
