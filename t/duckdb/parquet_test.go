package duckdb_test

import (
	"database/sql"
	"encoding/json"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"
)

// record is the JSON record of an export, the fields the Parquet files
// mirror.
type record struct {
	SchemaVersion  int       `json:"schema_version"`
	CommitSHA      string    `json:"commit_sha"`
	ParentSHAs     []string  `json:"parent_shas"`
	AuthorName     string    `json:"author_name"`
	AuthorEmail    string    `json:"author_email"`
	AuthorDate     string    `json:"author_date"`
	CommitterName  string    `json:"committer_name"`
	CommitterEmail string    `json:"committer_email"`
	CommitterDate  string    `json:"committer_date"`
	Message        *string   `json:"message"`
	FilesChanged   *string   `json:"files_changed"`
	DiffStat       *string   `json:"diff_stat"`
	GitDiff        *string   `json:"git_diff"`
	GitDiffRaw     *string   `json:"git_diff_raw"`
	DiffOmitted    bool      `json:"diff_omitted"`
	DiffBase       string    `json:"diff_base"`
	Files          []file    `json:"files"`
	Trailers       []trailer `json:"trailers"`
}

type file struct {
	Path      string  `json:"path"`
	OldPath   *string `json:"old_path"`
	Status    string  `json:"status"`
	Additions int64   `json:"additions"`
	Deletions int64   `json:"deletions"`
	Binary    bool    `json:"binary"`
}

type trailer struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// export writes the repository's whole history as JSON Lines and as a
// Parquet dataset in dir; it returns the records.
func (r *repo) export(dir string, extra ...string) []record {
	out := r.git(nil, append([]string{"backfill", "export", "-q", "--exporter=stdout", "--all"}, extra...)...)
	r.git(nil, append([]string{"-c", "backfill.exporter.pq.type=parquet", "-c", "backfill.exporter.pq.output=" + dir,
		"backfill", "export", "-q", "--exporter=pq", "--all"}, extra...)...)
	var recs []record
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var rec record
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			r.t.Fatalf("%v: %s", err, line)
		}
		recs = append(recs, rec)
	}
	return recs
}

func openDuckDB(t *testing.T) *sql.DB {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// dataset is the table DuckDB reads from an export directory, with the
// Hive partitions as columns and no configuration.
func dataset(dir string) string {
	return "read_parquet('" + filepath.Join(dir, "**", "*.parquet") + "', hive_partitioning = true)"
}

// DuckDB reads the dataset as one table: a row per commit, typed columns,
// the partitions from the paths, and every field as the JSON record has it.
func TestDuckDBReadsTheDataset(t *testing.T) {
	r := newRepo(t)
	r.history()
	dir := filepath.Join(t.TempDir(), "history")
	recs := r.export(dir)
	db := openDuckDB(t)

	var n int
	if err := db.QueryRow("SELECT count(*) FROM " + dataset(dir)).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != len(recs) || n != 6 {
		t.Fatalf("%d rows, %d records, want 6 of each", n, len(recs))
	}

	types := map[string]string{}
	rows, err := db.Query("SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM " + dataset(dir) + ")")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var name, typ string
		if err := rows.Scan(&name, &typ); err != nil {
			t.Fatal(err)
		}
		types[name] = typ
	}
	rows.Close()
	for col, want := range map[string]string{
		"commit_sha": "VARCHAR", "parent_shas": "VARCHAR[]",
		"author_date": "TIMESTAMP WITH TIME ZONE", "committer_date": "TIMESTAMP WITH TIME ZONE",
		"author_tz_offset_minutes": "INTEGER", "committer_tz_offset_minutes": "INTEGER",
		"message": "VARCHAR", "git_diff": "VARCHAR", "diff_omitted": "BOOLEAN", "schema_version": "INTEGER",
		"files":    `STRUCT(path VARCHAR, old_path VARCHAR, status VARCHAR, additions BIGINT, deletions BIGINT, "binary" BOOLEAN)[]`,
		"trailers": `STRUCT("key" VARCHAR, "value" VARCHAR)[]`,
		// month=01: DuckDB keeps a partition value with a leading zero as
		// text (so it reads back as written); Spark and Trino cast it.
		"repository": "VARCHAR", "year": "BIGINT", "month": "VARCHAR",
	} {
		if types[col] != want {
			t.Errorf("column %s: type %q, want %q", col, types[col], want)
		}
	}

	got := map[string]record{}
	type partition struct {
		repository string
		year       int
		month      string
	}
	parts := map[string]partition{}
	rows, err = db.Query(`SELECT schema_version, commit_sha, to_json(parent_shas)::VARCHAR, author_name, author_email,
		epoch_ms(author_date), author_tz_offset_minutes, committer_name, committer_email,
		epoch_ms(committer_date), committer_tz_offset_minutes, message, files_changed, diff_stat,
		git_diff, git_diff_raw, diff_omitted, diff_base, to_json(files)::VARCHAR, to_json(trailers)::VARCHAR,
		repository, year, month FROM ` + dataset(dir))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var rec record
		var parents, files, trailers string
		var authorMS, committerMS int64
		var authorTZ, committerTZ int
		var p partition
		if err := rows.Scan(&rec.SchemaVersion, &rec.CommitSHA, &parents, &rec.AuthorName, &rec.AuthorEmail,
			&authorMS, &authorTZ, &rec.CommitterName, &rec.CommitterEmail, &committerMS, &committerTZ,
			&rec.Message, &rec.FilesChanged, &rec.DiffStat, &rec.GitDiff, &rec.GitDiffRaw, &rec.DiffOmitted,
			&rec.DiffBase, &files, &trailers, &p.repository, &p.year, &p.month); err != nil {
			t.Fatal(err)
		}
		for _, j := range []struct {
			text string
			v    any
		}{{parents, &rec.ParentSHAs}, {files, &rec.Files}, {trailers, &rec.Trailers}} {
			if err := json.Unmarshal([]byte(j.text), j.v); err != nil {
				t.Fatalf("%s: %v", j.text, err)
			}
		}
		rec.AuthorDate = isoDate(authorMS, authorTZ)
		rec.CommitterDate = isoDate(committerMS, committerTZ)
		got[rec.CommitSHA] = rec
		parts[rec.CommitSHA] = p
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}

	for _, want := range recs {
		rec, ok := got[want.CommitSHA]
		if !ok {
			t.Errorf("commit %s: no row", want.CommitSHA)
			continue
		}
		if !reflect.DeepEqual(normal(rec), normal(want)) {
			g, _ := json.Marshal(normal(rec))
			w, _ := json.Marshal(normal(want))
			t.Errorf("commit %s:\n row  %s\n json %s", want.CommitSHA, g, w)
		}
		at, err := time.Parse(time.RFC3339, want.CommitterDate)
		if err != nil {
			t.Fatal(err)
		}
		at = at.UTC()
		if p := parts[want.CommitSHA]; p != (partition{"repo", at.Year(), at.Format("01")}) {
			t.Errorf("commit %s, committed %s: partition %+v, want repository=repo/year=%d/month=%s (UTC)",
				want.CommitSHA, want.CommitterDate, p, at.Year(), at.Format("01"))
		}
	}
}

