// Package exporters defines what an exporter is: the interface every
// exporter implements, built in or plugin, and the data it receives. The
// built-in exporters live in sub-packages (stdout, tar, s3, buildkite,
// parquet) and import only this package, the standard library and their
// SDKs, so each can also run as an external plugin unchanged.
//
// An export calls, in order: Configure once, Begin once, Write any number of
// times with records in selection order, then End on success or Abort on
// failure or cancellation. Calls are never concurrent.
package exporters

import (
	"context"
	"errors"
	"time"
)

// Exporter receives the records of one export.
type Exporter interface {
	// Configure receives the exporter's options (the keys of
	// backfill.exporter.<name>.<key>, such as "output" or "bucket"). It
	// should check everything it can before the long git work starts
	// (a writable directory, a reachable bucket) and fail early.
	Configure(ctx context.Context, options map[string]string) error
	// Begin announces the export.
	Begin(ctx context.Context, meta Metadata) error
	// Write receives the next records, in selection order. Each element is
	// one complete JSON object (a Record) without a trailing newline. The
	// slice and its elements are only valid during the call.
	Write(ctx context.Context, records [][]byte) error
	// End finishes the export. If delivery fails after local output was
	// kept, it returns a *KeptError naming that output.
	End(ctx context.Context, summary Summary) (Result, error)
	// Abort ends a failed or cancelled export: the exporter removes
	// temporary files and keeps what is complete.
	Abort(ctx context.Context, reason string) error
}

// Incremental is an optional interface of an exporter that keeps a
// manifest of the commits at its destination, for incremental exports
// (--incremental). Manifest is called once, after Configure and before
// Begin; an exporter asked for its manifest adds Summary.Commits to it at
// End, atomically and only once the export's data is safely at the
// destination, so a failed export leaves the manifest as it was.
// Concurrent exports to one destination must not corrupt the manifest or
// lose its commits.
type Incremental interface {
	Manifest(ctx context.Context) (Manifest, error)
}

// Manifest is what a destination already holds.
type Manifest struct {
	// Commits are the ids of the commits at the destination.
	Commits []string
	// Found is false when the destination has no manifest yet.
	Found bool
	// Warning, when not empty, says why the manifest could not be read or
	// is corrupt; Commits is then empty, so the export is a full one.
	Warning string
}

// ErrNoManifest is the error of an exporter that keeps no manifest (it
// does not implement Incremental).
var ErrNoManifest = errors.New("keeps no manifest of exported commits, so it cannot export incrementally")

// Factory makes a new, unconfigured exporter.
type Factory func() Exporter

// Metadata describes an export; it is what metadata.json holds apart from
// the Summary fields.
type Metadata struct {
	Tool          string    `json:"tool"`
	Version       string    `json:"version"`
	GeneratedAt   time.Time `json:"generated_at"`
	Repository    string    `json:"repository"` // short name, e.g. "git-backfill"
	Remote        string    `json:"remote"`     // URL without credentials
	Selection     Selection `json:"selection"`
	DiffBase      string    `json:"diff_base"` // "parent" or "fork-point"
	SkipDiffs     bool      `json:"skip_diffs"`
	SchemaVersion int       `json:"schema_version"` // of the records
}

// Selection says which commits were asked for.
type Selection struct {
	Days        int      `json:"days,omitempty"`
	Range       []string `json:"range,omitempty"`
	CommitsFrom string   `json:"commits_from,omitempty"`
	Pathspecs   []string `json:"pathspecs,omitempty"`
}

// Summary is known at the end of an export.
type Summary struct {
	CommitCount    int64 `json:"commit_count"`
	SkippedCommits int64 `json:"skipped_commits"`
	// MinCommitDate and MaxCommitDate are the earliest and latest committer
	// dates, compared as instants; zero when no commit was exported.
	MinCommitDate time.Time `json:"min_commit_date"`
	MaxCommitDate time.Time `json:"max_commit_date"`
	// Commits are the ids of the exported commits, in order, when the
	// export is incremental (see Incremental); nil otherwise.
	Commits []string `json:"-"`
}

// Result is what an exporter reports when done.
type Result struct {
	Location string // where the data went: a path, "s3://bucket/key", "stdout"
	Records  int64
	Bytes    int64 // bytes written at the destination
}

// KeptError is a delivery that failed after complete local output was
// kept, so nothing is lost: "git backfill export --upload=<Path>" can send
// it later.
type KeptError struct {
	Path string
	Err  error
}

func (e *KeptError) Error() string {
	return e.Err.Error() + " (the archive is kept at " + e.Path + ")"
}

func (e *KeptError) Unwrap() error { return e.Err }
