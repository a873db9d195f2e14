package config

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// layers builds the five configuration sources (flags, environment, git
// config, TOML, defaults), each setting key to its own value.
func layers(t *testing.T, key string, values [5]string) []Source {
	t.Helper()
	var srcs []Source
	if v := values[0]; v != "" {
		srcs = append(srcs, Source{Name: "command line", Entries: []Entry{{Key: key, Value: v, Origin: "--" + key}}})
	}
	if v := values[1]; v != "" {
		env, _ := FromEnv([]string{topKeys[key].EnvVar() + "=" + v})
		srcs = append(srcs, env)
	}
	if v := values[2]; v != "" {
		git, _ := FromGitConfig([]GitEntry{gitLocal("backfill."+strings.ToLower(key), v)})
		srcs = append(srcs, git)
	}
	if v := values[3]; v != "" {
		src, err := FromTOML(tomlPath, []byte(key+" = "+v+"\n"))
		if err != nil {
			t.Fatal(err)
		}
		srcs = append(srcs, src)
	}
	if v := values[4]; v != "" {
		src, _, err := FromRepoFile(repoPath, []byte("\n"+key+" = "+v+"\n"))
		if err != nil {
			t.Fatal(err)
		}
		srcs = append(srcs, src)
	}
	return srcs
}

func TestPrecedence(t *testing.T) {
	tests := []struct {
		values     [5]string // flag, env, git, TOML, repo file
		want       int
		wantOrigin string
	}{
		{[5]string{"1", "2", "3", "4", "5"}, 1, "--days"},
		{[5]string{"", "2", "3", "4", "5"}, 2, "environment GIT_BACKFILL_DAYS"},
		{[5]string{"", "", "3", "4", "5"}, 3, "git config file:.git/config"},
		{[5]string{"", "", "", "4", "5"}, 4, tomlPath + ":1"},
		{[5]string{"", "", "", "", "5"}, 5, repoPath + ":2"},
		{[5]string{"", "", "", "", ""}, 90, "default"},
		{[5]string{"", "2", "", "", "5"}, 2, "environment GIT_BACKFILL_DAYS"},
		// Only the winning value is parsed, as in git.
		{[5]string{"1", "x", "y", "4", "5"}, 1, "--days"},
	}
	for _, tt := range tests {
		s, err := Resolve(layers(t, "days", tt.values)...)
		if err != nil {
			t.Errorf("%v: %v", tt.values, err)
			continue
		}
		if s.Days != tt.want || s.Origin("days") != tt.wantOrigin {
			t.Errorf("%v: days = %d from %q, want %d from %q", tt.values, s.Days, s.Origin("days"), tt.want, tt.wantOrigin)
		}
	}
}

func TestLastEntryWinsWithinSource(t *testing.T) {
	git, _ := FromGitConfig([]GitEntry{
		{Scope: "global", Origin: "file:/home/u/.gitconfig", Key: "backfill.jobs", Value: "2"},
		gitLocal("backfill.jobs", "8"),
	})
	s, err := Resolve(git)
	if err != nil || s.Jobs != 8 || s.Origin("jobs") != "git config file:.git/config" {
		t.Errorf("jobs = %d from %q, %v", s.Jobs, s.Origin("jobs"), err)
	}
}

func TestResolveValues(t *testing.T) {
	flag := func(key, value string) Source {
		return Source{Name: "command line", Entries: []Entry{{Key: key, Value: value, Origin: "--x"}}}
	}
	yes, no := true, false
	tests := []struct {
		key, value string
		want       func(*Settings) any
		expect     any
	}{
		{"minBatchSize", "1m", func(s *Settings) any { return s.MinBatchSize }, int64(1 << 20)},
		{"maxBatchSize", "0", func(s *Settings) any { return s.MaxBatchSize }, int64(0)},
		{"maxBatchSize", "2k", func(s *Settings) any { return s.MaxBatchSize }, int64(2048)},
		{"jobs", "1024", func(s *Settings) any { return s.Jobs }, 1024},
		{"jobs", "0", func(s *Settings) any { return s.Jobs }, DefaultJobs}, // 0: choose automatically
		{"concurrency", "0", func(s *Settings) any { return s.Concurrency }, 0},
		{"sparse", "on", func(s *Settings) any { return s.Sparse }, &yes},
		{"sparse", "OFF", func(s *Settings) any { return s.Sparse }, &no},
		{"includeEdges", "no", func(s *Settings) any { return s.IncludeEdges }, false},
		{"skipDiffs", "1", func(s *Settings) any { return s.SkipDiffs }, true},
		{"snapshot", "true", func(s *Settings) any { return s.Snapshot }, true},
		{"remote", "upstream", func(s *Settings) any { return s.Remote }, "upstream"},
		{"days", "100000", func(s *Settings) any { return s.Days }, 100000},
		{"diffBase", "Fork-Point", func(s *Settings) any { return s.DiffBase }, DiffBaseForkPoint},
	}
	for _, tt := range tests {
		s, err := Resolve(flag(tt.key, tt.value))
		if err != nil {
			t.Errorf("%s=%s: %v", tt.key, tt.value, err)
			continue
		}
		if got := tt.want(s); !reflect.DeepEqual(got, tt.expect) {
			t.Errorf("%s=%s: got %v, want %v", tt.key, tt.value, got, tt.expect)
		}
	}
}

