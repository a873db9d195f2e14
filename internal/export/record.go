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
// output byte for byte otherwise.
func newRecord(info *git.CommitInfo, base git.OID, d *git.Diff, skipDiffs bool) *exporters.Record {
	if base == "" {
		base = emptyTree(info.ID)
	}
	msg := validUTF8(info.Message)
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
		Message:        msg,
		DiffStat:       validUTF8(string(d.Numstat)),
		DiffBase:       string(base),
		Files:          make([]exporters.File, len(d.Files)),
		Trailers:       parseTrailers(msg),
	}
	// files_changed lists names as "git diff --name-only" prints them
	// with core.quotePath=false: quoted only when a name holds a newline,
	// tab, quote, backslash or other control character, so that the list
	// splits at newlines. Files[].Path has the names unquoted.
	var names strings.Builder
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
	r.FilesChanged = validUTF8(names.String())
	if !skipDiffs {
		r.GitDiff = validUTF8(string(d.Patch))
		r.GitDiffRaw = validUTF8(string(d.Raw))
	}
	return r
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
