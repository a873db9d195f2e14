package export

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/git-backfill/git-backfill/exporters"
	"github.com/git-backfill/git-backfill/internal/git"
	"github.com/git-backfill/git-backfill/internal/gittest"
)

// fixture is a test repository whose commits get fixed identities and
// increasing dates, so that they are reproducible.
type fixture struct {
	*gittest.Repo
	t    testing.TB
	tick int
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	f := &fixture{Repo: gittest.New(t, nil), t: t}
	f.Must("branch", "-M", "main")
	return f
}

func (f *fixture) runner() *git.Runner { return git.NewRunner(f.Dir, f.Env()) }

// run runs git with stdin and extra environment and returns its stdout.
func (f *fixture) run(stdin []byte, env []string, args ...string) string {
	f.t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = f.Dir
	cmd.Env = append(f.Env(), env...)
	cmd.Stdin = bytes.NewReader(stdin)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		f.t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, errOut.String())
	}
	return out.String()
}

func (f *fixture) write(path string, data string) {
	f.t.Helper()
	full := filepath.Join(f.Dir, filepath.FromSlash(path))
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		f.t.Fatal(err)
	}
	if err := os.WriteFile(full, []byte(data), 0o644); err != nil {
		f.t.Fatal(err)
	}
}

// commit stages everything and commits with message msg (any bytes),
// returning the new commit's id.
func (f *fixture) commit(msg string) string {
	f.t.Helper()
	f.Must("add", "-A")
	return f.commitIndex(msg)
}

// commitIndex commits the index as it is.
func (f *fixture) commitIndex(msg string) string {
	f.t.Helper()
	f.tick++
	date := fmt.Sprintf("%d +0200", 1700000000+f.tick*3600)
	env := []string{
		"GIT_AUTHOR_NAME=Ann Author", "GIT_AUTHOR_EMAIL=ann@example.com", "GIT_AUTHOR_DATE=" + date,
		"GIT_COMMITTER_NAME=Cy Committer", "GIT_COMMITTER_EMAIL=cy@example.com", "GIT_COMMITTER_DATE=" + date,
	}
	f.run([]byte(msg), env, "commit", "-q", "--allow-empty", "--cleanup=verbatim", "-F", "-")
	return f.head()
}

func (f *fixture) head() string {
	return strings.TrimSpace(f.Must("rev-parse", "HEAD"))
}

// allCommits lists the commits reachable from revs, oldest first.
func (f *fixture) allCommits(revs ...string) []git.OID {
	args := append([]string{"rev-list", "--reverse", "--topo-order"}, revs...)
	var ids []git.OID
	for _, id := range strings.Fields(f.Must(args...)) {
		ids = append(ids, git.OID(id))
	}
	return ids
}

// export runs Bases and Records and returns the records in order.
func export(t testing.TB, g *git.Runner, commits []git.OID, opts Options) ([]*exporters.Record, [][]byte) {
	t.Helper()
	ctx := context.Background()
	pairs, err := Bases(ctx, g, commits, opts)
	if err != nil {
		t.Fatal(err)
	}
	var recs []*exporters.Record
	var js [][]byte
	err = Records(ctx, g, pairs, opts, func(b []byte, r *exporters.Record) error {
		recs = append(recs, r)
		js = append(js, b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != len(commits) {
		t.Fatalf("%d records for %d commits", len(recs), len(commits))
	}
	for i, r := range recs {
		if r.CommitSHA != string(commits[i]) {
			t.Fatalf("record %d is %s, want %s", i, r.CommitSHA, commits[i])
		}
	}
	return recs, js
}
