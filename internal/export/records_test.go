package export

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/git-backfill/git-backfill/exporters"
	"github.com/git-backfill/git-backfill/internal/git"
)

// richFixture makes a history with every kind of change and message the
// records must get right, and returns its commits by name.
func richFixture(t testing.TB) (*fixture, map[string]string) {
	f := newFixture(t)
	c := map[string]string{"empty root": f.head()}

	f.write("a.txt", "one\ntwo\nthree\nfour\nfive\nsix\nseven\n")
	f.write("dir/b.txt", "b\n")
	f.write("bin.dat", "\x00\x01\x02binary\x00")
	f.write("sp ace.txt", "space\n")
	f.write("tab\tname.txt", "tab\n")
	f.write("quo\"te.txt", "quote\n")
	f.write("new\nline.txt", "newline\n")
	f.write("ünï.txt", "unicode\n")
	f.write("caf\xe9.txt", "latin-1 name\n")
	f.write("script.sh", "#!/bin/sh\n")
	f.write("link-target.txt", "target\n")
	if err := os.Symlink("link-target.txt", filepath.Join(f.Dir, "link")); err != nil {
		t.Fatal(err)
	}
	c["additions"] = f.commit("Add files\n\nA multi-line\nbody.\n")
	f.Must("update-index", "--add", "--cacheinfo", "160000,"+c["additions"]+",sub")
	c["submodule"] = f.commitIndex("Add a submodule\n") // the next commit removes it

	f.write("a.txt", "one\ntwo\nTHREE\nfour\nfive\nsix\nseven\neight\n")
	f.Must("rm", "-q", "dir/b.txt")
	f.write("c.txt", "c1\nc2\nc3\nc4\n")
	f.write("bin.dat", "\x00\x03changed\x00")
	f.Must("update-index", "--chmod=+x", "script.sh")
	if err := os.Remove(filepath.Join(f.Dir, "link")); err != nil {
		t.Fatal(err)
	}
	f.write("link", "now a file\n")
	c["latin-1 message"] = f.commit("caf\xe9 cr\xe8me\n\nsecond line \xff\n")

	f.Must("mv", "a.txt", "renamed.txt")
	f.write("renamed.txt", "one\ntwo\nTHREE\nfour\nfive\nsix\nseven\nEIGHT\n")
	f.Must("mv", "c.txt", "moved-c.txt")
	f.commit("to be reworded\n")
	c["renames"] = f.recommitEncoded("d\xe9clar\xe9 en latin-1\n")

	big := strings.Repeat("x", 9000) + "\x00late nul\n"
	f.write("tricky.txt", "\x01\n"+c["additions"]+"\n:100644 100644 fake raw\ndiff --git a/x b/x\n1\t2\tnumstat\n\n"+big)
	f.write("crlf.txt", "crlf\r\nline\r\n")
	f.write("no-eol.txt", "no newline at end")
	c["separators"] = f.commit("Message with \x01 marks, %x00, \x1e\x1f and %H\n\n" +
		c["additions"] + "\ndiff --git a/x b/x\n:100644 100644\n\n\n\ttabbed\n")

	c["trailers"] = f.commit("Subject\n\nBody text.\n\nCo-authored-by: Al <al@example.com>\n" +
		"Signed-off-by: Bo <bo@example.com>\nReviewed-by: Cy\n  continued here\n")
	c["padded message"] = f.commit("\n \n\t Padded subject  \n\nBody.\n\nCo-authored-by: Al <al@example.com>\n" +
		"Signed-off-by: Bo <bo@example.com>\n\n\n \n")

	f.Must("checkout", "-q", "-b", "side", c["additions"])
	f.write("side.txt", "from the side\n")
	c["side"] = f.commit("Side work\n")
	f.Must("checkout", "-q", "main")
	f.run(nil, []string{"GIT_AUTHOR_NAME=M", "GIT_AUTHOR_EMAIL=m@x", "GIT_COMMITTER_NAME=M", "GIT_COMMITTER_EMAIL=m@x"},
		"merge", "-q", "--no-ff", "-m", "Merge side", "side")
	c["merge"] = f.head()
	c["empty"] = f.commit("Nothing changed\n")

	f.Must("checkout", "-q", "--orphan", "orphan")
	f.Must("rm", "-rfq", ".")
	f.write("orphan.txt", "orphan\n")
	c["root with files"] = f.commit("Orphan root\n")
	f.Must("checkout", "-q", "-f", "main")

	// git commit refuses a NUL in a message; a crafted commit has one.
	raw := f.Must("cat-file", "commit", c["empty"])
	header, _, _ := strings.Cut(raw, "\n\n")
	id := strings.TrimSpace(f.run([]byte(header+"\n\nbefore\x00after\n"), nil, "hash-object", "-t", "commit", "-w", "--stdin"))
	f.Must("update-ref", "refs/heads/nul", id)
	c["nul in message"] = id
	return f, c
}

