package config

import (
	"strconv"
	"strings"
)

// Source is one layer of raw settings, such as the environment or one file.
// Entries are in the order the source gives them: for a key set twice the last
// entry wins, except for the exporter list (see [Entry]).
type Source struct {
	Name    string  // for messages: "command line", "environment", "git config", a file path
	Entries []Entry // raw settings, unvalidated
}

// Entry is one raw setting.
//
// Key is canonical: the name from [Keys] without "backfill.", e.g. "minBatchSize",
// or "exporter.<name>.<option>" with a real name and the option spelled as in
// [Keys] ("exporter.S3.presignedUrl").
//
// For the list key "exporter" each entry adds one name, and an entry with an empty
// Value (and NoValue false) empties the list so far, as in git config.
type Entry struct {
	Key     string
	Value   string
	Origin  string // where it came from: "git config file:/repo/.git/config", "--jobs", a file path
	Line    int    // line in Origin, or 0 when unknown
	NoValue bool   // git config's "[backfill] sparse" without "=": true for booleans
}

// Where returns the entry's origin with its line, e.g. "/repo/.git/backfill.toml:3".
func (e Entry) Where() string {
	if e.Line > 0 {
		return e.Origin + ":" + strconv.Itoa(e.Line)
	}
	return e.Origin
}

// resets reports whether e empties the exporter list.
func (e Entry) resets() bool { return e.Key == "exporter" && e.Value == "" && !e.NoValue }

// splitExporterKey splits "exporter.<name>.<option>" into name and option. The name
// is everything between the prefix and the last dot, so a bad name with dots is
// kept whole and reported by [Resolve].
func splitExporterKey(key string) (name, option string, ok bool) {
	rest, ok := strings.CutPrefix(key, ExporterPrefix)
	if !ok {
		return "", "", false
	}
	i := strings.LastIndexByte(rest, '.')
	if i < 0 {
		return "", "", false
	}
	return rest[:i], rest[i+1:], true
}

// exporterKey builds the canonical key of an exporter option.
func exporterKey(name, option string) string { return ExporterPrefix + name + "." + option }
