package config

import (
	"reflect"
	"strings"
	"testing"
)

// gitLocal builds an entry as git prints it for .git/config.
func gitLocal(key, value string) GitEntry {
	return GitEntry{Scope: "local", Origin: "file:.git/config", Key: key, Value: value}
}

func TestFromGitConfig(t *testing.T) {
	const local = "git config file:.git/config"
	tests := []struct {
		name     string
		in       []GitEntry
		want     []Entry
		warnings []string
	}{{
		name: "lower-cased keys become canonical",
		in: []GitEntry{
			gitLocal("backfill.minbatchsize", "20k"),
			gitLocal("backfill.includeedges", "false"),
			gitLocal("backfill.diffbase", "fork-point"),
		},
		want: []Entry{
			{Key: "minBatchSize", Value: "20k", Origin: local},
			{Key: "includeEdges", Value: "false", Origin: local},
			{Key: "diffBase", Value: "fork-point", Origin: local},
		},
	}, {
		name: "no value, and other sections skipped",
		in: []GitEntry{
			gitLocal("core.bare", "false"),
			{Scope: "local", Origin: "file:.git/config", Key: "backfill.sparse", NoValue: true},
			gitLocal("backfillx.jobs", "3"),
		},
		want: []Entry{{Key: "sparse", Origin: local, NoValue: true}},
	}, {
		name: "subsection case is kept, option case restored",
		in: []GitEntry{
			gitLocal("backfill.exporter.S3.presignedurl", "https://x"),
			gitLocal("backfill.exporter.lake.bucket", "y"),
			gitLocal("backfill.Exporter.Lake.SHA256", "z"),
		},
		want: []Entry{
			{Key: "exporter.S3.presignedUrl", Value: "https://x", Origin: local},
			{Key: "exporter.lake.bucket", Value: "y", Origin: local},
			{Key: "exporter.Lake.sha256", Value: "z", Origin: local},
		},
	}, {
		name: "multi-valued exporter kept in order with resets",
		in: []GitEntry{
			{Scope: "global", Origin: "file:/home/u/.gitconfig", Key: "backfill.exporter", Value: "a"},
			gitLocal("backfill.exporter", ""),
			gitLocal("backfill.exporter", "b"),
		},
		want: []Entry{
			{Key: "exporter", Value: "a", Origin: "git config file:/home/u/.gitconfig"},
			{Key: "exporter", Origin: local},
			{Key: "exporter", Value: "b", Origin: local},
		},
	}, {
		name: "command line and scope-only origins",
		in: []GitEntry{
			{Scope: "command", Origin: "command line:", Key: "backfill.jobs", Value: "3"},
			{Scope: "global", Key: "backfill.days", Value: "7"},
			{Key: "backfill.days", Value: "8"},
		},
		want: []Entry{
			{Key: "jobs", Value: "3", Origin: "git config command line"},
			{Key: "days", Value: "7", Origin: "git config (global)"},
			{Key: "days", Value: "8", Origin: "git config"},
		},
	}, {
		// Exporters own their options: unknown ones reach the exporter (in
		// git's lower case), which checks them in Configure.
		name: "an exporter's own options pass through",
		in: []GitEntry{
			gitLocal("backfill.exporter.lake.compressionlevel", "9"),
			gitLocal("backfill.exporter.lake.bukket", "x"),
		},
		want: []Entry{
			{Key: "exporter.lake.compressionlevel", Value: "9", Origin: "git config file:.git/config"},
			{Key: "exporter.lake.bukket", Value: "x", Origin: "git config file:.git/config"},
		},
	}, {
		name: "unknown keys warn",
		in: []GitEntry{
			gitLocal("backfill.minbatchsise", "1"),
			gitLocal("backfill.colour", "1"),
			gitLocal("backfill.exporter.bucket", "1"),
			gitLocal("backfill.other.jobs", "1"),
		},
		warnings: []string{
			"ignoring unknown key backfill.minbatchsise in git config file:.git/config (did you mean backfill.minBatchSize?)",
			"ignoring unknown key backfill.colour in git config file:.git/config",
			"ignoring unknown key backfill.exporter.bucket in git config file:.git/config",
			"ignoring unknown key backfill.other.jobs in git config file:.git/config",
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src, warnings := FromGitConfig(tt.in)
			if src.Name != "git config" {
				t.Errorf("Name = %q", src.Name)
			}
			if !reflect.DeepEqual(src.Entries, tt.want) {
				t.Errorf("entries:\n got %+v\nwant %+v", src.Entries, tt.want)
			}
			if strings.Join(warnings, "\n") != strings.Join(tt.warnings, "\n") {
				t.Errorf("warnings:\n got %q\nwant %q", warnings, tt.warnings)
			}
		})
	}
}
