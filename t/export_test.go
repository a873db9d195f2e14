package t

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// Commands of the export scenarios (testdata/export_*.txtar): records and
// archives checked against git's own output, dates relative to now, a
// repository of many commits, and versitygw, the S3-compatible server.
// export_linux_test.go has those that need /proc or FIFOs.

// exportRecord is a record of git backfill export as the scenarios check
// it: the record fields the README documents, each kept apart to tell a missing field from
// an empty one.
type exportRecord map[string]json.RawMessage

// readRecords reads the JSON Lines of file ("stdout" for the last
// command's output): each line one JSON object.
func readRecords(ts *testscript.TestScript, file string) []exportRecord {
	var recs []exportRecord
	text := ts.ReadFile(file)
	if text == "" {
		return nil
	}
	if !strings.HasSuffix(text, "\n") {
		ts.Fatalf("records: %s does not end with a newline", file)
	}
	for i, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		var r exportRecord
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			ts.Fatalf("records: %s line %d is not a JSON object: %v\n%.200s", file, i+1, err, line)
		}
		if err := validateRecord([]byte(line)); err != nil {
			ts.Fatalf("records: %s line %d breaks docs/record.schema.json: %v", file, i+1, err)
		}
		recs = append(recs, r)
	}
	return recs
}

// str returns the string field name of r, failing when it is missing or
// not a string.
func (r exportRecord) str(ts *testscript.TestScript, name string) string {
	raw, ok := r[name]
	if !ok {
		ts.Fatalf("record %.12s has no field %s", r.id(), name)
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		ts.Fatalf("record %.12s: field %s is not a string: %s", r.id(), name, raw)
	}
	return s
}

func (r exportRecord) id() string {
	var s string
	json.Unmarshal(r["commit_sha"], &s)
	return s
}

// recordFields are the fields every record has (docs/record.schema.json); git_diff and
// git_diff_raw are omitted when empty or with --skip-diffs.
var recordFields = []string{
	"schema_version", "commit_sha", "parent_shas", "author_name", "author_email", "author_date",
	"committer_name", "committer_email", "committer_date", "message", "files_changed", "diff_stat",
	"diff_base", "files", "trailers",
}

