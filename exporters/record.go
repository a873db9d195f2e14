package exporters

// SchemaVersion is the version of Record.
const SchemaVersion = 1

// MaxRecordSize is the largest encoded record an exporter receives: what
// one message of the plugin protocol holds (256 MiB) less its framing. A
// commit whose record would be larger is exported without its diff text.
const MaxRecordSize = 256<<20 - 1<<10

// Record is one commit, as exporters receive it encoded in JSON. The first
// fields have the names and meanings of Buildkite's
// backfill-commit-metadata format, so existing consumers read ours; the
// last three are ours.
type Record struct {
	SchemaVersion  int      `json:"schema_version"`
	CommitSHA      string   `json:"commit_sha"`
	ParentSHAs     []string `json:"parent_shas"`
	AuthorName     string   `json:"author_name"`
	AuthorEmail    string   `json:"author_email"`
	AuthorDate     string   `json:"author_date"` // ISO 8601 strict, as git's %aI
	CommitterName  string   `json:"committer_name"`
	CommitterEmail string   `json:"committer_email"`
	CommitterDate  string   `json:"committer_date"`
	Message        string   `json:"message"`
	FilesChanged   string   `json:"files_changed"`          // changed paths, newline-joined
	DiffStat       string   `json:"diff_stat"`              // "git diff --numstat" text
	GitDiff        string   `json:"git_diff,omitempty"`     // patch; omitted when empty or --skip-diffs
	GitDiffRaw     string   `json:"git_diff_raw,omitempty"` // "git diff --raw" text; likewise
	// DiffOmitted says that GitDiff and GitDiffRaw were dropped because the
	// record would have been larger than MaxRecordSize with them.
	DiffOmitted bool `json:"diff_omitted,omitempty"`

	DiffBase string    `json:"diff_base"` // the commit the diff is against; empty tree id for a root commit
	Files    []File    `json:"files"`
	Trailers []Trailer `json:"trailers"`
}

// File is one changed file of a Record.
type File struct {
	Path      string `json:"path"`
	OldPath   string `json:"old_path,omitempty"` // renames and copies
	Status    string `json:"status"`             // git's letter: A, M, D, R, C, T
	Additions int    `json:"additions"`
	Deletions int    `json:"deletions"`
	Binary    bool   `json:"binary"`
}

// Trailer is one "Key: value" line of a commit message's trailer block.
type Trailer struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}
