package export

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/git-backfill/git-backfill/exporters"
	"github.com/git-backfill/git-backfill/internal/git"
)

func TestSkipDiffs(t *testing.T) {
	f, _ := richFixture(t)
	commits := f.allCommits("main")
	full, _ := export(t, f.runner(), commits, Options{})
	skipped, js := export(t, f.runner(), commits, Options{SkipDiffs: true})
	for i := range full {
		want := *full[i]
		want.GitDiff, want.GitDiffRaw = "", ""
		compareRecords(t, skipped[i], &want)
		if strings.Contains(string(js[i]), `"git_diff`) {
			t.Errorf("%s: git_diff fields present with SkipDiffs", commits[i])
		}
	}
}

func TestPathspecs(t *testing.T) {
	f, named := richFixture(t)
	recs, _ := export(t, f.runner(), []git.OID{git.OID(named["additions"]), git.OID(named["renames"])}, Options{Pathspecs: []string{"dir", "*.sh"}})
	if got := recs[0].FilesChanged; got != "dir/b.txt\nscript.sh" {
		t.Errorf("additions limited to dir and *.sh: %q", got)
	}
	if got := recs[1]; len(got.Files) != 0 || got.GitDiff != "" {
		t.Errorf("renames touch neither: %+v", got.Files)
	}
}

func TestRecordsEmitError(t *testing.T) {
	f, _ := richFixture(t)
	commits := f.allCommits("main")
	g := f.runner()
	pairs, err := Bases(context.Background(), g, commits, Options{})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	stop := &json.UnsupportedValueError{Str: "stop"}
	err = Records(context.Background(), g, pairs, Options{Concurrency: 2}, func([]byte, *exporters.Record) error {
		n++
		if n == 2 {
			return stop
		}
		return nil
	})
	if err != stop || n != 2 {
		t.Fatalf("emit error: got %v after %d records", err, n)
	}
	pairs[1].Commit = git.OID(strings.Repeat("0", 40))
	err = Records(context.Background(), g, pairs, Options{}, func([]byte, *exporters.Record) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "git rev-list") {
		t.Fatalf("missing commit: got %v", err)
	}
}

// User configuration that changes porcelain output must not change records.
func TestRecordsIgnoreUserConfig(t *testing.T) {
	f, _ := richFixture(t)
	f.write("blank.txt", "a\n\nb\nc\n")
	f.commit("Blank lines\n")
	f.write("blank.txt", "a\n\nB\nc\n")
	f.commit("Change next to a blank line\n")
	commits := f.allCommits("--all")
	_, before := export(t, f.runner(), commits, Options{})
	porcelain := f.Must("diff", "--no-ext-diff", "HEAD~", "HEAD")

	attrs := filepath.Join(f.Dir, ".git", "user-attributes")
	if err := os.WriteFile(attrs, []byte("* binary\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, kv := range [][2]string{
		{"diff.noprefix", "true"}, {"diff.mnemonicPrefix", "true"}, {"color.ui", "always"},
		{"color.diff", "always"}, {"diff.external", "false-program"}, {"core.abbrev", "5"},
		{"diff.renames", "false"}, {"diff.suppressBlankEmpty", "true"}, {"diff.renameLimit", "1"},
		{"diff.algorithm", "patience"}, {"diff.indentHeuristic", "false"}, {"diff.context", "1"},
		{"i18n.logOutputEncoding", "ISO-8859-1"}, {"log.showSignature", "true"}, {"core.quotePath", "true"},
		{"diff.relative", "true"}, {"diff.submodule", "log"}, {"core.attributesFile", attrs},
		{"log.mailmap", "true"}, {"format.pretty", "fuller"},
	} {
		f.Must("config", kv[0], kv[1])
	}
	if f.Must("diff", "--no-ext-diff", "HEAD~", "HEAD") == porcelain {
		t.Fatal("the configuration does not change porcelain output: the test proves nothing")
	}
	// Variables the user might have set are not passed on either.
	g := git.NewRunner(f.Dir, append(f.Env(), "GIT_EXTERNAL_DIFF=false", "GIT_DIFF_OPTS=-u0"))
	_, after := export(t, g, commits, Options{})
	for i := range before {
		if string(before[i]) != string(after[i]) {
			t.Errorf("%s changed with user configuration:\nbefore %s\nafter  %s", commits[i], before[i], after[i])
		}
	}
}

// Records come in selection order with parallel diffs, and parallelism
// changes nothing in them.
func TestRecordsOrderWithConcurrency(t *testing.T) {
	f := newFixture(t)
	f.generate(t, 300)
	commits := f.allCommits("main") // oldest first, a different order from rev-list's
	if len(commits) < 300 {
		t.Fatalf("only %d commits", len(commits))
	}
	recs, parallel := export(t, f.runner(), commits, Options{Concurrency: 4})
	_, serial := export(t, f.runner(), commits, Options{Concurrency: 1})
	for i := range parallel {
		if string(parallel[i]) != string(serial[i]) {
			t.Fatalf("record %d differs between Concurrency 4 and 1", i)
		}
	}
	for _, i := range []int{1, 24, 25, 26, 150, len(commits) - 1} {
		r := recs[i]
		compareRecords(t, r, f.want(r.CommitSHA, r.DiffBase))
	}
}

func TestRecordsCancel(t *testing.T) {
	f := newFixture(t)
	f.generate(t, 200)
	commits := f.allCommits("main")
	g := f.runner()
	pairs, err := Bases(context.Background(), g, commits, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	err = Records(ctx, g, pairs, Options{Concurrency: 3}, func([]byte, *exporters.Record) error {
		if n++; n == 10 {
			cancel()
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) || n >= len(pairs) {
		t.Fatalf("cancelled after 10 records: got %v after %d", err, n)
	}
}
