package config

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// EnvPrefix starts every environment variable this program reads.
const EnvPrefix = "GIT_BACKFILL_"

// ReservedEnv lists GIT_BACKFILL_* variables that are not settings but are read
// elsewhere in the program, so [FromEnv] does not warn about them. A name ending
// in "*" stands for every variable starting with the rest.
var ReservedEnv = []string{
	"GIT_BACKFILL_PLUGIN_PATH", // where to find exporter plugins (README: custom exporters)
	"GIT_BACKFILL_PLUGIN_*",    // the plugin handshake between host and plugin processes
}

// FromEnv picks the settings out of environ ("NAME=value" strings, as from
// os.Environ). Each top-level key has a variable, its name in upper snake case:
// GIT_BACKFILL_MIN_BATCH_SIZE, GIT_BACKFILL_SPARSE and so on (see [KeyInfo.EnvVar]).
// GIT_BACKFILL_EXPORTER holds a comma-separated list; set but empty, it empties
// the list. Any other variable set but empty is treated as unset, the usual way to
// switch a setting off for one command. A variable listed twice counts once, first
// wins, as in os.Getenv.
//
// Unknown GIT_BACKFILL_* variables that are not [ReservedEnv] are skipped with a
// warning, in environ order. Values are checked by [Resolve].
func FromEnv(environ []string) (Source, []string) {
	byVar := map[string]string{}
	for _, k := range Keys {
		if v := k.EnvVar(); v != "" {
			byVar[v] = k.Name
		}
	}
	src := Source{Name: "environment"}
	var warnings []string
	seen := map[string]bool{}
	for _, kv := range environ {
		name, value, ok := strings.Cut(kv, "=")
		if !ok || !strings.HasPrefix(name, EnvPrefix) || seen[name] {
			continue
		}
		seen[name] = true
		key, known := byVar[name]
		switch {
		case !known && !reservedEnv(name):
			warnings = append(warnings, unknownEnvWarning(name, byVar))
		case !known:
		case key == "exporter":
			src.Entries = append(src.Entries, envList(key, name, value)...)
		case value != "":
			src.Entries = append(src.Entries, Entry{Key: key, Value: value, Origin: "environment " + name})
		}
	}
	return src, warnings
}

// envList turns "a, b" into one entry per name; an empty list resets.
func envList(key, name, value string) []Entry {
	origin := "environment " + name
	var entries []Entry
	for item := range strings.SplitSeq(value, ",") {
		if item = strings.TrimSpace(item); item != "" {
			entries = append(entries, Entry{Key: key, Value: item, Origin: origin})
		}
	}
	if len(entries) == 0 {
		entries = append(entries, Entry{Key: key, Origin: origin})
	}
	return entries
}

// reservedEnv reports whether name is in [ReservedEnv].
func reservedEnv(name string) bool {
	for _, r := range ReservedEnv {
		if p, ok := strings.CutSuffix(r, "*"); ok && strings.HasPrefix(name, p) || name == r {
			return true
		}
	}
	return false
}

// unknownEnvWarning names an unknown variable and a likely intended one.
func unknownEnvWarning(name string, byVar map[string]string) string {
	w := "ignoring unknown environment variable " + name
	if s := suggest(name, slices.Sorted(maps.Keys(byVar))); s != "" {
		w += fmt.Sprintf(" (did you mean %s?)", s)
	}
	return w
}