// records <file> count <n>
// records <file> commits <rev-list argument>...
// records <file> ids <rev>...
// records <file> git [-skip-diffs] [-- <pathspec>...]
// records <file> field <i>|all <field> <value>
// records <file> base <i> <rev>|parent
//
// Checks the JSON Lines that git backfill export wrote to file ("stdout":
// the last command's standard output). count: there are n records. commits:
// their commit_sha, in order, are what `git rev-list <args>` prints. ids:
// they are these revisions, in this order. git: every record holds the
// documented fields and each agrees with git's own plumbing output for the
// record's commit_sha and diff_base (message, parents, identities and
// dates, files_changed, diff_stat, files, git_diff and git_diff_raw, both
// absent with -skip-diffs), limited to the pathspecs, with the text
// trimmed as Buildkite's bktec writes it (the message without surrounding
// white space, the four diff fields without trailing newlines); diff_base
// is never the commit itself. The repository must hold the blobs (check packs
// before and after: a lazy fetch would show). field: a field of record i
// (0 is the first) or of every record, compared as jsonfield does. base:
// record i's diff_base is rev, or its first parent.
func cmdRecords(ts *testscript.TestScript, neg bool, args []string) {
	noNeg(ts, neg, "records")
	usage := "usage: records <file> count <n> | commits <rev-list arg>... | ids <rev>... | git [-skip-diffs] [-- <pathspec>...] | field <i>|all <field> <value> | base <i> <rev>|parent"
	if len(args) < 2 {
		ts.Fatalf("%s", usage)
	}
	recs := readRecords(ts, args[0])
	rest := args[2:]
	switch args[1] {
	case "count":
		if len(rest) != 1 {
			ts.Fatalf("%s", usage)
		}
		if want, _ := strconv.Atoi(rest[0]); len(recs) != want {
			ts.Fatalf("records in %s: have %d, want %s", args[0], len(recs), rest[0])
		}
	case "commits", "ids":
		var want []string
		if args[1] == "commits" {
			want = strings.Fields(git(ts, append([]string{"rev-list"}, rest...)...))
		} else {
			for _, rev := range rest {
				want = append(want, revParse(ts, rev))
			}
		}
		var have []string
		for _, r := range recs {
			have = append(have, r.str(ts, "commit_sha"))
		}
		if !slices.Equal(have, want) {
			ts.Fatalf("commit_sha of the records in %s:\nhave %s\nwant %s (%s)", args[0],
				strings.Join(have, " "), strings.Join(want, " "), strings.Join(rest, " "))
		}
	case "git":
		skipDiffs := len(rest) > 0 && rest[0] == "-skip-diffs"
		if skipDiffs {
			rest = rest[1:]
		}
		var specs []string
		if len(rest) > 0 {
			if rest[0] != "--" {
				ts.Fatalf("%s", usage)
			}
			specs = rest[1:]
		}
		if len(recs) == 0 {
			ts.Fatalf("records: %s holds no record", args[0])
		}
		for _, r := range recs {
			checkRecord(ts, r, skipDiffs, specs)
		}
	case "field":
		if len(rest) != 3 {
			ts.Fatalf("%s", usage)
		}
		for _, r := range pick(ts, recs, rest[0]) {
			obj := map[string]any{}
			for k, raw := range r {
				var v any
				json.Unmarshal(raw, &v)
				obj[k] = v
			}
			v, err := jsonPath(obj, rest[1])
			if err != nil {
				ts.Fatalf("records %s: record %.12s: %v", args[0], r.id(), err)
			}
			if err := jsonMatch(v, rest[2]); err != nil {
				ts.Fatalf("records %s: record %.12s: %s: %v", args[0], r.id(), rest[1], err)
			}
		}
	case "base":
		if len(rest) != 2 {
			ts.Fatalf("%s", usage)
		}
		r := pick(ts, recs, rest[0])[0]
		want := ""
		if rest[1] == "parent" {
			want = firstParent(ts, r.id())
		} else {
			want = revParse(ts, rest[1])
		}
		if have := r.str(ts, "diff_base"); have != want {
			ts.Fatalf("diff_base of record %s (%.12s): have %s, want %s (%s)", rest[0], r.id(), have, want, rest[1])
		}
	default:
		ts.Fatalf("%s", usage)
	}
}

// pick returns record i, or all of them for "all".
func pick(ts *testscript.TestScript, recs []exportRecord, which string) []exportRecord {
	if which == "all" {
		if len(recs) == 0 {
			ts.Fatalf("records: no record")
		}
		return recs
	}
	i, err := strconv.Atoi(which)
	if err != nil || i < 0 || i >= len(recs) {
		ts.Fatalf("records: no record %q among %d", which, len(recs))
	}
	return recs[i : i+1]
}

func revParse(ts *testscript.TestScript, rev string) string {
	return strings.TrimSpace(git(ts, "rev-parse", "--verify", "--quiet", rev+"^{object}"))
}

// emptyTree is the base of a root commit's diff (SHA-1 repositories).
const emptyTree = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"

// firstParent is commit's first parent, or the empty tree for a root.
func firstParent(ts *testscript.TestScript, commit string) string {
	fields := strings.Fields(git(ts, "rev-list", "--parents", "-n1", commit))
	if len(fields) < 2 {
		return emptyTree
	}
	return fields[1]
}

