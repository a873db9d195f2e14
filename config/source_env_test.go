package config

import (
	"reflect"
	"strings"
	"testing"
)

func TestFromEnv(t *testing.T) {
	env := func(name string) string { return "environment " + name }
	tests := []struct {
		name     string
		in       []string
		want     []Entry
		warnings []string
	}{{
		name: "settings",
		in: []string{
			"HOME=/home/u",
			"GIT_BACKFILL_MIN_BATCH_SIZE=20k",
			"GIT_BACKFILL_SPARSE=yes",
			"GIT_BACKFILL_DIFF_BASE=fork-point",
			"GIT_BACKFILL_REMOTE=up=stream", // only the first '=' separates
		},
		want: []Entry{
			{Key: "minBatchSize", Value: "20k", Origin: env("GIT_BACKFILL_MIN_BATCH_SIZE")},
			{Key: "sparse", Value: "yes", Origin: env("GIT_BACKFILL_SPARSE")},
			{Key: "diffBase", Value: "fork-point", Origin: env("GIT_BACKFILL_DIFF_BASE")},
			{Key: "remote", Value: "up=stream", Origin: env("GIT_BACKFILL_REMOTE")},
		},
	}, {
		name: "exporter list",
		in:   []string{"GIT_BACKFILL_EXPORTER=tar, lake,,"},
		want: []Entry{
			{Key: "exporter", Value: "tar", Origin: env("GIT_BACKFILL_EXPORTER")},
			{Key: "exporter", Value: "lake", Origin: env("GIT_BACKFILL_EXPORTER")},
		},
	}, {
		name: "empty exporter list resets",
		in:   []string{"GIT_BACKFILL_EXPORTER="},
		want: []Entry{{Key: "exporter", Origin: env("GIT_BACKFILL_EXPORTER")}},
	}, {
		name: "empty scalar is unset, first duplicate wins",
		in:   []string{"GIT_BACKFILL_JOBS=", "GIT_BACKFILL_DAYS=7", "GIT_BACKFILL_DAYS=8", "NOEQUALS"},
		want: []Entry{{Key: "days", Value: "7", Origin: env("GIT_BACKFILL_DAYS")}},
	}, {
		name: "unknown variables warn, reserved ones do not",
		in: []string{
			"GIT_BACKFILL_PLUGIN_PATH=/opt/plugins",
			"GIT_BACKFILL_PLUGIN_COOKIE=x",
			"GIT_BACKFILL_MIN_BATCHSIZE=1",
			"GIT_BACKFILL_COLOUR=1",
			"git_backfill_jobs=3", // names are case-sensitive, and this is not ours
		},
		warnings: []string{
			"ignoring unknown environment variable GIT_BACKFILL_MIN_BATCHSIZE (did you mean GIT_BACKFILL_MIN_BATCH_SIZE?)",
			"ignoring unknown environment variable GIT_BACKFILL_COLOUR",
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src, warnings := FromEnv(tt.in)
			if src.Name != "environment" {
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

// TestFromEnvEveryKey checks that every top-level key can be set from the
// environment under its documented name.
func TestFromEnvEveryKey(t *testing.T) {
	for _, k := range Keys {
		if k.EnvVar() == "" {
			continue
		}
		src, warnings := FromEnv([]string{k.EnvVar() + "=x"})
		if len(warnings) != 0 || len(src.Entries) != 1 || src.Entries[0].Key != k.Name {
			t.Errorf("%s: entries %+v, warnings %q", k.EnvVar(), src.Entries, warnings)
		}
	}
}
