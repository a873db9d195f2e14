package export

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/git-backfill/git-backfill/exporters"
	"github.com/git-backfill/git-backfill/internal/git"
)

// Empty tree ids: the diff base of a root commit.
const (
	EmptyTreeSHA1   = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
	EmptyTreeSHA256 = "6ef19b41225c5369f1c104d45d8d85efa9b057b53b14b4b9b939dd74decc5321"
)

// emptyTree returns the empty tree id of the object format commit is in.
func emptyTree(commit git.OID) git.OID {
	if len(commit) == len(EmptyTreeSHA256) {
		return EmptyTreeSHA256
	}
	return EmptyTreeSHA1
}

// newRecord assembles the record of one commit from what rev-list said
// about it and its diff against base ("" for the empty tree). Every string
// is made valid UTF-8 (see validUTF8); the text fields keep git's own
// output byte for byte otherwise, but for the trimming of the fields
// Buildkite named (see buildkiteMessage and buildkiteText).
func newRecord(info *git.CommitInfo, base git.OID, d *git.Diff, skipDiffs bool) *exporters.Record {
	if base == "" {
		base = emptyTree(info.ID)
	}
	r := &exporters.Record{
		SchemaVersion:  exporters.SchemaVersion,
		CommitSHA:      string(info.ID),
		ParentSHAs:     git.Strings(info.Parents),
		AuthorName:     validUTF8(info.AuthorName),
		AuthorEmail:    validUTF8(info.AuthorEmail),
		AuthorDate:     info.AuthorDate,
		CommitterName:  validUTF8(info.CommitterName),
		CommitterEmail: validUTF8(info.CommitterEmail),
		CommitterDate:  info.CommitterDate,
		Message:        buildkiteMessage(info.Message),
		DiffStat:       buildkiteText(d.Numstat),
		DiffBase:       string(base),
		Files:          make([]exporters.File, len(d.Files)),
		// git reads trailers from the whole message, trailing blank
		// lines and all; the trimmed Message is Buildkite's, not git's.
		Trailers: parseTrailers(validUTF8(info.Message)),
	}
	// files_changed lists names as "git diff --name-only" prints them
	// with core.quotePath=false: quoted only when a name holds a newline,
	// tab, quote, backslash or other control character, so that the list
	// splits at newlines. Files[].Path has the names unquoted.
	var names bytes.Buffer
	for i, f := range d.Files {
		if i > 0 {
			names.WriteByte('\n')
		}
		names.WriteString(f.QuotedPath)
		r.Files[i] = exporters.File{
			Path:      validUTF8(f.Path),
			OldPath:   validUTF8(f.OldPath),
			Status:    string(f.Status),
			Additions: f.Added,
			Deletions: f.Deleted,
			Binary:    f.Binary,
		}
	}
	// A quoted name never ends in a newline, so the trimming changes
	// nothing here; it keeps the four fields under one rule all the same.
	r.FilesChanged = buildkiteText(names.Bytes())
	if !skipDiffs {
		// A patch or raw diff that trims to nothing is empty, and
		// omitted like one.
		r.GitDiff = buildkiteText(d.Patch)
		r.GitDiffRaw = buildkiteText(d.Raw)
	}
	return r
}

// buildkiteText is a git command's output as Buildkite's bktec writes it
// into files_changed, diff_stat, git_diff and git_diff_raw: without its
// trailing newlines, so that the archives of every exporter read the same
// to Buildkite's consumers. Nothing else changes: a last context line of
// spaces keeps them, and full object ids stay.
func buildkiteText(out []byte) string {
	return validUTF8(string(bytes.TrimRight(out, "\n")))
}

// buildkiteMessage is a commit message as bktec writes it: without
// leading and trailing white space, as strings.TrimSpace has it. It trims
// git's bytes, before validUTF8, as bktec trims git's output: a stray
// Latin-1 byte such as 0xA0 is no white space there, so it stays (as
// U+00A0) instead of disappearing.
func buildkiteMessage(msg string) string {
	return validUTF8(strings.TrimSpace(msg))
}

// encodeRecord returns r as one line of JSON without the newline. HTML
// characters stay as they are: patches are full of '<', '>' and '&'.
func encodeRecord(r *exporters.Record) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r); err != nil {
		return nil, fmt.Errorf("encoding the record of %s: %w", r.CommitSHA, err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}
