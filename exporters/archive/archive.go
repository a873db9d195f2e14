// Package archive writes and reads the archive of the tar, s3 and
// buildkite exporters: a gzip tar holding one directory,
// backfill-<repo>-<UTC time>/, with metadata.json (the export's Metadata
// and Summary, see Info) followed by commit-metadata.jsonl (the records,
// one JSON object per line).
//
// Memory stays bounded whatever the export's size, nothing is compressed
// twice and nothing is copied, so an export needs disk for its archive
// once (and a few KiB). Records are compressed as they arrive into a spool
// file beside the archive, as the second member of a gzip file, after
// room kept for the first. A tar entry needs its size before its content,
// so the tar headers and metadata.json, known only at the end, are
// compressed then as the first member and written into that room, padded
// to fill it exactly with the extra field of its gzip header (RFC 1952,
// section 2.3.1.1), and the spool is the archive. A gzip file may hold
// several members that decompress as one stream (section 2.2); gzip, GNU
// tar, bsdtar, Go and Python read them as one. Only a first member too
// large for the room (over 64 KiB compressed, from a metadata.json of
// hundreds of KiB) makes the archive a new file, that member followed by
// a copy of the spool's records.
//
// An archive appears under its final name only when complete: the spool
// (or the copy) has a temporary name in the same directory and is renamed.
//
// The buildkite exporter writes Buildkite's format in the same layout: its
// Options (WithDir, WithFileName, WithMetadata) name the directory and the
// file and give metadata.json other fields.
package archive

import (
	"strings"
	"time"

	"github.com/git-backfill/git-backfill/exporters"
)

// Version is the version of the archive's layout and of metadata.json's
// fields, written there as "archive_version".
const Version = 1

// Names inside an archive's directory, and the archive's extension.
const (
	MetadataFile = "metadata.json"
	RecordsFile  = "commit-metadata.jsonl"
	Ext          = ".tar.gz"
)

// timestampLayout is the UTC time in archive names: 20261122T031500Z.
const timestampLayout = "20060102T150405Z"

// Name returns the name of an archive's directory, which is also its file
// name without Ext: "backfill-<repository>-<UTC time>". Characters of the
// repository name other than letters, digits, '.', '_' and '-' become '-',
// so the name is one safe path element.
func Name(repository string, generatedAt time.Time) string {
	repo := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9',
			r == '.', r == '_', r == '-':
			return r
		}
		return '-'
	}, repository)
	if strings.Trim(repo, ".") == "" {
		repo = "repository"
	}
	return "backfill-" + repo + "-" + generatedAt.UTC().Format(timestampLayout)
}

// Info is the content of metadata.json. Times are RFC 3339 in UTC, to the
// second; the commit dates are null when no commit was exported.
type Info struct {
	Tool           string              `json:"tool"`
	Version        string              `json:"version"`
	GeneratedAt    string              `json:"generated_at"`
	Repository     string              `json:"repository"`
	Remote         string              `json:"remote"`
	Selection      exporters.Selection `json:"selection"`
	DiffBase       string              `json:"diff_base"`
	SkipDiffs      bool                `json:"skip_diffs"`
	CommitCount    int64               `json:"commit_count"`
	SkippedCommits int64               `json:"skipped_commits"`
	MinCommitDate  *string             `json:"min_commit_date"`
	MaxCommitDate  *string             `json:"max_commit_date"`
	SchemaVersion  int                 `json:"schema_version"` // of the records
	ArchiveVersion int                 `json:"archive_version"`
}

// NewInfo returns the metadata.json of an export.
func NewInfo(meta exporters.Metadata, summary exporters.Summary) Info {
	return Info{
		Tool:           meta.Tool,
		Version:        meta.Version,
		GeneratedAt:    formatTime(meta.GeneratedAt),
		Repository:     meta.Repository,
		Remote:         meta.Remote,
		Selection:      meta.Selection,
		DiffBase:       meta.DiffBase,
		SkipDiffs:      meta.SkipDiffs,
		CommitCount:    summary.CommitCount,
		SkippedCommits: summary.SkippedCommits,
		MinCommitDate:  optionalTime(summary.MinCommitDate),
		MaxCommitDate:  optionalTime(summary.MaxCommitDate),
		SchemaVersion:  meta.SchemaVersion,
		ArchiveVersion: Version,
	}
}

func formatTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func optionalTime(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := formatTime(t)
	return &s
}
