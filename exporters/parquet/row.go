package parquet

import (
	"encoding/json"
	"fmt"
	"time"
)

// row is one commit as a row of the Parquet files: the columns of
// docs/parquet.md, in the order of the JSON record (exporters.Record).
// The partition columns (repository, year, month) are not in the files:
// readers take them from the path, as Hive does.
type row struct {
	SchemaVersion            int32     `parquet:"schema_version"`
	CommitSHA                string    `parquet:"commit_sha"`
	ParentSHAs               []string  `parquet:"parent_shas,list"`
	AuthorName               string    `parquet:"author_name"`
	AuthorEmail              string    `parquet:"author_email"`
	AuthorDate               time.Time `parquet:"author_date,timestamp(millisecond:utc)"`
	AuthorTZOffsetMinutes    int32     `parquet:"author_tz_offset_minutes"`
	CommitterName            string    `parquet:"committer_name"`
	CommitterEmail           string    `parquet:"committer_email"`
	CommitterDate            time.Time `parquet:"committer_date,timestamp(millisecond:utc)"`
	CommitterTZOffsetMinutes int32     `parquet:"committer_tz_offset_minutes"`
	Message                  *string   `parquet:"message,optional"`
	FilesChanged             *string   `parquet:"files_changed,optional"`
	DiffStat                 *string   `parquet:"diff_stat,optional"`
	GitDiff                  *string   `parquet:"git_diff,optional"`
	GitDiffRaw               *string   `parquet:"git_diff_raw,optional"`
	DiffOmitted              bool      `parquet:"diff_omitted"`
	DiffBase                 string    `parquet:"diff_base"`
	Files                    []file    `parquet:"files,list"`
	Trailers                 []trailer `parquet:"trailers,list"`
}

// file is one element of row.Files: exporters.File.
type file struct {
	Path      string  `parquet:"path"`
	OldPath   *string `parquet:"old_path,optional"`
	Status    string  `parquet:"status"`
	Additions int64   `parquet:"additions"`
	Deletions int64   `parquet:"deletions"`
	Binary    bool    `parquet:"binary"`
}

// trailer is one element of row.Trailers: exporters.Trailer.
type trailer struct {
	Key   string `parquet:"key"`
	Value string `parquet:"value"`
}

// jsonRecord is exporters.Record as decoded here: the optional strings
// are pointers, so that an absent field (git_diff with --skip-diffs)
// becomes a null and an empty one an empty string.
type jsonRecord struct {
	SchemaVersion  int32      `json:"schema_version"`
	CommitSHA      string     `json:"commit_sha"`
	ParentSHAs     []string   `json:"parent_shas"`
	AuthorName     string     `json:"author_name"`
	AuthorEmail    string     `json:"author_email"`
	AuthorDate     string     `json:"author_date"`
	CommitterName  string     `json:"committer_name"`
	CommitterEmail string     `json:"committer_email"`
	CommitterDate  string     `json:"committer_date"`
	Message        *string    `json:"message"`
	FilesChanged   *string    `json:"files_changed"`
	DiffStat       *string    `json:"diff_stat"`
	GitDiff        *string    `json:"git_diff"`
	GitDiffRaw     *string    `json:"git_diff_raw"`
	DiffOmitted    bool       `json:"diff_omitted"`
	DiffBase       string     `json:"diff_base"`
	Files          []jsonFile `json:"files"`
	Trailers       []trailer  `json:"trailers"`
}

type jsonFile struct {
	Path      string  `json:"path"`
	OldPath   *string `json:"old_path"`
	Status    string  `json:"status"`
	Additions int64   `json:"additions"`
	Deletions int64   `json:"deletions"`
	Binary    bool    `json:"binary"`
}

// decodeRow decodes one JSON record. The row holds no reference to data.
func decodeRow(data []byte) (row, error) {
	var j jsonRecord
	if err := json.Unmarshal(data, &j); err != nil {
		return row{}, fmt.Errorf("decoding a record: %w", err)
	}
	if j.CommitSHA == "" {
		return row{}, fmt.Errorf("decoding a record: no commit_sha")
	}
	r := row{
		SchemaVersion: j.SchemaVersion, CommitSHA: j.CommitSHA, ParentSHAs: j.ParentSHAs,
		AuthorName: j.AuthorName, AuthorEmail: j.AuthorEmail,
		CommitterName: j.CommitterName, CommitterEmail: j.CommitterEmail,
		Message: j.Message, FilesChanged: j.FilesChanged, DiffStat: j.DiffStat,
		GitDiff: j.GitDiff, GitDiffRaw: j.GitDiffRaw, DiffOmitted: j.DiffOmitted,
		DiffBase: j.DiffBase, Trailers: j.Trailers,
	}
	var err error
	if r.AuthorDate, r.AuthorTZOffsetMinutes, err = parseDate(j.AuthorDate); err != nil {
		return row{}, fmt.Errorf("record %s: author_date: %w", j.CommitSHA, err)
	}
	if r.CommitterDate, r.CommitterTZOffsetMinutes, err = parseDate(j.CommitterDate); err != nil {
		return row{}, fmt.Errorf("record %s: committer_date: %w", j.CommitSHA, err)
	}
	if len(j.Files) > 0 {
		r.Files = make([]file, len(j.Files))
		for i, f := range j.Files {
			r.Files[i] = file(f)
		}
	}
	return r, nil
}

// parseDate reads an ISO 8601 strict date (git's %aI) as the UTC instant
// and its offset in minutes. The offset is read by hand: git prints what a
// commit holds, and broken commits hold zones like +9959, which
// time.Parse refuses (one such commit must not fail a whole export).
func parseDate(s string) (time.Time, int32, error) {
	const layout = "2006-01-02T15:04:05"
	if len(s) < len(layout) {
		return time.Time{}, 0, fmt.Errorf("%q is not an ISO 8601 date", s)
	}
	wall, err := time.Parse(layout, s[:len(layout)])
	if err != nil {
		return time.Time{}, 0, err
	}
	zone := s[len(layout):]
	if zone == "Z" {
		return wall, 0, nil
	}
	var h, m int
	if len(zone) != 6 || (zone[0] != '+' && zone[0] != '-') || zone[3] != ':' {
		return time.Time{}, 0, fmt.Errorf("%q has no ±HH:MM offset", s)
	}
	if _, err := fmt.Sscanf(zone[1:], "%02d:%02d", &h, &m); err != nil {
		return time.Time{}, 0, fmt.Errorf("%q has no ±HH:MM offset", s)
	}
	off := int32(h*60 + m)
	if zone[0] == '-' {
		off = -off
	}
	return wall.Add(-time.Duration(off) * time.Minute), off, nil
}