// checkRecord compares one record with what git says about its commit and
// its diff against the record's diff_base.
func checkRecord(ts *testscript.TestScript, r exportRecord, skipDiffs bool, specs []string) {
	for _, f := range recordFields {
		if _, ok := r[f]; !ok {
			ts.Fatalf("record %.12s has no field %s", r.id(), f)
		}
	}
	id := r.str(ts, "commit_sha")
	fail := func(field, have, want string) {
		ts.Fatalf("record %.12s: %s differs from git's\nhave %q\nwant %q", id, field, have, want)
	}
	if v := string(r["schema_version"]); v != "1" {
		fail("schema_version", v, "1")
	}
	var parents []string
	if err := json.Unmarshal(r["parent_shas"], &parents); err != nil || parents == nil {
		ts.Fatalf("record %.12s: parent_shas is not a list of strings: %s", id, r["parent_shas"])
	}
	if want := strings.Fields(git(ts, "rev-list", "--parents", "-n1", id))[1:]; !slices.Equal(parents, want) {
		fail("parent_shas", strings.Join(parents, " "), strings.Join(want, " "))
	}
	idents := strings.Split(strings.TrimSuffix(
		git(ts, "show", "-s", "--no-mailmap", "--format=%an%x00%ae%x00%aI%x00%cn%x00%ce%x00%cI", id), "\n"), "\x00")
	for i, f := range []string{"author_name", "author_email", "author_date", "committer_name", "committer_email", "committer_date"} {
		if have := r.str(ts, f); have != idents[i] {
			fail(f, have, idents[i])
		}
	}
	_, msg, _ := strings.Cut(git(ts, "cat-file", "commit", id), "\n\n")
	msg = strings.TrimSpace(msg)
	if have := r.str(ts, "message"); have != msg {
		fail("message", have, msg)
	}
	var trailers []any
	if err := json.Unmarshal(r["trailers"], &trailers); err != nil || trailers == nil {
		ts.Fatalf("record %.12s: trailers is not a list: %s", id, r["trailers"])
	}

	base := r.str(ts, "diff_base")
	if base == id {
		ts.Fatalf("record %.12s: diffed against itself (diff_base == commit_sha)", id)
	}
	diff := func(opts ...string) string {
		args := append([]string{"-c", "core.quotePath=false", "-c", "diff.suppressBlankEmpty=false",
			"diff-tree", "-r", "-M", "--no-color", "--no-ext-diff", "--no-textconv"}, opts...)
		args = append(args, base, id, "--")
		return git(ts, append(args, specs...)...)
	}
	// bktec's text: git's output without its trailing newlines; a diff
	// that trims to nothing is empty, so absent.
	trim := func(out string) string { return strings.TrimRight(out, "\n") }
	names := trim(diff("--name-only"))
	if have := r.str(ts, "files_changed"); have != names {
		fail("files_changed", have, names)
	}
	numstat := diff("--numstat")
	if have := r.str(ts, "diff_stat"); have != trim(numstat) {
		fail("diff_stat", have, trim(numstat))
	}
	raw := diff("--raw", "--no-abbrev")
	patch := diff("-p", "--full-index", "--src-prefix=a/", "--dst-prefix=b/")
	for _, d := range []struct{ field, want string }{{"git_diff", trim(patch)}, {"git_diff_raw", trim(raw)}} {
		_, ok := r[d.field]
		switch {
		case skipDiffs && ok:
			ts.Fatalf("record %.12s has %s despite --skip-diffs", id, d.field)
		case !skipDiffs && d.want == "" && ok:
			ts.Fatalf("record %.12s has an empty diff but a field %s", id, d.field)
		case !skipDiffs && d.want != "":
			if have := r.str(ts, d.field); have != d.want {
				fail(d.field, have, d.want)
			}
		}
	}
	var files []struct {
		Path, Status         string
		Additions, Deletions int
	}
	if err := json.Unmarshal(r["files"], &files); err != nil || files == nil {
		ts.Fatalf("record %.12s: files is not a list of objects: %s", id, r["files"])
	}
	var want, have []string
	rawLines := strings.Split(strings.TrimSuffix(raw, "\n"), "\n")
	statLines := strings.Split(strings.TrimSuffix(numstat, "\n"), "\n")
	for i, line := range rawLines {
		if line == "" {
			continue
		}
		// ":<modes> <ids> <status>\t<path>", renames and copies with the
		// old path, then the new one.
		tabs := strings.Split(line, "\t")
		path := tabs[len(tabs)-1]
		status := strings.Fields(tabs[0])[4][:1]
		stat := strings.SplitN(statLines[i], "\t", 3)
		want = append(want, fmt.Sprintf("%s %s +%s -%s", status, path, stat[0], stat[1]))
	}
	for _, f := range files {
		have = append(have, fmt.Sprintf("%s %s +%d -%d", f.Status, f.Path, f.Additions, f.Deletions))
	}
	if !slices.Equal(have, want) {
		fail("files", strings.Join(have, "; "), strings.Join(want, "; "))
	}
}

