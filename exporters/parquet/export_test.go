package parquet

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go/format"

	"github.com/git-backfill/git-backfill/exporters"
	"github.com/git-backfill/git-backfill/exporters/exportertest"
	"github.com/git-backfill/git-backfill/exporters/manifest"
)

// rec returns a record of commit i committed at date, with diffs unless
// skipDiffs.
func rec(i int, date string, skipDiffs bool) []byte {
	r := exporters.Record{
		SchemaVersion: exporters.SchemaVersion,
		CommitSHA:     fmt.Sprintf("%040x", i),
		ParentSHAs:    []string{fmt.Sprintf("%040x", i+1000), fmt.Sprintf("%040x", i+2000)},
		AuthorName:    "A U Thor", AuthorEmail: "author@example.com",
		AuthorDate:    "2024-02-29T23:59:59-05:30",
		CommitterName: "C O Mitter", CommitterEmail: "committer@example.com",
		CommitterDate: date,
		Message:       fmt.Sprintf("commit %d\n\nSigned-off-by: A <a@example.com>", i),
		FilesChanged:  "a.txt\nnew.txt",
		DiffStat:      "1\t0\ta.txt\n-\t-\tnew.txt",
		GitDiff:       "diff --git a/a.txt b/a.txt",
		GitDiffRaw:    ":100644 100644 ... M\ta.txt",
		DiffBase:      fmt.Sprintf("%040x", i+1000),
		Files: []exporters.File{
			{Path: "a.txt", Status: "M", Additions: 1},
			{Path: "new.txt", OldPath: "old.txt", Status: "R", Binary: true},
		},
		Trailers: []exporters.Trailer{{Key: "Signed-off-by", Value: "A <a@example.com>"}, {Key: "Fixes", Value: "#1"}},
	}
	if skipDiffs {
		r.GitDiff, r.GitDiffRaw = "", ""
		r.ParentSHAs, r.Files, r.Trailers, r.Message = []string{}, []exporters.File{}, []exporters.Trailer{}, ""
	}
	b, err := json.Marshal(r)
	if err != nil {
		panic(err)
	}
	return b
}

// run exports batches with e, configured with opts, and returns End's
// result.
func run(t *testing.T, e *Exporter, opts map[string]string, meta exporters.Metadata, batches ...[][]byte) exporters.Result {
	t.Helper()
	if err := e.Configure(t.Context(), opts); err != nil {
		t.Fatalf("Configure: %v", err)
	}
	if err := e.Begin(t.Context(), meta); err != nil {
		t.Fatalf("Begin: %v", err)
	}
	var all [][]byte
	for _, b := range batches {
		if err := e.Write(t.Context(), b); err != nil {
			t.Fatalf("Write: %v", err)
		}
		all = append(all, b...)
	}
	res, err := e.End(t.Context(), exportertest.Summary(all))
	if err != nil {
		t.Fatalf("End: %v", err)
	}
	return res
}

func TestPartitions(t *testing.T) {
	dir := t.TempDir()
	recs := [][]byte{
		rec(1, "2025-12-31T23:00:00+00:00", false),
		rec(2, "2026-01-01T00:30:00+02:00", true),  // 2025-12-31 22:30 UTC
		rec(3, "2025-12-31T20:00:00-05:00", false), // 2026-01-01 01:00 UTC
		rec(4, "2026-02-01T00:00:00+00:00", false),
	}
	res := run(t, New().(*Exporter), map[string]string{"output": dir}, exportertest.Metadata(), recs)
	root := filepath.Join(dir, "repository=conformance")
	if res.Location != root || res.Records != 4 || res.Bytes <= 0 {
		t.Errorf("Result %+v", res)
	}
	want := map[string][][]byte{
		"year=2025/month=12": {recs[0], recs[1]},
		"year=2026/month=01": {recs[2]},
		"year=2026/month=02": {recs[3]},
	}
	files := partFiles(t, root)
	if len(files) != 3 {
		t.Fatalf("part files %q, want one per month", files)
	}
	for _, path := range files {
		rel, _ := filepath.Rel(root, path)
		part := filepath.ToSlash(filepath.Dir(rel))
		if !strings.HasPrefix(filepath.Base(rel), "part-20261122T031500Z-") {
			t.Errorf("part file name %s", rel)
		}
		got := readDataset(t, filepath.Dir(path))
		if !slices.EqualFunc(got, want[part], func(a, b []byte) bool { return string(a) == string(b) }) {
			t.Errorf("%s: got\n%s\nwant\n%s", part, got, want[part])
		}
	}
	// Absent diffs are nulls; an empty message is an empty string.
	for _, r := range readPart(t, files[0]) {
		if r.CommitSHA == fmt.Sprintf("%040x", 2) && (r.GitDiff != nil || r.GitDiffRaw != nil || r.Message == nil || *r.Message != "") {
			t.Errorf("record 2: git_diff %v, git_diff_raw %v, message %v", r.GitDiff, r.GitDiffRaw, r.Message)
		}
	}
}

