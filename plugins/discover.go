package plugins

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Where a program was found: the steps of the search, in order (README: custom exporters).
const (
	WhereConfig     = "config"                              // backfill.exporter.<name>.path
	WherePluginPath = "$GIT_BACKFILL_PLUGIN_PATH"           // each of its directories
	WhereData       = "$XDG_DATA_HOME/git-backfill/plugins" // default ~/.local/share
	WhereBinary     = "beside git-backfill"                 // the git-backfill binary's directory
	WherePath       = "PATH"
)

// FindOptions is what the search for exporter programs depends on, so that
// tests can set it.
type FindOptions struct {
	// Getenv reads an environment variable (GIT_BACKFILL_PLUGIN_PATH,
	// XDG_DATA_HOME, HOME, PATH); nil reads none.
	Getenv func(string) string
	// ExeDir is the directory of the git-backfill binary; "" skips that step.
	ExeDir string
	// Configured maps exporter names to the program paths given in config
	// (backfill.exporter.<name>.path), which name the program itself.
	Configured map[string]string
}

// Found is an exporter program: the exporter's name, the program's path
// and the search step that found it (one of the Where constants).
type Found struct {
	Name, Path, Where string
	// Err is why a configured program (Where is WhereConfig) cannot be
	// run: it is missing, not a regular file or not executable.
	Err error
}

// NotFoundError is Find's error when no step of the search has the program.
type NotFoundError struct {
	Name   string
	Looked []string // the places searched, in order, each "<dir> (<where>)"
}

func (e *NotFoundError) Error() string {
	looked := "nowhere (no search directory is set)"
	if len(e.Looked) > 0 {
		looked = strings.Join(e.Looked, ", ")
	}
	return fmt.Sprintf("exporter program %s%s not found; looked in %s", ProgramPrefix, e.Name, looked)
}

// searchDir is one directory of the search and its step.
type searchDir struct{ dir, where string }

// dirs lists the directories searched after the configured path, in order.
// Relative and empty entries are skipped: a program is never found through
// the current directory, which may be an untrusted repository.
func (o FindOptions) dirs() []searchDir {
	getenv := o.Getenv
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	var dirs []searchDir
	seen := map[string]bool{}
	add := func(dir, where string) {
		if dir == "" || !filepath.IsAbs(dir) {
			return
		}
		dir = filepath.Clean(dir)
		if !seen[dir] {
			seen[dir] = true
			dirs = append(dirs, searchDir{dir, where})
		}
	}
	for _, d := range filepath.SplitList(getenv("GIT_BACKFILL_PLUGIN_PATH")) {
		add(d, WherePluginPath)
	}
	data := getenv("XDG_DATA_HOME")
	if !filepath.IsAbs(data) { // unset, or relative: ignored by the XDG spec
		data = ""
		if home := getenv("HOME"); filepath.IsAbs(home) {
			data = filepath.Join(home, ".local", "share")
		}
	}
	if data != "" {
		add(filepath.Join(data, "git-backfill", "plugins"), WhereData)
	}
	add(o.ExeDir, WhereBinary)
	for _, d := range filepath.SplitList(getenv("PATH")) {
		add(d, WherePath)
	}
	return dirs
}

// Find finds the program of the exporter called name
// (git-backfill-exporter-<name>): the path configured for name, which must
// then be an executable file, else the first executable regular file of
// that name in $GIT_BACKFILL_PLUGIN_PATH's directories,
// $XDG_DATA_HOME/git-backfill/plugins, the git-backfill binary's directory
// and PATH's directories. where is the step that found it. When there is
// none, the error is a *NotFoundError listing where it looked.
func Find(name string, opts FindOptions) (path, where string, err error) {
	if name == "" || strings.ContainsAny(name, `/\`) || name == "." || name == ".." {
		return "", "", fmt.Errorf("invalid exporter name %q", name)
	}
	if p := opts.Configured[name]; p != "" {
		if err := checkProgram(p); err != nil {
			return "", "", fmt.Errorf("exporter %s: configured program (backfill.exporter.%s.path): %w", name, name, err)
		}
		return p, WhereConfig, nil
	}
	nf := &NotFoundError{Name: name}
	for _, d := range opts.dirs() {
		p := filepath.Join(d.dir, ProgramPrefix+name)
		if checkProgram(p) == nil {
			return p, d.where, nil
		}
		nf.Looked = append(nf.Looked, d.dir+" ("+d.where+")")
	}
	return "", "", nf
}

// List lists every exporter program the search finds, one per name (the
// one Find would choose), sorted by name. A configured program is listed
// even when it cannot be run, with Err set.
func List(opts FindOptions) []Found {
	byName := map[string]Found{}
	for name, p := range opts.Configured {
		if p != "" {
			// The configured program is the one used, even when broken.
			byName[name] = Found{name, p, WhereConfig, checkProgram(p)}
		}
	}
	for _, d := range opts.dirs() {
		entries, err := os.ReadDir(d.dir)
		if err != nil {
			continue
		}
		for _, e := range entries {
			name, ok := strings.CutPrefix(e.Name(), ProgramPrefix)
			if !ok || name == "" {
				continue
			}
			if _, done := byName[name]; done {
				continue
			}
			p := filepath.Join(d.dir, e.Name())
			if checkProgram(p) == nil {
				byName[name] = Found{Name: name, Path: p, Where: d.where}
			}
		}
	}
	found := make([]Found, 0, len(byName))
	for _, f := range byName {
		found = append(found, f)
	}
	sort.Slice(found, func(i, j int) bool { return found[i].Name < found[j].Name })
	return found
}

// checkProgram succeeds for an executable regular file (symbolic links
// followed).
func checkProgram(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("%s is not a regular file", path)
	}
	if fi.Mode().Perm()&0o111 == 0 {
		return fmt.Errorf("%s is not executable", path)
	}
	return nil
}

// ErrDigestMismatch is wrapped by CheckSHA256's error when the program's
// digest differs from the pinned one.
var ErrDigestMismatch = errors.New("sha256 mismatch")

// CheckSHA256 hashes the program at path and fails, naming the program and
// both digests, unless its SHA-256 is want (hex, any case).
func CheckSHA256(path, want string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("checking the sha256 of %s: %w", path, err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return fmt.Errorf("checking the sha256 of %s: %w", path, err)
	}
	got := hex.EncodeToString(h.Sum(nil))
	if !strings.EqualFold(got, want) {
		return fmt.Errorf("refusing to start %s: %w: expected %s, got %s",
			path, ErrDigestMismatch, strings.ToLower(want), got)
	}
	return nil
}
