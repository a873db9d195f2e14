package config

import (
	"fmt"
	"strings"
)

// GitEntry is one setting as "git config -z --list --show-origin --show-scope"
// prints it; the caller runs git and parses its output.
type GitEntry struct {
	Scope   string // "system", "global", "local", "worktree" or "command"
	Origin  string // e.g. "file:/repo/.git/config" or "command line:"
	Key     string // e.g. "backfill.minbatchsize" or "backfill.exporter.S3.bucket"
	Value   string
	NoValue bool // "[backfill] sparse" with no "=": git prints no value at all
}

// FromGitConfig picks the backfill.* settings out of git config's entries, in
// git's order (system, global, local, worktree, command line), so that the last
// one for a key wins and backfill.exporter values accumulate across files, an empty
// value resetting the list.
//
// git lower-cases section and variable names but keeps the subsection's case, so
// "backfill.minBatchSize" arrives as "backfill.minbatchsize" and
// "[backfill \"exporter.S3\"] presignedUrl" as "backfill.exporter.S3.presignedurl";
// both are mapped back to the canonical spelling. Keys outside backfill.* are
// skipped. Unknown backfill.* keys are skipped with a warning, not an error: git
// itself ignores unknown keys, and other versions may know them.
func FromGitConfig(entries []GitEntry) (Source, []string) {
	src := Source{Name: "git config"}
	var warnings []string
	for _, g := range entries {
		section, rest, ok := strings.Cut(g.Key, ".")
		if !ok || !strings.EqualFold(section, "backfill") {
			continue
		}
		origin := gitOrigin(g)
		key, suggestion := canonicalGitKey(rest)
		if key == "" {
			w := fmt.Sprintf("ignoring unknown key %s in %s", g.Key, origin)
			if suggestion != "" {
				w += fmt.Sprintf(" (did you mean %s?)", "backfill."+suggestion)
			}
			warnings = append(warnings, w)
			continue
		}
		src.Entries = append(src.Entries, Entry{
			Key: key, Value: g.Value, Origin: origin, NoValue: g.NoValue,
		})
	}
	return src, warnings
}

// canonicalGitKey maps the part of a git key after "backfill." to a canonical key,
// or returns "" and perhaps a suggestion.
func canonicalGitKey(rest string) (key, suggestion string) {
	i := strings.LastIndexByte(rest, '.')
	if i < 0 {
		if name, ok := lowerNames[strings.ToLower(rest)]; ok {
			return name, ""
		}
		return "", suggest(rest, topKeyNames())
	}
	sub, variable := rest[:i], rest[i+1:]
	// Subsections are case-sensitive in git, but nobody means anything else by
	// "Exporter.x", so the fixed prefix is matched in any case.
	if len(sub) <= len(ExporterPrefix) || !strings.EqualFold(sub[:len(ExporterPrefix)], ExporterPrefix) {
		return "", ""
	}
	name := sub[len(ExporterPrefix):]
	if opt, ok := lowerOptions[strings.ToLower(variable)]; ok {
		return exporterKey(name, opt), ""
	}
	// Any other well-formed option is the exporter's own (git gives it in
	// lower case; exporters compare option names without case).
	if validName(variable) {
		return exporterKey(name, variable), ""
	}
	return "", ""
}

// gitOrigin describes where a git config entry came from, e.g.
// "git config file:/repo/.git/config" or "git config command line".
func gitOrigin(g GitEntry) string {
	origin := strings.TrimSuffix(g.Origin, ":")
	if origin == "" {
		origin = "(" + g.Scope + ")"
		if g.Scope == "" {
			return "git config"
		}
	}
	return "git config " + origin
}