// recommitEncoded replaces HEAD with a commit whose message is in
// ISO-8859-1 and says so in its encoding header.
func (f *fixture) recommitEncoded(msg string) string {
	f.t.Helper()
	f.run([]byte(msg), []string{"GIT_COMMITTER_NAME=Cy Committer", "GIT_COMMITTER_EMAIL=cy@example.com",
		"GIT_COMMITTER_DATE=1700099999 +0000"},
		"-c", "i18n.commitEncoding=ISO-8859-1", "commit", "-q", "--amend", "--cleanup=verbatim", "-F", "-")
	return f.head()
}

// want builds the record git's own porcelain commands describe, in a clean
// configuration, for commit diffed against base.
func (f *fixture) want(commit, base string) *exporters.Record {
	f.t.Helper()
	meta := strings.Split(f.Must("show", "-s", "--format=%P%x00%an%x00%ae%x00%aI%x00%cn%x00%ce%x00%cI", commit), "\x00")
	parents := strings.Fields(meta[0])
	if parents == nil {
		parents = []string{}
	}
	msg := f.Must("log", "-1", "--encoding=UTF-8", "--format=%B", commit)
	msg = strings.TrimSuffix(msg, "\n") // log adds a newline after the format
	diff := func(args ...string) string {
		return f.Must(append(append([]string{"-c", "core.quotePath=false", "diff"}, args...), "-M", base, commit)...)
	}
	r := &exporters.Record{
		SchemaVersion: 1, CommitSHA: commit, ParentSHAs: parents,
		AuthorName: meta[1], AuthorEmail: meta[2], AuthorDate: meta[3],
		CommitterName: meta[4], CommitterEmail: meta[5], CommitterDate: strings.TrimSpace(meta[6]),
		// The fields Buildkite named as bktec writes them: the message
		// trimmed, git's output without its trailing newlines.
		Message:      validUTF8(strings.TrimSpace(msg)),
		FilesChanged: validUTF8(strings.TrimRight(diff("--name-only"), "\n")),
		DiffStat:     validUTF8(strings.TrimRight(diff("--numstat"), "\n")),
		GitDiff:      validUTF8(strings.TrimRight(diff("--full-index"), "\n")),
		GitDiffRaw:   validUTF8(strings.TrimRight(diff("--raw", "--no-abbrev"), "\n")),
		DiffBase:     base,
		Files:        []exporters.File{},
		Trailers:     gitTrailers(f, msg), // from the whole message, as git reads it
	}
	status := strings.Split(strings.TrimSuffix(diff("-z", "--name-status"), "\x00"), "\x00")
	numstat := strings.Split(strings.TrimSuffix(diff("-z", "--numstat"), "\x00"), "\x00")
	for len(status) > 1 {
		file := exporters.File{Status: status[0][:1]}
		counts := strings.Split(numstat[0], "\t")
		numstat = numstat[1:]
		if file.Status == "R" || file.Status == "C" {
			file.OldPath, file.Path = validUTF8(status[1]), validUTF8(status[2])
			status, numstat = status[3:], numstat[2:]
		} else {
			file.Path = validUTF8(status[1])
			status = status[2:]
		}
		file.Binary = counts[0] == "-"
		file.Additions, _ = strconv.Atoi(counts[0])
		file.Deletions, _ = strconv.Atoi(counts[1])
		r.Files = append(r.Files, file)
	}
	return r
}

// gitTrailers asks "git interpret-trailers --parse" for msg's trailers.
func gitTrailers(f *fixture, msg string) []exporters.Trailer {
	out := f.run([]byte(msg), nil, "interpret-trailers", "--parse", "--no-divider")
	trailers := []exporters.Trailer{}
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if k, v, ok := strings.Cut(line, ": "); ok {
			trailers = append(trailers, exporters.Trailer{Key: k, Value: v})
		}
	}
	return trailers
}

func TestRecordsMatchGit(t *testing.T) {
	f, named := richFixture(t)
	commits := f.allCommits("--all")
	recs, js := export(t, f.runner(), commits, Options{})
	byID := map[string]*exporters.Record{}
	for i, r := range recs {
		byID[r.CommitSHA] = r
		var back exporters.Record
		if err := json.Unmarshal(js[i], &back); err != nil || !reflect.DeepEqual(&back, r) {
			t.Errorf("%s: JSON does not decode to the record (%v)", r.CommitSHA, err)
		}
	}
	for name, id := range named {
		t.Run(name, func(t *testing.T) {
			got := byID[id]
			base := EmptyTreeSHA1
			if len(got.ParentSHAs) > 0 {
				base = got.ParentSHAs[0]
			}
			compareRecords(t, got, f.want(id, base))
		})
	}
}

func compareRecords(t *testing.T, got, want *exporters.Record) {
	t.Helper()
	g, w := reflect.ValueOf(*got), reflect.ValueOf(*want)
	for i := 0; i < g.NumField(); i++ {
		if !reflect.DeepEqual(g.Field(i).Interface(), w.Field(i).Interface()) {
			t.Errorf("%s:\n got %#v\nwant %#v", g.Type().Field(i).Name, g.Field(i).Interface(), w.Field(i).Interface())
		}
	}
}

