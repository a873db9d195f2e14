// Package duckdb_test reads what the parquet exporter writes with a real
// SQL engine, DuckDB. It is a module of its own so that the main module
// never links DuckDB (a cgo library): the git-backfill binary it tests is
// built from the main module with CGO_ENABLED=0.
package duckdb_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// binDir holds the git-backfill binary that TestMain builds, first on
// the PATH of every git the tests run, so "git backfill" reaches it.
var binDir string

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	tmp, err := os.MkdirTemp("", "backfill-duckdb-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(tmp)
	binDir = filepath.Join(tmp, "bin")
	_, self, _, _ := runtime.Caller(0)
	root := filepath.Join(filepath.Dir(self), "..", "..")
	build := exec.Command("go", "build", "-o", filepath.Join(binDir, "git-backfill"), "./cmd/git-backfill")
	build.Dir = root
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building git-backfill: %v\n%s", err, out)
		return 1
	}
	return m.Run()
}

// gitEnv is a clean environment for git: no user or system configuration,
// fixed locale, our binary first on PATH.
func gitEnv(home string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "GIT_") && !strings.HasPrefix(kv, "HOME=") && !strings.HasPrefix(kv, "XDG_CONFIG_HOME=") &&
			!strings.HasPrefix(kv, "PATH=") {
			env = append(env, kv)
		}
	}
	return append(env, "HOME="+home, "XDG_CONFIG_HOME="+filepath.Join(home, ".config"), "GIT_CONFIG_NOSYSTEM=1",
		"LC_ALL=C", "PATH="+binDir+string(os.PathListSeparator)+os.Getenv("PATH"))
}

// repo is a throw-away repository for one test.
type repo struct {
	t   *testing.T
	dir string
	env []string
}

func newRepo(t *testing.T) *repo {
	tmp := t.TempDir()
	home := filepath.Join(tmp, "home")
	if err := os.MkdirAll(home, 0o755); err != nil {
		t.Fatal(err)
	}
	r := &repo{t: t, dir: filepath.Join(tmp, "repo"), env: gitEnv(home)}
	r.git(nil, "init", "-q", "-b", "main", r.dir)
	return r
}

// git runs git in the repository (or, for init, wherever) with stdin, and
// returns its standard output; a failure fails the test.
func (r *repo) git(stdin []byte, args ...string) string {
	r.t.Helper()
	cmd := exec.Command("git", args...)
	if len(args) == 0 || args[0] != "init" {
		cmd.Dir = r.dir
	}
	cmd.Env = r.env
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		r.t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return stdout.String()
}

// history makes a history across months, a year's end and time zones:
// adds, edits, a rename, a deletion, a binary file, a merge, trailers,
// and a message with white space around it.
func (r *repo) history() {
	type commit struct {
		date, msg string
		ops       []string // fast-import file commands, data inline
		merge     bool
	}
	inline := func(path, content string) string {
		return fmt.Sprintf("M 644 inline %s\ndata %d\n%s\n", path, len(content), content)
	}
	commits := []commit{
		{"1733000000 +0530", "First\n", []string{inline("a.txt", "one\n"), inline("dir/b.txt", "two\n")}, false},
		{"1734567890 -0700", "Second: a binary file\n", []string{inline("img.bin", "\x00\x01\x02\xff")}, false},
		{"1735600000 +0000", "  Year's end, padded message\n\nCo-authored-by: Pat <pat@example.com>\n\n\n", []string{inline("a.txt", "one\nmore\n")}, false},
		{"1736000000 +0100", "Rename and delete\n", []string{"R dir/b.txt dir/c.txt\n", "D img.bin\n"}, false},
		{"1738400000 -0330", "Merge side\n\nSigned-off-by: Sam <sam@example.com>\n", []string{inline("side.txt", "side\n")}, true},
	}
	var s strings.Builder
	s.WriteString("commit refs/heads/side\nmark :100\ncommitter Side <side@example.com> 1735000000 +0200\ndata 5\nside\n")
	s.WriteString(inline("s.txt", "from side\n"))
	for i, c := range commits {
		mark := i + 1
		fmt.Fprintf(&s, "commit refs/heads/main\nmark :%d\n", mark)
		fmt.Fprintf(&s, "author Ann Author <ann@example.com> %s\n", c.date)
		fmt.Fprintf(&s, "committer Cid Committer <cid@example.com> %s\n", c.date)
		fmt.Fprintf(&s, "data %d\n%s", len(c.msg), c.msg)
		if i > 0 {
			fmt.Fprintf(&s, "from :%d\n", mark-1)
		}
		if c.merge {
			s.WriteString("merge :100\n")
		}
		for _, op := range c.ops {
			s.WriteString(op)
		}
	}
	r.git([]byte(s.String()), "fast-import", "--quiet")
	r.git(nil, "reset", "-q", "--hard")
}
