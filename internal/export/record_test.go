package export

import (
	"reflect"
	"strings"
	"testing"

	"github.com/git-backfill/git-backfill/exporters"
	"github.com/git-backfill/git-backfill/internal/git"
)

// message is trimmed as bktec trims it; trailers still come from the
// whole message, as git finds them.
func TestRecordMessage(t *testing.T) {
	for _, tc := range []struct {
		name, msg, want string
		trailers        []exporters.Trailer
	}{
		{name: "one line", msg: "Subject\n", want: "Subject"},
		{name: "blank lines and spaces around",
			msg:  "\n \n\t Subject line  \n\nBody.\n \t\n\n\n",
			want: "Subject line  \n\nBody."},
		{name: "trailers before trailing newlines",
			msg:      "Subject\n\nBody.\n\nSigned-off-by: A <a@x>\nKey: v\n\n\n",
			want:     "Subject\n\nBody.\n\nSigned-off-by: A <a@x>\nKey: v",
			trailers: []exporters.Trailer{{Key: "Signed-off-by", Value: "A <a@x>"}, {Key: "Key", Value: "v"}}},
		{name: "trailers before a line of spaces",
			msg:      "Subject\n\nKey: v\n   \n",
			want:     "Subject\n\nKey: v",
			trailers: []exporters.Trailer{{Key: "Key", Value: "v"}}},
		// Trimmed, "Key: v" would be the title and no trailer: git
		// reads the blank lines first.
		{name: "trailers after leading blank lines",
			msg:      "\n\nKey: v\n",
			want:     "Key: v",
			trailers: []exporters.Trailer{{Key: "Key", Value: "v"}}},
		{name: "CR and tabs", msg: "\r\n\tSubject\r\n", want: "Subject"},
		{name: "Unicode spaces", msg: " \u00a0\u2003Subject\u00a0\n", want: "Subject"},
		// A Latin-1 NBSP byte is no white space in git's bytes: kept.
		{name: "Latin-1 byte", msg: "\xa0caf\xe9\xa0\n", want: "\u00a0café\u00a0"},
		{name: "empty", msg: "", want: ""},
		{name: "only newlines", msg: "\n\n", want: ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			info := &git.CommitInfo{ID: git.OID(strings.Repeat("1", 40)), Message: tc.msg}
			r := newRecord(info, "", &git.Diff{}, false)
			if r.Message != tc.want {
				t.Errorf("message %q, want %q", r.Message, tc.want)
			}
			if tc.trailers == nil {
				tc.trailers = []exporters.Trailer{}
			}
			if !reflect.DeepEqual(r.Trailers, tc.trailers) {
				t.Errorf("trailers %+v, want %+v", r.Trailers, tc.trailers)
			}
		})
	}
}

// files_changed, diff_stat, git_diff and git_diff_raw lose their trailing
// newlines and nothing else; files keep every detail.
func TestRecordDiffText(t *testing.T) {
	idA, idB := strings.Repeat("a", 40), strings.Repeat("b", 40)
	raw := ":100644 100644 " + idA + " " + idB + " M\ta.txt\n" +
		":000000 100644 " + strings.Repeat("0", 40) + " " + idB + " A\t\"new\\nline\"\n"
	numstat := "1\t1\ta.txt\n1\t0\t\"new\\nline\"\n"
	patch := "diff --git a/a.txt b/a.txt\nindex " + idA + ".." + idB + " 100644\n" +
		"--- a/a.txt\n+++ b/a.txt\n@@ -1,2 +1,2 @@\n-old\n+new\n \n"
	files := []git.FileChange{
		{Status: 'M', Path: "a.txt", QuotedPath: "a.txt", Added: 1, Deleted: 1},
		{Status: 'A', Path: "new\nline", QuotedPath: `"new\nline"`, Added: 1},
	}
	wantFiles := []exporters.File{
		{Path: "a.txt", Status: "M", Additions: 1, Deletions: 1},
		{Path: "new\nline", Status: "A", Additions: 1},
	}
	for _, tc := range []struct {
		name                   string
		diff                   git.Diff
		skipDiffs              bool
		names, stat, git, gRaw string
	}{
		{name: "one newline",
			diff:  git.Diff{Raw: []byte(raw), Numstat: []byte(numstat), Patch: []byte(patch), Files: files},
			names: "a.txt\n\"new\\nline\"", stat: strings.TrimSuffix(numstat, "\n"),
			// The last context line, an empty line's, keeps its space.
			git: strings.TrimSuffix(patch, "\n"), gRaw: strings.TrimSuffix(raw, "\n")},
		{name: "several newlines",
			diff:  git.Diff{Raw: []byte(raw + "\n\n"), Numstat: []byte(numstat + "\n"), Patch: []byte(patch + "\n\n\n"), Files: files},
			names: "a.txt\n\"new\\nline\"", stat: strings.TrimSuffix(numstat, "\n"),
			git: strings.TrimSuffix(patch, "\n"), gRaw: strings.TrimSuffix(raw, "\n")},
		{name: "skip diffs",
			diff:      git.Diff{Raw: []byte(raw), Numstat: []byte(numstat), Files: files},
			skipDiffs: true,
			names:     "a.txt\n\"new\\nline\"", stat: strings.TrimSuffix(numstat, "\n")},
		// Only newlines trim to nothing: empty, so omitted.
		{name: "only newlines",
			diff: git.Diff{Raw: []byte("\n"), Numstat: []byte("\n\n"), Patch: []byte("\n\n"), Files: []git.FileChange{}}},
		{name: "no change", diff: git.Diff{Raw: []byte{}, Numstat: []byte{}, Patch: []byte{}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			info := &git.CommitInfo{ID: git.OID(strings.Repeat("1", 40)), Message: "m\n"}
			r := newRecord(info, "", &tc.diff, tc.skipDiffs)
			for _, f := range []struct{ name, have, want string }{
				{"files_changed", r.FilesChanged, tc.names}, {"diff_stat", r.DiffStat, tc.stat},
				{"git_diff", r.GitDiff, tc.git}, {"git_diff_raw", r.GitDiffRaw, tc.gRaw},
			} {
				if f.have != f.want {
					t.Errorf("%s:\nhave %q\nwant %q", f.name, f.have, f.want)
				}
			}
			if len(tc.diff.Files) > 0 && !reflect.DeepEqual(r.Files, wantFiles) {
				t.Errorf("files %+v, want %+v", r.Files, wantFiles)
			}
			js, err := encodeRecord(r)
			if err != nil {
				t.Fatal(err)
			}
			for _, field := range []string{`"git_diff":`, `"git_diff_raw":`} {
				if has := strings.Contains(string(js), field); has != (tc.git != "") {
					t.Errorf("%s in the JSON: %v, with text %q", field, has, tc.git)
				}
			}
		})
	}
}