// jsonfile <file> <field> <value>: asserts a field of the JSON document in
// file (such as an archive's metadata.json), as jsonfield does.
func cmdJsonfile(ts *testscript.TestScript, neg bool, args []string) {
	noNeg(ts, neg, "jsonfile")
	if len(args) != 3 {
		ts.Fatalf("usage: jsonfile <file> <field> <value>")
	}
	var doc any
	if err := json.Unmarshal([]byte(ts.ReadFile(args[0])), &doc); err != nil {
		ts.Fatalf("jsonfile: %s is not JSON: %v", args[0], err)
	}
	v, err := jsonPath(doc, args[1])
	if err != nil {
		ts.Fatalf("jsonfile %s: %v", args[0], err)
	}
	if err := jsonMatch(v, args[2]); err != nil {
		ts.Fatalf("jsonfile %s %s: %v", args[0], args[1], err)
	}
}

// archiveName is the file name of an archive: backfill-<repo>-<UTC time>.tar.gz.
var archiveName = regexp.MustCompile(`^backfill-(.+)-(\d{8}T\d{6}Z)\.tar\.gz$`)

// archive find <dir> <repo> <VAR> | archive none <dir> |
// archive extract <file> <dir>
//
// find asserts that dir holds exactly one entry, an archive named
// backfill-<repo>-<UTC time>.tar.gz with a time of the last ten minutes
// (no temporary file beside it), and sets VAR to its absolute path. none
// asserts that dir holds no file under an archive's final name (temporary
// files, whose names start with a dot, are only logged). extract checks
// the archive's layout, one directory backfill-<repo>-<UTC time>/ holding
// metadata.json and then commit-metadata.jsonl and nothing else, read as
// gzip (all members) and tar, and writes both files into dir.
func cmdArchive(ts *testscript.TestScript, neg bool, args []string) {
	noNeg(ts, neg, "archive")
	usage := "usage: archive find <dir> <repo> <VAR> | archive none <dir> | archive extract <file> <dir>"
	switch {
	case len(args) == 4 && args[0] == "find":
		dir := ts.MkAbs(args[1])
		entries, err := os.ReadDir(dir)
		if err != nil {
			ts.Fatalf("archive find: %v", err)
		}
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		if len(names) != 1 {
			ts.Fatalf("archive find: %s holds %d entries, want one archive: %q", args[1], len(names), names)
		}
		m := archiveName.FindStringSubmatch(names[0])
		if m == nil || m[1] != args[2] {
			ts.Fatalf("archive find: %s is not named backfill-%s-<UTC time>.tar.gz", names[0], args[2])
		}
		stamp, err := time.Parse("20060102T150405Z", m[2])
		if err != nil {
			ts.Fatalf("archive find: %s: bad time: %v", names[0], err)
		}
		if age := time.Since(stamp); age < -time.Minute || age > 10*time.Minute {
			ts.Fatalf("archive find: %s: the time in its name is %v from now (not UTC?)", names[0], -age.Round(time.Second))
		}
		ts.Setenv(args[3], filepath.Join(dir, names[0]))
	case len(args) == 2 && args[0] == "none":
		entries, err := os.ReadDir(ts.MkAbs(args[1]))
		if err != nil && !os.IsNotExist(err) {
			ts.Fatalf("archive none: %v", err)
		}
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), ".") {
				ts.Logf("archive none: temporary file %s", e.Name())
				continue
			}
			if strings.HasSuffix(e.Name(), ".tar.gz") {
				ts.Fatalf("archive none: %s holds an archive: %s", args[1], e.Name())
			}
		}
	case len(args) == 3 && args[0] == "extract":
		extractArchive(ts, ts.MkAbs(args[1]), ts.MkAbs(args[2]))
	default:
		ts.Fatalf("%s", usage)
	}
}