// The kinds of change and message, spelled out rather than compared with
// git, so that a git that changed its mind would be noticed.
func TestRecordsKnownValues(t *testing.T) {
	f, named := richFixture(t)
	var commits []git.OID
	for _, name := range []string{"empty root", "additions", "latin-1 message", "renames", "separators", "trailers", "padded message", "merge", "nul in message"} {
		commits = append(commits, git.OID(named[name]))
	}
	recs, _ := export(t, f.runner(), commits, Options{})
	rec := map[string]*exporters.Record{}
	for i, name := range []string{"empty root", "additions", "latin-1 message", "renames", "separators", "trailers", "padded message", "merge", "nul in message"} {
		rec[name] = recs[i]
	}
	if r := rec["empty root"]; r.DiffBase != EmptyTreeSHA1 || len(r.Files) != 0 || r.GitDiff != "" || len(r.ParentSHAs) != 0 {
		t.Errorf("empty root: %+v", r)
	}
	files := map[string]exporters.File{}
	for _, file := range rec["additions"].Files {
		files[file.Path] = file
	}
	for _, name := range []string{"tab\tname.txt", "quo\"te.txt", "new\nline.txt", "ünï.txt", "café.txt", "link"} {
		if files[name].Status != "A" {
			t.Errorf("additions: no added %q in %v", name, files)
		}
	}
	if !files["bin.dat"].Binary || files["a.txt"].Additions != 7 {
		t.Errorf("additions: bin.dat %+v, a.txt %+v", files["bin.dat"], files["a.txt"])
	}
	if !strings.Contains(rec["additions"].FilesChanged, "\n\"new\\nline.txt\"\n") {
		t.Errorf("files_changed should quote a name with a newline: %q", rec["additions"].FilesChanged)
	}
	if m := rec["latin-1 message"].Message; m != "café crème\n\nsecond line ÿ" {
		t.Errorf("latin-1 bytes without an encoding header: %q", m)
	}
	if m := rec["renames"].Message; m != "déclaré en latin-1" {
		t.Errorf("ISO-8859-1 message with an encoding header: %q", m)
	}
	var renamed []exporters.File
	for _, file := range rec["renames"].Files {
		if file.Status == "R" {
			renamed = append(renamed, file)
		}
	}
	if len(renamed) != 2 || renamed[0].OldPath != "c.txt" || renamed[1].OldPath != "a.txt" || renamed[1].Additions != 1 {
		t.Errorf("renames: %+v", renamed)
	}
	if r := rec["separators"]; !strings.HasPrefix(r.Message, "Message with \x01 marks, %x00, \x1e\x1f and %H\n") ||
		!strings.Contains(r.GitDiff, "\n+\x01\n") || !strings.Contains(r.GitDiff, "\x00late nul") {
		t.Errorf("separators: message %q", r.Message)
	}
	want := []exporters.Trailer{{Key: "Co-authored-by", Value: "Al <al@example.com>"},
		{Key: "Signed-off-by", Value: "Bo <bo@example.com>"}, {Key: "Reviewed-by", Value: "Cy continued here"}}
	if got := rec["trailers"].Trailers; !reflect.DeepEqual(got, want) {
		t.Errorf("trailers: %+v", got)
	}
	padded := rec["padded message"]
	if padded.Message != "Padded subject  \n\nBody.\n\nCo-authored-by: Al <al@example.com>\nSigned-off-by: Bo <bo@example.com>" {
		t.Errorf("padded message: %q", padded.Message)
	}
	if got := padded.Trailers; !reflect.DeepEqual(got, want[:2]) {
		t.Errorf("trailers of the padded message: %+v", got)
	}
	// The Buildkite fields end where git's last line does.
	if r := rec["additions"]; !strings.HasSuffix(r.GitDiff, "\n+unicode") ||
		!strings.HasSuffix(r.GitDiffRaw, " A\tünï.txt") || !strings.HasSuffix(r.DiffStat, "\n1\t0\tünï.txt") ||
		!strings.HasSuffix(r.FilesChanged, "\nünï.txt") {
		t.Errorf("additions: text fields end in %q, %q, %q, %q", tail(r.GitDiff), tail(r.GitDiffRaw), tail(r.DiffStat), tail(r.FilesChanged))
	}
	if r := rec["merge"]; len(r.ParentSHAs) != 2 || r.DiffBase != r.ParentSHAs[0] || r.FilesChanged != "side.txt" {
		t.Errorf("merge: parents %v, base %s, files %q", r.ParentSHAs, r.DiffBase, r.FilesChanged)
	}
	if m := rec["nul in message"].Message; m != "before" {
		t.Errorf("a message is cut at a NUL as git log cuts it: %q", m)
	}
}

func tail(s string) string { return s[max(0, len(s)-20):] }
