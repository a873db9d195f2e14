package config

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestExporterList(t *testing.T) {
	global := func(v string) GitEntry {
		return GitEntry{Scope: "global", Origin: "file:/home/u/.gitconfig", Key: "backfill.exporter", Value: v}
	}
	local := func(v string) GitEntry { return gitLocal("backfill.exporter", v) }
	flags := func(names ...string) Source {
		src := Source{Name: "command line"}
		for _, n := range names {
			src.Entries = append(src.Entries, Entry{Key: "exporter", Value: n, Origin: "--exporter"})
		}
		return src
	}
	git := func(entries ...GitEntry) Source { src, _ := FromGitConfig(entries); return src }
	toml := func(in string) Source {
		src, err := FromTOML(tomlPath, []byte(in))
		if err != nil {
			t.Fatal(err)
		}
		return src
	}
	tests := []struct {
		name   string
		srcs   []Source
		want   []string
		origin string
	}{
		{"accumulates across git files", []Source{git(global("a"), local("b"))},
			[]string{"a", "b"}, "git config file:.git/config"},
		{"empty value resets", []Source{git(global("a"), local(""), local("c"))},
			[]string{"c"}, "git config file:.git/config"},
		{"reset to nothing", []Source{git(global("a"), local(""))},
			[]string{}, "git config file:.git/config"},
		{"duplicates dropped", []Source{git(global("a"), local("b"), local("a"))},
			[]string{"a", "b"}, "git config file:.git/config"},
		{"flags replace config", []Source{flags("x", "y"), git(global("a"))},
			[]string{"x", "y"}, "--exporter"},
		{"environment replaces git config", []Source{envSource("GIT_BACKFILL_EXPORTER=e1,e2"), git(global("a"))},
			[]string{"e1", "e2"}, "environment GIT_BACKFILL_EXPORTER"},
		{"empty environment empties the list", []Source{envSource("GIT_BACKFILL_EXPORTER="), git(global("a"))},
			[]string{}, "environment GIT_BACKFILL_EXPORTER"},
		{"git config replaces TOML", []Source{git(local("g")), toml(`exporters = ["t"]`)},
			[]string{"g"}, "git config file:.git/config"},
		{"TOML list", []Source{toml("\nexporters = [\"t1\", \"t2\"]")},
			[]string{"t1", "t2"}, tomlPath + ":2"},
		{"not set", nil, nil, "default"},
	}
	for _, tt := range tests {
		s, err := Resolve(tt.srcs...)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if !reflect.DeepEqual(s.Exporters, tt.want) || s.Origin("exporter") != tt.origin {
			t.Errorf("%s: exporters %#v from %q, want %#v from %q", tt.name, s.Exporters, s.Origin("exporter"), tt.want, tt.origin)
		}
	}
}

func TestExporterConfigs(t *testing.T) {
	digest := strings.Repeat("AB", 32)
	fileSrc, err := FromTOML(tomlPath, []byte(specExample+"path = \"/opt/lake\"\nsha256 = \""+digest+"\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	git, _ := FromGitConfig([]GitEntry{
		gitLocal("backfill.exporter.lake.bucket", "from-git"),
		gitLocal("backfill.exporter.S3.region", "eu-west-1"),
	})
	env := envSource("GIT_BACKFILL_EXPORTER=lake")
	s, err := Resolve(env, git, fileSrc)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]ExporterConfig{
		"archive": {Name: "archive", Type: "tar", Options: map[string]string{"output": "exports/"}},
		"lake": {Name: "lake", Type: "s3", Path: "/opt/lake", SHA256: strings.ToLower(digest),
			Options: map[string]string{"bucket": "from-git", "prefix": "monorepo/", "endpoint": "http://127.0.0.1:7070"}},
		"S3": {Name: "S3", Type: "S3", Options: map[string]string{"region": "eu-west-1"}},
	}
	if !reflect.DeepEqual(s.ExporterConfigs, want) {
		t.Errorf("configs:\n got %+v\nwant %+v", s.ExporterConfigs, want)
	}
	if !reflect.DeepEqual(s.Exporters, []string{"lake"}) {
		t.Errorf("exporters %v", s.Exporters)
	}
	origins := map[string]string{
		"exporter":              "environment GIT_BACKFILL_EXPORTER",
		"exporter.lake.bucket":  "git config file:.git/config",
		"exporter.lake.prefix":  tomlPath + ":10",
		"exporter.lake.type":    tomlPath + ":8",
		"exporter.lake.path":    tomlPath + ":12",
		"exporter.S3.type":      "default",
		"exporter.lake.region":  "",
		"exporter.nobody.type":  "",
		"minBatchSize":          tomlPath + ":1",
		"exporter.archive.type": tomlPath + ":5",
	}
	for key, want := range origins {
		if got := s.Origin(key); got != want {
			t.Errorf("Origin(%q) = %q, want %q", key, got, want)
		}
	}

	c, ok := s.Exporter("archive")
	if !ok || c.Type != "tar" {
		t.Errorf("Exporter(archive) = %+v, %v", c, ok)
	}
	c, ok = s.Exporter("stdout")
	if ok || c.Type != "stdout" || c.Name != "stdout" || c.Options == nil {
		t.Errorf("Exporter(stdout) = %+v, %v", c, ok)
	}
}

func TestNoValueMeansTrue(t *testing.T) {
	src, _ := FromGitConfig([]GitEntry{
		{Scope: "local", Origin: "file:.git/config", Key: "backfill.sparse", NoValue: true},
		{Scope: "local", Origin: "file:.git/config", Key: "backfill.snapshot", NoValue: true},
		gitLocal("backfill.includeedges", ""), // git: an empty value is false
	})
	s, err := Resolve(src)
	if err != nil {
		t.Fatal(err)
	}
	if s.Sparse == nil || !*s.Sparse || !s.Snapshot || s.IncludeEdges {
		t.Errorf("sparse %v, snapshot %v, includeEdges %v", s.Sparse, s.Snapshot, s.IncludeEdges)
	}
}

// An exporter's own options (not known to this package) reach it as given.
func TestExporterOwnOptionsPassThrough(t *testing.T) {
	src, err := FromTOML("/repo/.git/backfill.toml", []byte("[exporter.lake]\ntype = \"s3\"\npartSize = \"8m\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := Resolve(src)
	if err != nil {
		t.Fatal(err)
	}
	if got := s.ExporterConfigs["lake"].Options["partSize"]; got != "8m" {
		t.Fatalf("partSize = %q, options %v", got, s.ExporterConfigs["lake"].Options)
	}
}

// backfill.exporter.<name>.timeout is the host's: a duration bounding
// every call to the plugin, never passed to the exporter as an option.
func TestExporterTimeout(t *testing.T) {
	src, _ := FromGitConfig([]GitEntry{gitLocal("backfill.exporter.slow.timeout", "90s")})
	s, err := Resolve(src)
	if err != nil {
		t.Fatal(err)
	}
	cfg, _ := s.Exporter("slow")
	if cfg.Timeout != 90*time.Second || len(cfg.Options) != 0 {
		t.Errorf("timeout %v, options %v", cfg.Timeout, cfg.Options)
	}
	for _, bad := range []string{"soon", "0s", "-1m"} {
		src, _ := FromGitConfig([]GitEntry{gitLocal("backfill.exporter.slow.timeout", bad)})
		if _, err := Resolve(src); err == nil || !strings.Contains(err.Error(), "a duration such as 90s") {
			t.Errorf("timeout %q: %v", bad, err)
		}
	}
}