func TestSchema(t *testing.T) {
	dir := t.TempDir()
	run(t, New().(*Exporter), map[string]string{"output": dir, "repository": "r"}, exportertest.Metadata(),
		[][]byte{rec(1, "2026-03-04T05:06:07+01:00", false)})
	files := partFiles(t, dir)
	if len(files) != 1 {
		t.Fatalf("files %q", files)
	}
	f := openPart(t, files[0])
	var names []string
	for _, c := range f.Schema().Fields() {
		names = append(names, c.Name())
	}
	want := []string{"schema_version", "commit_sha", "parent_shas", "author_name", "author_email", "author_date",
		"author_tz_offset_minutes", "committer_name", "committer_email", "committer_date", "committer_tz_offset_minutes",
		"message", "files_changed", "diff_stat", "git_diff", "git_diff_raw", "diff_omitted", "diff_base", "files", "trailers"}
	if !slices.Equal(names, want) {
		t.Errorf("columns %q, want %q", names, want)
	}
	for _, name := range []string{"author_date", "committer_date"} {
		typ := f.Schema().Fields()[slices.Index(want, name)].Type().LogicalType()
		if typ == nil || typ.String() != "TIMESTAMP(isAdjustedToUTC=true,unit=MILLIS)" {
			t.Errorf("%s: logical type %v, want a UTC timestamp in milliseconds", name, typ)
		}
	}
	for _, name := range []string{"parent_shas", "files", "trailers"} {
		typ := f.Schema().Fields()[slices.Index(want, name)].Type().LogicalType()
		if typ == nil || typ.String() != "LIST" {
			t.Errorf("%s: logical type %v, want a list", name, typ)
		}
	}
	for _, rg := range f.Metadata().RowGroups {
		for _, c := range rg.Columns {
			if c.MetaData.Codec != format.Zstd {
				t.Errorf("column %v: codec %v, want zstd", c.MetaData.PathInSchema, c.MetaData.Codec)
			}
		}
	}
	r := readPart(t, files[0])[0]
	if got := r.CommitterDate.UTC().Format("2006-01-02T15:04:05Z"); got != "2026-03-04T04:06:07Z" || r.CommitterTZOffsetMinutes != 60 {
		t.Errorf("committer_date %s, offset %d", got, r.CommitterTZOffsetMinutes)
	}
	if r.AuthorTZOffsetMinutes != -330 {
		t.Errorf("author_tz_offset_minutes %d, want -330", r.AuthorTZOffsetMinutes)
	}
}