func extractArchive(ts *testscript.TestScript, file, dir string) {
	f, err := os.Open(file)
	if err != nil {
		ts.Fatalf("archive extract: %v", err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f) // multistream: reads every member
	if err != nil {
		ts.Fatalf("archive extract %s: not gzip: %v", file, err)
	}
	tr := tar.NewReader(zr)
	var got []string
	top := ""
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			ts.Fatalf("archive extract %s: reading the tar: %v (entries so far: %q)", file, err, got)
		}
		got = append(got, h.Name)
		if top == "" {
			top = strings.TrimSuffix(h.Name, "/")
			if h.Typeflag != tar.TypeDir || strings.Contains(top, "/") {
				ts.Fatalf("archive extract %s: first entry %q is not the top directory", file, h.Name)
			}
			continue
		}
		name, ok := strings.CutPrefix(h.Name, top+"/")
		if !ok || strings.Contains(name, "/") || h.Typeflag != tar.TypeReg {
			ts.Fatalf("archive extract %s: unexpected entry %q", file, h.Name)
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			ts.Fatalf("archive extract %s: %s: %v", file, h.Name, err)
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			ts.Fatalf("%v", err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			ts.Fatalf("%v", err)
		}
	}
	if rest, _ := io.ReadAll(zr); len(bytes.TrimRight(rest, "\x00")) > 0 {
		ts.Fatalf("archive extract %s: %d bytes after the end of the tar", file, len(rest))
	}
	want := []string{top + "/", top + "/metadata.json", top + "/commit-metadata.jsonl"}
	if !slices.Equal(got, want) {
		ts.Fatalf("archive extract %s: entries %q, want %q", file, got, want)
	}
	m := archiveName.FindStringSubmatch(top + ".tar.gz")
	if m == nil {
		ts.Fatalf("archive extract %s: directory %q is not backfill-<repo>-<UTC time>", file, top)
	}
	if base := filepath.Base(file); archiveName.MatchString(base) && base != top+".tar.gz" {
		ts.Fatalf("archive extract: %s holds directory %s, named otherwise", base, top)
	}
}

// daysago <VAR> <n>: sets VAR to the time n days before now (n may be a
// fraction) in git's internal date format "<unix time> +0000", for
// GIT_AUTHOR_DATE and GIT_COMMITTER_DATE.
func cmdDaysago(ts *testscript.TestScript, neg bool, args []string) {
	noNeg(ts, neg, "daysago")
	if len(args) != 2 {
		ts.Fatalf("usage: daysago <VAR> <n>")
	}
	n, err := strconv.ParseFloat(args[1], 64)
	if err != nil {
		ts.Fatalf("daysago: %q is not a number", args[1])
	}
	t := time.Now().Add(-time.Duration(n * 24 * float64(time.Hour)))
	ts.Setenv(args[0], strconv.FormatInt(t.Unix(), 10)+" +0000")
}

// manycommits <dir> <n>: creates a repository at dir (which must not
// exist) whose main branch has n commits, made by git fast-import: commit
// i rewrites f<i mod 16>.txt with 20 lines mentioning i, so every diff
// has a few lines. Like the fixtures, it allows partial clones.
func cmdManycommits(ts *testscript.TestScript, neg bool, args []string) {
	noNeg(ts, neg, "manycommits")
	if len(args) != 2 {
		ts.Fatalf("usage: manycommits <dir> <n>")
	}
	n, err := strconv.Atoi(args[1])
	if err != nil || n < 1 {
		ts.Fatalf("manycommits: %q is not a positive number", args[1])
	}
	dir := ts.MkAbs(args[0])
	git(ts, "init", "-q", "-b", "main", dir)
	git(ts, "-C", dir, "config", "uploadpack.allowFilter", "true")
	git(ts, "-C", dir, "config", "uploadpack.allowAnySHA1InWant", "true")
	var s strings.Builder
	for i := 1; i <= n; i++ {
		var content strings.Builder
		for line := range 20 {
			if line%5 == 0 {
				fmt.Fprintf(&content, "line %d of commit %d\n", line, i)
			} else {
				fmt.Fprintf(&content, "line %d\n", line)
			}
		}
		msg := fmt.Sprintf("Commit %d\n", i)
		date := fixtureEpoch.Unix() + int64(i)*60
		fmt.Fprintf(&s, "commit refs/heads/main\nmark :%d\n", i)
		fmt.Fprintf(&s, "author Many Author <many@example.com> %d +0000\n", date)
		fmt.Fprintf(&s, "committer Many Committer <many@example.com> %d +0000\n", date)
		fmt.Fprintf(&s, "data %d\n%s", len(msg), msg)
		if i > 1 {
			fmt.Fprintf(&s, "from :%d\n", i-1)
		}
		fmt.Fprintf(&s, "M 644 inline f%d.txt\ndata %d\n%s\n", i%16, content.Len(), content.String())
	}
	gitInput(ts, s.String(), "-C", dir, "fast-import", "--quiet")
	git(ts, "-C", dir, "reset", "-q", "--hard")
}

// versitygwBin is where `make tools` installs versitygw.
func versitygwBin() string { return filepath.Join(repoRoot, ".cache", "bin", "versitygw") }

