package export

import (
	"context"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"testing"

	"github.com/git-backfill/git-backfill/exporters"
	"github.com/git-backfill/git-backfill/internal/git"
)

// BenchmarkRecordAssembly is the Go side of one record: parsing
// diff-tree's block, assembling the record and encoding it (a 12-file
// commit with a 40 KB patch).
func BenchmarkRecordAssembly(b *testing.B) {
	const id = "1111111111111111111111111111111111111111"
	var raw, numstat, patch strings.Builder
	for i := 0; i < 12; i++ {
		fmt.Fprintf(&raw, ":100644 100644 %s %s M\tsrc/dir/file%d.go\n", strings.Repeat("a", 40), strings.Repeat("b", 40), i)
		fmt.Fprintf(&numstat, "30\t10\tsrc/dir/file%d.go\n", i)
		fmt.Fprintf(&patch, "diff --git a/src/dir/file%d.go b/src/dir/file%d.go\n@@ -1,40 +1,60 @@ func x() {\n", i, i)
		for j := 0; j < 60; j++ {
			fmt.Fprintf(&patch, "+\tline %d with <html> & \"quotes\" and some more text\n", j)
		}
	}
	block := []byte(id + "\n" + raw.String() + numstat.String() + "\n" + patch.String())
	info := &git.CommitInfo{ID: id, Parents: []git.OID{git.OID(strings.Repeat("2", 40))}, AuthorName: "A", AuthorEmail: "a@x",
		AuthorDate: "2020-01-01T00:00:00Z", CommitterName: "C", CommitterEmail: "c@x", CommitterDate: "2020-01-01T00:00:00Z",
		Message: "Subject\n\nBody\n\nSigned-off-by: A <a@x>\n"}
	b.SetBytes(int64(len(block)))
	b.ReportAllocs()
	for b.Loop() {
		d, err := git.ParseDiff(id, block)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := encodeRecord(newRecord(info, info.Parents[0], d, false)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkExport runs whole exports of a generated history of 2,000
// commits and reports records/s, next to the limit: one "git log -p --raw
// --numstat" stream over the same commits.
func BenchmarkExport(b *testing.B) {
	f := newFixture(b)
	f.generate(b, 2000)
	commits := f.allCommits("main")
	g := f.runner()
	ctx := context.Background()
	run := func(b *testing.B, opts Options) {
		pairs, err := Bases(ctx, g, commits, opts)
		if err != nil {
			b.Fatal(err)
		}
		var bytes int64
		for b.Loop() {
			bytes = 0
			err := Records(ctx, g, pairs, opts, func(rec []byte, _ *exporters.Record) error {
				bytes += int64(len(rec)) + 1
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(commits)*b.N)/b.Elapsed().Seconds(), "records/s")
		b.ReportMetric(float64(bytes), "JSONL-bytes")
	}
	for _, n := range []int{1, 2, 4} {
		b.Run(fmt.Sprintf("diffs/concurrency=%d", n), func(b *testing.B) { run(b, Options{Concurrency: n}) })
	}
	b.Run("skip-diffs", func(b *testing.B) { run(b, Options{SkipDiffs: true}) })
	b.Run("git-log", func(b *testing.B) {
		for b.Loop() {
			cmd := exec.Command("git", "log", "-p", "--raw", "--numstat", "--diff-merges=first-parent", "main")
			cmd.Dir, cmd.Env, cmd.Stdout = f.Dir, f.Env(), io.Discard
			if err := cmd.Run(); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(commits)*b.N)/b.Elapsed().Seconds(), "records/s")
	})
}