// TestBounded writes with small limits: row groups, parts and open
// partitions stay within them, and every record is written once.
func TestBounded(t *testing.T) {
	dir := t.TempDir()
	e := New().(*Exporter)
	e.limits = limits{groupRows: 5, groupBytes: 1 << 20, partBytes: 8 << 10, openParts: 2}
	months := []string{"2026-01-15T12:00:00+00:00", "2026-02-15T12:00:00+00:00", "2026-03-15T12:00:00+00:00"}
	var batches [][][]byte
	var want []string
	for b := range 4 {
		var batch [][]byte
		for i := range 20 {
			n := b*20 + i
			batch = append(batch, rec(n, months[n%3], false))
			want = append(want, string(rec(n, months[n%3], false)))
		}
		batches = append(batches, batch)
	}
	opts := map[string]string{"output": dir, "repository": "r"}
	if err := e.Configure(t.Context(), opts); err != nil {
		t.Fatal(err)
	}
	if err := e.Begin(t.Context(), exportertest.Metadata()); err != nil {
		t.Fatal(err)
	}
	for _, b := range batches {
		if err := e.Write(t.Context(), b); err != nil {
			t.Fatal(err)
		}
		if len(e.open) > 2 {
			t.Fatalf("%d open partitions", len(e.open))
		}
		checkVisible(t, dir)
	}
	if _, err := e.End(t.Context(), exporters.Summary{}); err != nil {
		t.Fatal(err)
	}
	files := partFiles(t, dir)
	if len(files) <= 3 {
		t.Errorf("%d part files, want several per partition", len(files))
	}
	groups := 0
	for _, path := range files {
		f := openPart(t, path)
		for _, rg := range f.RowGroups() {
			groups++
			if rg.NumRows() > 5 {
				t.Errorf("%s: a row group of %d rows", path, rg.NumRows())
			}
		}
	}
	if groups < 16 {
		t.Errorf("%d row groups, want at least 16", groups)
	}
	var got []string
	for _, r := range readDataset(t, dir) {
		got = append(got, string(r))
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("read %d records, want the %d written", len(got), len(want))
	}
	if left := leftovers(t, dir, filepath.Join(dir, "repository=r")); len(left) > 0 {
		t.Errorf("left behind %q", left)
	}
}

// checkVisible checks that every part file under its final name is
// complete: it has a footer.
func checkVisible(t *testing.T, dir string) {
	t.Helper()
	for _, path := range partFiles(t, dir) {
		openPart(t, path)
	}
}

func TestAbortKeepsCompleteParts(t *testing.T) {
	dir := t.TempDir()
	e := New().(*Exporter)
	e.limits.partBytes = 1
	if err := e.Configure(t.Context(), map[string]string{"output": dir}); err != nil {
		t.Fatal(err)
	}
	if err := e.Begin(t.Context(), exportertest.Metadata()); err != nil {
		t.Fatal(err)
	}
	if err := e.Write(t.Context(), [][]byte{rec(1, "2026-01-01T00:00:00+00:00", false), rec(2, "2026-02-01T00:00:00+00:00", false)}); err != nil {
		t.Fatal(err)
	}
	e.limits.partBytes = 1 << 30
	if err := e.Write(t.Context(), [][]byte{rec(3, "2026-03-01T00:00:00+00:00", false)}); err != nil {
		t.Fatal(err)
	}
	if err := e.Abort(t.Context(), "test"); err != nil {
		t.Fatal(err)
	}
	root := filepath.Join(dir, "repository=conformance")
	if got := readDataset(t, root); len(got) != 2 {
		t.Errorf("%d records after Abort, want the 2 of complete parts", len(got))
	}
	if left := leftovers(t, dir, root); len(left) > 0 {
		t.Errorf("left behind %q", left)
	}
	if _, err := os.Stat(filepath.Join(root, "year=2026", "month=03")); !os.IsNotExist(err) {
		t.Errorf("the directory of the aborted part stays: %v", err)
	}
}

