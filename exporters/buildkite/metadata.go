package buildkite

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/git-backfill/git-backfill/exporters"
	"github.com/git-backfill/git-backfill/exporters/archive"
)

// metadataVersion is metadata.json's schema_version: bktec's format 2.
const metadataVersion = 2

// timestampLayout is the UTC time in archive names, bktec's:
// 20261122T031500.000Z.
const timestampLayout = "20060102T150405.000Z"

// dirName is the directory inside an archive, as bktec names it:
// backfill-<org>-<suite>-<UTC time>. Characters of the slugs other than
// letters, digits, '.', '_' and '-' become '-' (Buildkite's slugs have
// none), so the name is one safe path element.
func dirName(org, suite string, at time.Time) string {
	return "backfill-" + safe(org) + "-" + safe(suite) + "-" + at.UTC().Format(timestampLayout)
}

// fileName is the archive's file name in a directory, bktec's:
// bktec-commit-metadata-<UTC time>.tar.gz.
func fileName(at time.Time) string {
	return "bktec-commit-metadata-" + at.UTC().Format(timestampLayout) + archive.Ext
}

func safe(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9',
			r == '.', r == '_', r == '-':
			return r
		}
		return '-'
	}, s)
}

// metadata is metadata.json: bktec's fields in bktec's order, then ours.
// Times are RFC 3339 in UTC; the commit dates are left out when no commit
// was exported, as bktec leaves them out.
type metadata struct {
	SchemaVersion    int    `json:"schema_version"`
	Tool             string `json:"tool"`
	ToolVersion      string `json:"tool_version"`
	GeneratedAt      string `json:"generated_at"`
	OrganizationSlug string `json:"organization_slug"`
	SuiteSlug        string `json:"suite_slug"`
	OrganizationUUID string `json:"organization_uuid"`
	SuiteUUID        string `json:"suite_uuid"`
	CommitCount      int64  `json:"commit_count"`
	SkippedCommits   int64  `json:"skipped_commits"`
	Days             int    `json:"days"`
	Remote           string `json:"remote"`
	SkippedDiffs     bool   `json:"skipped_diffs"`
	MinCommitDate    string `json:"min_commit_date,omitempty"`
	MaxCommitDate    string `json:"max_commit_date,omitempty"`

	// Ours: what git-backfill's own archives say besides.
	Repository          string              `json:"repository"`
	RemoteURL           string              `json:"remote_url"`
	Selection           exporters.Selection `json:"selection"`
	DiffBase            string              `json:"diff_base"`
	RecordSchemaVersion int                 `json:"record_schema_version"`
	ArchiveVersion      int                 `json:"archive_version"`
}

// newMetadata returns metadata.json's content, indented as bktec writes
// it, for an export to the suite ids names.
func newMetadata(s Settings, ids Suite, meta exporters.Metadata, summary exporters.Summary) ([]byte, error) {
	m := metadata{
		SchemaVersion:       metadataVersion,
		Tool:                meta.Tool,
		ToolVersion:         meta.Version,
		GeneratedAt:         meta.GeneratedAt.UTC().Format(time.RFC3339),
		OrganizationSlug:    s.OrganizationSlug,
		SuiteSlug:           s.SuiteSlug,
		OrganizationUUID:    ids.OrganizationID,
		SuiteUUID:           ids.ID,
		CommitCount:         summary.CommitCount,
		SkippedCommits:      summary.SkippedCommits,
		Days:                s.Days,
		Remote:              s.Remote,
		SkippedDiffs:        meta.SkipDiffs,
		MinCommitDate:       optionalTime(summary.MinCommitDate),
		MaxCommitDate:       optionalTime(summary.MaxCommitDate),
		Repository:          meta.Repository,
		RemoteURL:           meta.Remote,
		Selection:           meta.Selection,
		DiffBase:            meta.DiffBase,
		RecordSchemaVersion: meta.SchemaVersion,
		ArchiveVersion:      archive.Version,
	}
	data, err := json.MarshalIndent(m, "", "  ")
	return append(data, '\n'), err
}

func optionalTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
