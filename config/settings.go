package config

import "time"

// Settings is the resolved configuration. [Resolve] fills it; it is not modified
// afterwards, so it may be read from several goroutines.
type Settings struct {
	MinBatchSize int64  // minimum objects per fetch request, > 0
	MaxBatchSize int64  // maximum objects per fetch request; 0 means no limit
	Jobs         int    // parallel fetch requests, at least 1 (DefaultJobs unless configured)
	Sparse       *bool  // nil when not set: core.sparseCheckout decides
	IncludeEdges bool   // also fetch the snapshots of boundary commits
	Remote       string // "" when not set: the promisor remote, or origin for export
	Days         int    // export window in days, > 0
	Concurrency  int    // parallel diff workers; 0 means choose automatically
	SkipDiffs    bool   // leave git_diff and git_diff_raw out of records
	DiffBase     string // [DiffBaseParent] or [DiffBaseForkPoint]
	Snapshot     bool   // export from a hard-linked snapshot of a bare mirror

	// Exporters are the default exporters' names, in order, without duplicates.
	// Empty means none is configured: the caller uses stdout.
	Exporters []string

	// ExporterConfigs holds the exporters configured by exporter.<name>.<option>
	// keys, by name. Names and types are valid program-name parts.
	ExporterConfigs map[string]ExporterConfig

	origins map[string]string // key → where its value came from
}

// ExporterConfig is one named exporter's configuration.
type ExporterConfig struct {
	Name    string            // the name it is configured under
	Type    string            // the exporter implementation; defaults to Name
	Path    string            // absolute path of the plugin program, or ""
	SHA256  string            // required digest of the plugin program, lower-case hex, or ""
	Timeout time.Duration     // bounds each call to the plugin; 0: its stages' defaults
	Options map[string]string // every other option set, by its canonical name ("bucket")
}

// Exporter returns the configuration of the exporter called name, and whether it
// is configured. An unconfigured name gets an ExporterConfig whose Type is name,
// as docs/configuration.md describes for built-in types and
// discovered plugins.
func (s *Settings) Exporter(name string) (ExporterConfig, bool) {
	if c, ok := s.ExporterConfigs[name]; ok {
		return c, true
	}
	return ExporterConfig{Name: name, Type: name, Options: map[string]string{}}, false
}

// Origin reports where the value of a canonical key came from, as it appears in
// messages: "--jobs", "environment GIT_BACKFILL_JOBS", "git config
// file:/repo/.git/config", "/repo/.git/backfill.toml:3", or "default" for a key
// left at its default (including an exporter's implied type). It returns "" for a
// key that does not exist or an exporter option that is not set.
func (s *Settings) Origin(key string) string {
	if o, ok := s.origins[key]; ok {
		return o
	}
	if _, ok := topKeys[key]; ok {
		return "default"
	}
	if name, opt, ok := splitExporterKey(key); ok && opt == "type" {
		if _, ok := s.ExporterConfigs[name]; ok {
			return "default"
		}
	}
	return ""
}