// isoDate writes an instant and an offset as git's strict ISO 8601 date.
func isoDate(ms int64, offsetMinutes int) string {
	return time.UnixMilli(ms).In(time.FixedZone("", offsetMinutes*60)).Format("2006-01-02T15:04:05-07:00")
}

// normal makes empty lists nil, as JSON leaves them out and DuckDB gives
// them as [].
func normal(r record) record {
	if len(r.ParentSHAs) == 0 {
		r.ParentSHAs = nil
	}
	if len(r.Files) == 0 {
		r.Files = nil
	}
	if len(r.Trailers) == 0 {
		r.Trailers = nil
	}
	return r
}

// Without diffs the diff columns are null; incremental runs add only the
// new commits, so the table never holds a commit twice.
func TestDuckDBSkipDiffsAndIncremental(t *testing.T) {
	r := newRepo(t)
	r.history()
	db := openDuckDB(t)
	count := func(dir, where string) int {
		t.Helper()
		var n int
		if err := db.QueryRow("SELECT count(*) FROM " + dataset(dir) + " " + where).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}

	plain := filepath.Join(t.TempDir(), "plain")
	r.export(plain, "--skip-diffs")
	if n := count(plain, "WHERE git_diff IS NOT NULL OR git_diff_raw IS NOT NULL OR diff_stat IS NULL"); n != 0 {
		t.Errorf("--skip-diffs: %d rows with a diff, or without a diff_stat", n)
	}

	inc := filepath.Join(t.TempDir(), "inc")
	incremental := func() {
		r.git(nil, "-c", "backfill.exporter.pq.type=parquet", "-c", "backfill.exporter.pq.output="+inc,
			"backfill", "export", "-q", "--incremental", "--exporter=pq", "--all")
	}
	incremental()
	incremental()
	if n := count(inc, ""); n != 6 {
		t.Fatalf("after two incremental runs: %d rows, want 6", n)
	}
	r.git([]byte("commit refs/heads/main\ncommitter Cid Committer <cid@example.com> 1740000000 +0000\ndata 5\nnext\nfrom refs/heads/main^0\n"),
		"fast-import", "--quiet")
	incremental()
	var rows, commits int
	if err := db.QueryRow("SELECT count(*), count(DISTINCT commit_sha) FROM "+dataset(inc)).Scan(&rows, &commits); err != nil {
		t.Fatal(err)
	}
	if rows != 7 || commits != 7 {
		t.Errorf("after a new commit: %d rows of %d commits, want 7 of 7", rows, commits)
	}
}