func TestResolveBadValues(t *testing.T) {
	tests := []struct {
		src  Source
		want string
	}{
		{gitSource("backfill.minbatchsize", "12q"),
			`bad value "12q" for minBatchSize (git config file:.git/config): expected a positive size such as 50000, 20k or 1m`},
		{gitSource("backfill.minbatchsize", "0"),
			`bad value "0" for minBatchSize (git config file:.git/config): expected a positive size such as 50000, 20k or 1m`},
		{gitSource("backfill.maxbatchsize", "-1"),
			`bad value "-1" for maxBatchSize (git config file:.git/config): expected a positive size such as 200k or 1m, or 0 for no limit`},
		{gitSource("backfill.jobs", "1025"),
			`bad value "1025" for jobs (git config file:.git/config): expected a number of parallel fetches from 1 to 1024, or 0 to choose automatically`},
		{gitSource("backfill.sparse", "maybe"),
			`bad value "maybe" for sparse (git config file:.git/config): expected a boolean: true or false (also yes/no, on/off, 1/0)`},
		{gitSource("backfill.days", "0"),
			`bad value "0" for days (git config file:.git/config): expected a positive number of days such as 90 (at most 100000)`},
		{gitSource("backfill.remote", "--upload-pack=evil"),
			`bad value "--upload-pack=evil" for remote (git config file:.git/config): expected a remote name`},
		{gitSource("backfill.diffbase", "merge-base"),
			`bad value "merge-base" for diffBase (git config file:.git/config): expected parent or fork-point`},
		{Source{Entries: []Entry{{Key: "days", Origin: "git config file:.git/config", NoValue: true}}},
			`missing value for days (git config file:.git/config): expected a positive number of days such as 90 (at most 100000)`},
		{envSource("GIT_BACKFILL_CONCURRENCY=many"),
			`bad value "many" for concurrency (environment GIT_BACKFILL_CONCURRENCY): expected a number of parallel diff workers from 1 to 1024, or 0 to choose automatically`},
		{envSource("GIT_BACKFILL_EXPORTER=tar,../evil"),
			`bad value "../evil" for exporter (environment GIT_BACKFILL_EXPORTER): expected an exporter name made of letters, digits, '-' and '_'`},
		{Source{Entries: []Entry{{Key: "exporter", Origin: "git config file:.git/config", NoValue: true}}},
			`missing value for exporter (git config file:.git/config): expected an exporter name made of letters, digits, '-' and '_'`},
		{gitSource("backfill.exporter.lake.type", "s3/../x"),
			`bad value "s3/../x" for exporter.lake.type (git config file:.git/config): expected an exporter type: a built-in (stdout, tar, s3, buildkite, parquet) or a plugin name`},
		{gitSource("backfill.exporter.lake.path", "bin/plugin"),
			`bad value "bin/plugin" for exporter.lake.path (git config file:.git/config): expected an absolute path to the plugin executable`},
		{gitSource("backfill.exporter.lake.sha256", "abc"),
			`bad value "abc" for exporter.lake.sha256 (git config file:.git/config): expected a SHA-256 digest of 64 hexadecimal digits`},
		{gitSource("backfill.exporter.lake.endpoint", "127.0.0.1:7070"),
			`bad value "127.0.0.1:7070" for exporter.lake.endpoint (git config file:.git/config): expected an http:// or https:// URL`},
		{gitSource("backfill.exporter.lake.presignedurl", "s3.example/upload?X-Amz-Signature=secret"),
			`bad value for exporter.lake.presignedUrl (git config file:.git/config): expected an http:// or https:// URL`},
		{gitSource("backfill.exporter.a.b.bucket", "x"),
			`bad value "a.b" for exporter.a.b.bucket (git config file:.git/config): expected an exporter name made of letters, digits, '-' and '_'`},
		{Source{Entries: []Entry{{Key: "exporter.lake.bucket", Origin: "git config file:.git/config", NoValue: true}}},
			`missing value for exporter.lake.bucket (git config file:.git/config): expected an S3 bucket name`},
	}
	for _, tt := range tests {
		_, err := Resolve(tt.src)
		var ve *ValueError
		if !errors.As(err, &ve) {
			t.Errorf("%+v: error %v is not a *ValueError", tt.src.Entries, err)
			continue
		}
		if err.Error() != tt.want {
			t.Errorf("error:\n got %s\nwant %s", err, tt.want)
		}
		if strings.Contains(err.Error(), "secret") {
			t.Errorf("secret leaked: %s", err)
		}
	}
}

func TestResolveUnknownKey(t *testing.T) {
	_, err := Resolve(Source{Entries: []Entry{{Key: "minbatchsize", Value: "1", Origin: "--min-batch-size"}}})
	var ke *KeyError
	if !errors.As(err, &ke) || err.Error() != `unknown key "minbatchsize" in --min-batch-size` {
		t.Errorf("error %v, want a KeyError", err)
	}
}

func gitSource(key, value string) Source {
	src, _ := FromGitConfig([]GitEntry{gitLocal(key, value)})
	return src
}

func envSource(environ ...string) Source {
	src, _ := FromEnv(environ)
	return src
}
