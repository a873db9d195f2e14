package export

import (
	"encoding/json"
	"testing"

	"github.com/git-backfill/git-backfill/exporters"
)

// A record too large for any exporter goes out without its diff text,
// flagged; the others are untouched.
func TestOversizedRecordLosesItsDiff(t *testing.T) {
	f, _ := richFixture(t)
	commits := f.allCommits("--all")
	_, full := export(t, f.runner(), commits, Options{})
	biggest, size := -1, 0
	for i, js := range full {
		if len(js) > size {
			biggest, size = i, len(js)
		}
	}
	defer func(old int) { maxRecordSize = old }(maxRecordSize)
	maxRecordSize = size - 1
	recs, jsons := export(t, f.runner(), commits, Options{})
	for i, r := range recs {
		var back exporters.Record
		if err := json.Unmarshal(jsons[i], &back); err != nil {
			t.Fatal(err)
		}
		switch {
		case i == biggest && (!back.DiffOmitted || back.GitDiff != "" || back.GitDiffRaw != "" || len(jsons[i]) > maxRecordSize):
			t.Errorf("the oversized record %s: diff_omitted %v, %d bytes of patch, %d bytes in all",
				r.CommitSHA, back.DiffOmitted, len(back.GitDiff), len(jsons[i]))
		case i == biggest && (back.FilesChanged == "" || len(back.Files) == 0):
			t.Errorf("the oversized record lost its file list: %+v", back)
		case i != biggest && (back.DiffOmitted || string(jsons[i]) != string(full[i])):
			t.Errorf("record %s changed although it fits", r.CommitSHA)
		}
	}
}
