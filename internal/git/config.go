package git

import (
	"bytes"
	"context"
	"fmt"
	"strings"
)

// ConfigEntry is one line of "git config --list": where it came from and
// what it says. Section and variable names are lower case, as git prints
// them; subsection names keep their case.
type ConfigEntry struct {
	Scope   string // system, global, local, worktree, command
	Origin  string // e.g. "file:.git/config", "command line:"
	Key     string
	Value   string
	NoValue bool // "[section] key" with no "=": a boolean true
}

// ReadConfig reads every configuration variable in effect, with one
// process. Going through git (rather than parsing files ourselves) makes
// include, includeIf, worktree config and "git -c" work as they do for git.
func (r *Runner) ReadConfig(ctx context.Context) ([]ConfigEntry, error) {
	out, err := r.Output(ctx, "config", "-z", "--list", "--show-origin", "--show-scope")
	if err != nil {
		return nil, err
	}
	return ParseConfigList(out)
}

// ParseConfigList parses the output of
// "git config -z --list --show-origin --show-scope": records of
// scope NUL origin NUL key [LF value] NUL.
func ParseConfigList(data []byte) ([]ConfigEntry, error) {
	var entries []ConfigEntry
	for len(data) > 0 {
		var fields [3][]byte
		for i := range fields {
			end := bytes.IndexByte(data, 0)
			if end < 0 {
				return nil, fmt.Errorf("git config: truncated entry %q", data)
			}
			fields[i], data = data[:end], data[end+1:]
		}
		e := ConfigEntry{Scope: string(fields[0]), Origin: string(fields[1])}
		key, value, hasValue := strings.Cut(string(fields[2]), "\n")
		e.Key, e.Value, e.NoValue = key, value, !hasValue
		entries = append(entries, e)
	}
	return entries, nil
}

// Config is a read-only view of configuration entries for lookups by key.
type Config []ConfigEntry

// Get returns the last value of key (git's "last one wins"), compared
// case-insensitively on section and variable name.
func (c Config) Get(key string) (ConfigEntry, bool) {
	for i := len(c) - 1; i >= 0; i-- {
		if configKeyEqual(c[i].Key, key) {
			return c[i], true
		}
	}
	return ConfigEntry{}, false
}

// Bool interprets key as git does for booleans; absent keys give def.
func (c Config) Bool(key string, def bool) (bool, error) {
	e, ok := c.Get(key)
	if !ok {
		return def, nil
	}
	if e.NoValue {
		return true, nil
	}
	switch strings.ToLower(e.Value) {
	case "true", "yes", "on", "1":
		return true, nil
	case "false", "no", "off", "0", "":
		return false, nil
	}
	return false, fmt.Errorf("bad boolean value %q for %s (%s)", e.Value, key, e.Origin)
}

// configKeyEqual compares keys whose section and variable name are case
// insensitive while the subsection in between is not.
func configKeyEqual(a, b string) bool {
	ai, bi := strings.LastIndexByte(a, '.'), strings.LastIndexByte(b, '.')
	aj, bj := strings.IndexByte(a, '.'), strings.IndexByte(b, '.')
	if ai < 0 || bi < 0 {
		return strings.EqualFold(a, b)
	}
	return strings.EqualFold(a[:aj], b[:bj]) && a[aj:ai] == b[bj:bi] &&
		strings.EqualFold(a[ai:], b[bi:])
}

// PromisorRemotes returns the names of promisor remotes in the order git
// tries them: the one named by extensions.partialClone first, then any
// remote.<name>.promisor=true.
func (c Config) PromisorRemotes() []string {
	var names []string
	seen := map[string]bool{}
	add := func(n string) {
		if n != "" && !seen[n] {
			seen[n] = true
			names = append(names, n)
		}
	}
	if e, ok := c.Get("extensions.partialclone"); ok {
		add(e.Value)
	}
	for _, e := range c {
		// git prints section and variable names in lower case.
		rest, ok := strings.CutPrefix(e.Key, "remote.")
		if !ok || !strings.HasSuffix(rest, ".promisor") {
			continue
		}
		name := rest[:len(rest)-len(".promisor")]
		if v, err := (Config{e}).Bool(e.Key, false); err == nil && v {
			add(name)
		}
	}
	return names
}