// The credentials of versitygw's root user in the scenarios.
const (
	s3AccessKey = "backfille2eaccess"
	s3SecretKey = "backfill-e2e-secret-0123456789"
)

// versitygw start <dir>
//
// start runs versitygw, the S3-compatible server (from `make tools`; the
// script fails without it), on 127.0.0.1 serving dir with its posix
// backend: every directory in dir is a bucket, so `mkdir` makes one, and
// an object is a file below it. It sets S3_PORT, the AWS variables of the
// git-backfill processes exec runs (AWS_ACCESS_KEY_ID,
// AWS_SECRET_ACCESS_KEY, AWS_REGION, AWS_MAX_ATTEMPTS=2, and nothing from
// the developer's AWS files), and writes the same credentials to
// $HOME/.aws for the programs that spawn runs, which get only HOME. The
// server stops at the end of the script.
func cmdVersitygw(ts *testscript.TestScript, neg bool, args []string) {
	noNeg(ts, neg, "versitygw")
	if len(args) != 2 || args[0] != "start" {
		ts.Fatalf("usage: versitygw start <dir>")
	}
	bin := versitygwBin()
	if _, err := os.Stat(bin); err != nil {
		ts.Fatalf("versitygw: %s is missing: run make tools", bin)
	}
	dir := ts.MkAbs(args[1])
	if err := os.MkdirAll(dir, 0o755); err != nil {
		ts.Fatalf("versitygw: %v", err)
	}
	home := ts.Getenv("HOME")
	aws := filepath.Join(home, ".aws")
	if err := os.MkdirAll(aws, 0o700); err != nil {
		ts.Fatalf("%v", err)
	}
	creds := fmt.Sprintf("[default]\naws_access_key_id = %s\naws_secret_access_key = %s\n", s3AccessKey, s3SecretKey)
	config := "[default]\nregion = us-east-1\nmax_attempts = 2\n"
	for name, content := range map[string]string{"credentials": creds, "config": config} {
		if err := os.WriteFile(filepath.Join(aws, name), []byte(content), 0o600); err != nil {
			ts.Fatalf("%v", err)
		}
	}
	for k, v := range map[string]string{
		"AWS_ACCESS_KEY_ID": s3AccessKey, "AWS_SECRET_ACCESS_KEY": s3SecretKey, "AWS_REGION": "us-east-1",
		"AWS_MAX_ATTEMPTS": "2", "AWS_EC2_METADATA_DISABLED": "true",
		"AWS_CONFIG_FILE": filepath.Join(aws, "config"), "AWS_SHARED_CREDENTIALS_FILE": filepath.Join(aws, "credentials"),
	} {
		ts.Setenv(k, v)
	}
	var why string
	for range 3 {
		port := strconv.Itoa(freePort(ts))
		s := startServer(ts, "versitygw", filepath.Join(ts.Getenv("WORK"), "versitygw.log"),
			"env", "ROOT_ACCESS_KEY="+s3AccessKey, "ROOT_SECRET_KEY="+s3SecretKey,
			bin, "--port", "127.0.0.1:"+port, "--health", "/health", "posix", dir)
		var ok bool
		ok, why = s.waitReady(func() error {
			client := http.Client{Timeout: time.Second}
			resp, err := client.Get("http://127.0.0.1:" + port + "/health")
			if err != nil {
				return err
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				return fmt.Errorf("/health: %s", resp.Status)
			}
			return nil
		})
		if ok {
			ts.Setenv("S3_PORT", port)
			return
		}
		s.stop()
		why += "\n" + s.logTail()
	}
	ts.Fatalf("versitygw: %s", why)
}

// waitfile <path> <timeout>: waits until path exists.
func cmdWaitfile(ts *testscript.TestScript, neg bool, args []string) {
	noNeg(ts, neg, "waitfile")
	if len(args) != 2 {
		ts.Fatalf("usage: waitfile <path> <timeout>")
	}
	timeout, err := time.ParseDuration(args[1])
	if err != nil {
		ts.Fatalf("waitfile: bad timeout %q", args[1])
	}
	path := ts.MkAbs(args[0])
	deadline := time.Now().Add(timeout)
	for !fileExists(path) {
		if time.Now().After(deadline) {
			ts.Fatalf("waitfile: no %s after %v", args[0], timeout)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