func TestIncremental(t *testing.T) {
	dir := t.TempDir()
	opts := map[string]string{"output": dir, "repository": "r"}
	root := filepath.Join(dir, "repository=r")
	newExporter := func() *Exporter {
		e := New().(*Exporter)
		e.limits.partBytes = 1 // a part per record
		if err := e.Configure(t.Context(), opts); err != nil {
			t.Fatal(err)
		}
		if _, err := e.Manifest(t.Context()); err != nil {
			t.Fatal(err)
		}
		if err := e.Begin(t.Context(), exportertest.Metadata()); err != nil {
			t.Fatal(err)
		}
		return e
	}
	first := [][]byte{rec(1, "2026-01-01T00:00:00+00:00", false), rec(2, "2026-02-01T00:00:00+00:00", false)}
	e := newExporter()
	if err := e.Write(t.Context(), first); err != nil {
		t.Fatal(err)
	}
	// Finished parts keep their temporary names until End.
	if files := partFiles(t, dir); len(files) != 0 {
		t.Errorf("parts visible before End: %q", files)
	}
	sum := exportertest.Summary(first)
	sum.Commits = []string{fmt.Sprintf("%040x", 1), fmt.Sprintf("%040x", 2)}
	if _, err := e.End(t.Context(), sum); err != nil {
		t.Fatal(err)
	}
	m, err := manifest.ReadFile(root)
	if err != nil || m == nil {
		t.Fatalf("manifest: %v, %v", m, err)
	}
	if len(m.Archives) != 2 {
		t.Fatalf("manifest lists %d parts, want 2: %+v", len(m.Archives), m.Archives)
	}
	for _, a := range m.Archives {
		if _, err := os.Stat(filepath.Join(root, filepath.FromSlash(a.Name))); err != nil || len(a.Commits) != 1 {
			t.Errorf("manifest entry %+v: %v", a, err)
		}
	}

	// An aborted run leaves nothing: its commits come again next time.
	e = newExporter()
	if err := e.Write(t.Context(), [][]byte{rec(3, "2026-03-01T00:00:00+00:00", false), rec(4, "2026-03-02T00:00:00+00:00", false)}); err != nil {
		t.Fatal(err)
	}
	if err := e.Abort(t.Context(), "test"); err != nil {
		t.Fatal(err)
	}
	if got := readDataset(t, root); len(got) != 2 {
		t.Errorf("%d records after an aborted run, want 2", len(got))
	}
	if left := leftovers(t, dir, root); len(left) > 0 {
		t.Errorf("left behind %q", left)
	}
	// Without the repository option, no manifest.
	e = New().(*Exporter)
	if err := e.Configure(t.Context(), map[string]string{"output": dir}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Manifest(t.Context()); err == nil {
		t.Error("Manifest without the repository option succeeded")
	} else {
		exportertest.CheckError(t, err)
	}
}

func TestRepositoryName(t *testing.T) {
	for _, tc := range []struct {
		option, meta, want string // want "" for an error at Begin
	}{
		{"", "git-backfill", "repository=git-backfill"},
		{"lake", "git-backfill", "repository=lake"},
		{"", "a/b", ""},
		{"", "..", ""},
		{"", "", ""},
	} {
		dir := t.TempDir()
		opts := map[string]string{"output": dir}
		if tc.option != "" {
			opts["repository"] = tc.option
		}
		e := New()
		if err := e.Configure(t.Context(), opts); err != nil {
			t.Fatal(err)
		}
		meta := exportertest.Metadata()
		meta.Repository = tc.meta
		err := e.Begin(t.Context(), meta)
		if tc.want == "" {
			if err == nil {
				t.Errorf("%+v: Begin succeeded", tc)
			}
			e.Abort(t.Context(), "test")
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		res, err := e.End(t.Context(), exporters.Summary{})
		if err != nil || res.Location != filepath.Join(dir, tc.want) {
			t.Errorf("%+v: End = %+v, %v", tc, res, err)
		}
	}
}

func TestBadRecord(t *testing.T) {
	e := New()
	if err := e.Configure(t.Context(), map[string]string{"output": t.TempDir()}); err != nil {
		t.Fatal(err)
	}
	if err := e.Begin(t.Context(), exportertest.Metadata()); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{`{`, `{"commit_sha":"a","committer_date":"yesterday"}`, `{}`} {
		if err := e.Write(t.Context(), [][]byte{[]byte(bad)}); err == nil {
			t.Errorf("Write(%s) succeeded", bad)
		} else {
			exportertest.CheckError(t, err)
		}
	}
	e.Abort(t.Context(), "test")
}

// Offsets as git prints them, odd ones included: the instant in UTC and
// the offset in minutes.
func TestParseDate(t *testing.T) {
	for _, tc := range []struct {
		in     string
		utc    string
		offset int32
	}{
		{"2024-01-02T03:04:05+05:45", "2024-01-01T21:19:05Z", 345},
		{"2024-01-02T03:04:05-03:30", "2024-01-02T06:34:05Z", -210},
		{"2024-01-02T03:04:05+14:00", "2024-01-01T13:04:05Z", 840},
		{"2024-01-02T03:04:05+99:59", "2023-12-28T23:05:05Z", 5999},
		{"2024-01-02T03:04:05Z", "2024-01-02T03:04:05Z", 0},
	} {
		at, off, err := parseDate(tc.in)
		if err != nil || at.Format(time.RFC3339) != tc.utc || off != tc.offset || at.Location() != time.UTC {
			t.Errorf("parseDate(%q) = %v, %d, %v; want %s, %d", tc.in, at, off, err, tc.utc, tc.offset)
		}
	}
	for _, bad := range []string{"", "2024-01-02", "2024-01-02T03:04:05", "2024-01-02T03:04:05+0545", "2024-01-02T03:04:05+ab:cd"} {
		if _, _, err := parseDate(bad); err == nil {
			t.Errorf("parseDate(%q) accepted", bad)
		}
	}
}

// A large diff is stored about once: the text columns carry no min/max
// statistics, which would copy it into page headers and the footer.
func TestLargeDiffIsStoredOnce(t *testing.T) {
	dir := t.TempDir()
	var r exporters.Record
	if err := json.Unmarshal(rec(1, "2025-01-01T00:00:00+00:00", false), &r); err != nil {
		t.Fatal(err)
	}
	diff := make([]byte, 4<<20)
	for i := range diff {
		diff[i] = "0123456789abcdef"[(i*7919+i/97)%16]
	}
	r.GitDiff = string(diff)
	big, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	run(t, New().(*Exporter), map[string]string{"output": dir}, exporters.Metadata{Repository: "r", GeneratedAt: time.Now()}, [][]byte{big})
	var total int64
	for _, p := range partFiles(t, dir) {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		total += fi.Size()
	}
	if total > int64(len(diff))*3/2 {
		t.Errorf("a %d-byte diff took %d bytes of Parquet", len(diff), total)
	}
}

// An End that fails (here the manifest cannot be written) removes the
// run's parts and temporary files itself: the host sends no Abort after
// End, and a part the manifest does not list would be written again.
func TestFailedEndCleansUp(t *testing.T) {
	dir := t.TempDir()
	e := New().(*Exporter)
	e.limits.partBytes = 1 // a part per record
	if err := e.Configure(t.Context(), map[string]string{"output": dir, "repository": "r"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Manifest(t.Context()); err != nil {
		t.Fatal(err)
	}
	if err := e.Begin(t.Context(), exportertest.Metadata()); err != nil {
		t.Fatal(err)
	}
	recs := [][]byte{rec(1, "2026-01-01T00:00:00+00:00", false), rec(2, "2026-02-01T00:00:00+00:00", false)}
	if err := e.Write(t.Context(), recs); err != nil {
		t.Fatal(err)
	}
	// A directory where the manifest goes: writing it fails.
	if err := os.MkdirAll(filepath.Join(dir, "repository=r", manifest.File, "x"), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := e.End(t.Context(), exportertest.Summary(recs)); err == nil || !strings.Contains(err.Error(), "they are removed") {
		t.Fatalf("End = %v, want the manifest's failure", err)
	}
	if files := partFiles(t, dir); len(files) != 0 {
		t.Errorf("parts left after a failed End: %q", files)
	}
	// The lock file stays, as after every incremental export.
	if left := leftovers(t, dir, filepath.Join(dir, "repository=r")); len(left) != 0 {
		t.Errorf("temporary files left after a failed End: %q", left)
	}
}

// Every field of the JSON record has its column: a field added to
// exporters.Record (or File) and not here would vanish from the dataset.
func TestEveryRecordFieldHasAColumn(t *testing.T) {
	for _, pair := range [][2]reflect.Type{
		{reflect.TypeFor[exporters.Record](), reflect.TypeFor[jsonRecord]()},
		{reflect.TypeFor[exporters.File](), reflect.TypeFor[jsonFile]()},
		{reflect.TypeFor[exporters.Trailer](), reflect.TypeFor[trailer]()},
	} {
		if got, want := jsonNames(pair[1]), jsonNames(pair[0]); !slices.Equal(got, want) {
			t.Errorf("%v reads %q, %v has %q", pair[1], got, pair[0], want)
		}
	}
}

// jsonNames are the JSON names of t's fields, sorted.
func jsonNames(t reflect.Type) []string {
	var names []string
	for f := range t.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}
