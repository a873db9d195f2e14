package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
)

// FuzzFromTOML checks that decoding any input never panics, that what it
// accepts has only known keys, and that resolving it never panics either.
func FuzzFromTOML(f *testing.F) {
	for _, s := range []string{
		specExample,
		"sparse = \"maybe\"\n",
		"exporter = [\"a\"]\n[exporter.a]\ntype = \"tar\"\n",
		"exporter.a = { type = \"s3\", bucket = 3 }\n",
		"[[exporter.x]]\n",
		"minBatchSize = \"9999999999g\"\n",
		"\"exporter\".\"a.b\".type = \"x\"\n",
		"days = 1979-05-27T07:32:00Z\n",
		"a = '''\nx\n'''\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		for _, repo := range []bool{false, true} {
			var src Source
			var err error
			if repo {
				src, _, err = FromRepoFile("f.toml", []byte(in))
			} else {
				src, err = FromTOML("f.toml", []byte(in))
			}
			if err != nil {
				continue
			}
			for _, e := range src.Entries {
				k, ok := Lookup(e.Key)
				if !ok {
					t.Fatalf("unknown key %q accepted from %q", e.Key, in)
				}
				if repo && !k.RepoSafe {
					t.Fatalf("unsafe key %q accepted from tracked file %q", e.Key, in)
				}
			}
			_, _ = Resolve(src)
		}
	})
}

// FuzzResolve checks that no key and value, from git config or the environment,
// make Resolve panic, and that whatever it accepts is within the documented ranges.
func FuzzResolve(f *testing.F) {
	f.Add("backfill.minbatchsize", "20k")
	f.Add("backfill.exporter.lake.endpoint", "http://[::1]:7070")
	f.Add("backfill.exporter", "a")
	f.Add("GIT_BACKFILL_EXPORTER", "a,,b")
	f.Add("backfill.days", "-0")
	f.Fuzz(func(t *testing.T, key, value string) {
		git, _ := FromGitConfig([]GitEntry{{Key: key, Value: value}})
		env, _ := FromEnv([]string{key + "=" + value})
		for _, src := range []Source{git, env} {
			s, err := Resolve(src)
			if err != nil {
				continue
			}
			if s.MinBatchSize <= 0 || s.MaxBatchSize < 0 || s.Jobs < 0 || s.Jobs > 1024 ||
				s.Concurrency < 0 || s.Concurrency > 1024 || s.Days < 1 || s.Days > 100000 ||
				(s.DiffBase != DiffBaseParent && s.DiffBase != DiffBaseForkPoint) {
				t.Fatalf("out of range after %q=%q: %+v", key, value, s)
			}
			for _, name := range s.Exporters {
				if !validName(name) {
					t.Fatalf("bad exporter name %q accepted", name)
				}
			}
			for name, c := range s.ExporterConfigs {
				if !validName(name) || !validName(c.Type) {
					t.Fatalf("bad exporter config %+v accepted", c)
				}
			}
		}
	})
}

// FuzzLoadRepoFile: whatever the tracked file holds, under a small size
// limit, a file over the limit is ignored for its size and nothing else;
// a file within it is used exactly when it decodes and resolves; and no
// warning spans lines, carries a control character (a terminal escape
// from the file) or shows the text of a string value from the file.
func FuzzLoadRepoFile(f *testing.F) {
	f.Add("days = 30\n")
	f.Add("minBatchSize = \"S3CR3T-VALUE\"\n")
	f.Add("\"\\u001b[31m\" = 1\n")
	f.Add("days = \"S3CR3T-VALUE\"\nsparse = \"x\u001b[2J\"\n")
	f.Add(strings.Repeat("# padding\n", 40))
	const limit = 256
	f.Fuzz(func(t *testing.T, in string) {
		path := filepath.Join(t.TempDir(), ".gitbackfill.toml")
		if err := os.WriteFile(path, []byte(in), 0o644); err != nil {
			t.Fatal(err)
		}
		src, warnings, ok := loadRepoFile(path, limit)
		if len(in) > limit {
			if ok || len(warnings) != 1 || !strings.Contains(warnings[0], "larger than") {
				t.Fatalf("%d bytes over a limit of %d: ok %v, warnings %q", len(in), limit, ok, warnings)
			}
			return
		}
		decoded, _, err := FromRepoFile(path, []byte(in))
		if err == nil {
			_, err = Resolve(decoded)
		}
		if ok != (err == nil) || (!ok && len(src.Entries) > 0) {
			t.Fatalf("used %v (%d entries), but decoding says %v", ok, len(src.Entries), err)
		}
		for _, w := range warnings {
			for _, r := range w {
				if unicode.IsControl(r) {
					t.Fatalf("control character %q in warning %q", r, w)
				}
			}
			// The file's own path is named, and may contain anything.
			w := strings.ReplaceAll(w, path, "<file>")
			for _, v := range values(decoded) {
				if len(v) >= 6 && strings.Contains(w, v) {
					t.Fatalf("warning %q shows the value %q", w, v)
				}
			}
		}
	})
}

// values are the values of src's entries.
func values(src Source) []string {
	var out []string
	for _, e := range src.Entries {
		out = append(out, e.Value)
	}
	return out
}
