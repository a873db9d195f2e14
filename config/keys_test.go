package config

import (
	"slices"
	"testing"
)

func TestKeyNames(t *testing.T) {
	tests := []struct {
		name, git, env, flag string
	}{
		{"minBatchSize", "backfill.minBatchSize", "GIT_BACKFILL_MIN_BATCH_SIZE", "--min-batch-size"},
		{"maxBatchSize", "backfill.maxBatchSize", "GIT_BACKFILL_MAX_BATCH_SIZE", "--max-batch-size"},
		{"jobs", "backfill.jobs", "GIT_BACKFILL_JOBS", "--jobs"},
		{"sparse", "backfill.sparse", "GIT_BACKFILL_SPARSE", "--sparse"},
		{"includeEdges", "backfill.includeEdges", "GIT_BACKFILL_INCLUDE_EDGES", "--include-edges"},
		{"remote", "backfill.remote", "GIT_BACKFILL_REMOTE", "--remote"},
		{"days", "backfill.days", "GIT_BACKFILL_DAYS", "--days"},
		{"concurrency", "backfill.concurrency", "GIT_BACKFILL_CONCURRENCY", "--concurrency"},
		{"skipDiffs", "backfill.skipDiffs", "GIT_BACKFILL_SKIP_DIFFS", "--skip-diffs"},
		{"diffBase", "backfill.diffBase", "GIT_BACKFILL_DIFF_BASE", "--diff-base"},
		{"snapshot", "backfill.snapshot", "GIT_BACKFILL_SNAPSHOT", "--snapshot"},
		{"exporter", "backfill.exporter", "GIT_BACKFILL_EXPORTER", "--exporter"},
		{"exporter.<name>.presignedUrl", "backfill.exporter.<name>.presignedUrl", "", ""},
	}
	for _, tt := range tests {
		k, ok := Lookup(tt.name)
		if !ok {
			t.Errorf("Lookup(%q) failed", tt.name)
			continue
		}
		if k.GitKey() != tt.git || k.EnvVar() != tt.env || k.Flag() != tt.flag {
			t.Errorf("%s: got %q %q %q, want %q %q %q", tt.name,
				k.GitKey(), k.EnvVar(), k.Flag(), tt.git, tt.env, tt.flag)
		}
	}
}

// TestKeysTable checks that the table covers every documented key and is
// consistent.
func TestKeysTable(t *testing.T) {
	var top []string
	for _, k := range Keys {
		if k.Help == "" || k.Allowed == "" || k.Kind.String() == "unknown" {
			t.Errorf("%s: incomplete entry %+v", k.Name, k)
		}
		if k.IsExporterOption() {
			if k.RepoSafe {
				t.Errorf("%s: exporter options must never be repo-safe", k.Name)
			}
			continue
		}
		top = append(top, k.Name)
		if _, ok := setters[k.Name]; !ok {
			t.Errorf("%s: no setter", k.Name)
		}
		if setters[k.Name] == nil && k.Kind != KindList {
			t.Errorf("%s: nil setter", k.Name)
		}
	}
	spec := []string{"minBatchSize", "maxBatchSize", "jobs", "sparse", "includeEdges", "remote",
		"days", "concurrency", "skipDiffs", "diffBase", "snapshot", "exporter"}
	if !slices.Equal(top, spec) {
		t.Errorf("top-level keys = %v, want the documented %v", top, spec)
	}
	if len(setters) != len(spec) {
		t.Errorf("setters has %d keys, want %d", len(setters), len(spec))
	}
	want := []string{"minBatchSize", "maxBatchSize", "sparse", "days", "diffBase"}
	if got := RepoSafeKeys(); !slices.Equal(got, want) {
		t.Errorf("RepoSafeKeys() = %v, want %v", got, want)
	}
	for _, opt := range []string{"type", "path", "sha256", "bucket", "prefix", "region", "endpoint", "output"} {
		if _, ok := Lookup("exporter.lake." + opt); !ok {
			t.Errorf("exporter option %s missing", opt)
		}
	}
	// Exporters own their options: any well-formed name passes through
	// (the exporter's Configure checks it); malformed names do not.
	if k, ok := Lookup("exporter.lake.compressionLevel"); !ok || k.Kind != KindString {
		t.Errorf("an exporter's own option must pass through as a string, got %+v %v", k, ok)
	}
	for _, bad := range []string{"exporter.lake", "exporter.lake.bo gus", "exporter.lake.-x", "minbatchsize", "", "exporter."} {
		if _, ok := Lookup(bad); ok {
			t.Errorf("Lookup(%q) succeeded", bad)
		}
	}
}

// TestDefaults checks that every default in the table parses and that Resolve
// with no sources gives the documented defaults.
func TestDefaults(t *testing.T) {
	for _, k := range Keys {
		if k.Default == "" || k.IsExporterOption() {
			continue
		}
		if err := setters[k.Name](&Settings{}, k.Default); err != nil {
			t.Errorf("default %q of %s does not parse: %v", k.Default, k.Name, err)
		}
	}
	s, err := Resolve()
	if err != nil {
		t.Fatal(err)
	}
	if s.MinBatchSize != 50000 || s.MaxBatchSize != 0 || s.Jobs != 4 || s.Sparse != nil ||
		!s.IncludeEdges || s.Remote != "" || s.Days != 90 || s.Concurrency != 0 || s.SkipDiffs ||
		s.DiffBase != DiffBaseParent || s.Snapshot || len(s.Exporters) != 0 || len(s.ExporterConfigs) != 0 {
		t.Errorf("defaults = %+v", s)
	}
	for _, k := range []string{"minBatchSize", "sparse", "exporter"} {
		if o := s.Origin(k); o != "default" {
			t.Errorf("Origin(%q) = %q, want default", k, o)
		}
	}
	if o := s.Origin("nonsense"); o != "" {
		t.Errorf("Origin(nonsense) = %q", o)
	}
}

func TestSuggest(t *testing.T) {
	names := topKeyNames()
	tests := []struct{ in, want string }{
		{"minBatchSzie", "minBatchSize"},
		{"minbatchsize", "minBatchSize"},
		{"MIN_BATCH_SIZE", "minBatchSize"},
		{"job", "jobs"},
		{"sparce", "sparse"},
		{"diff-base", "diffBase"},
		{"colour", ""},
		{"x", ""},
	}
	for _, tt := range tests {
		if got := suggest(tt.in, names); got != tt.want {
			t.Errorf("suggest(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
