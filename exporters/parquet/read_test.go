package parquet

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	pq "github.com/parquet-go/parquet-go"

	"github.com/git-backfill/git-backfill/exporters"
	"github.com/git-backfill/git-backfill/exporters/manifest"
)

// dateLayout is git's %aI: ISO 8601 strict, "+00:00" rather than "Z".
const dateLayout = "2006-01-02T15:04:05-07:00"

// formatDate is the inverse of parseDate.
func formatDate(t time.Time, offsetMinutes int32) string {
	return t.In(time.FixedZone("", int(offsetMinutes)*60)).Format(dateLayout)
}

// record turns a row back into the record it was made from, for readers
// of the files (the tests): exporters.Record's JSON encoding gives the
// bytes the exporter received.
func (r *row) record() exporters.Record {
	rec := exporters.Record{
		SchemaVersion: int(r.SchemaVersion), CommitSHA: r.CommitSHA, ParentSHAs: r.ParentSHAs,
		AuthorName: r.AuthorName, AuthorEmail: r.AuthorEmail,
		AuthorDate:    formatDate(r.AuthorDate, r.AuthorTZOffsetMinutes),
		CommitterName: r.CommitterName, CommitterEmail: r.CommitterEmail,
		CommitterDate: formatDate(r.CommitterDate, r.CommitterTZOffsetMinutes),
		Message:       deref(r.Message), FilesChanged: deref(r.FilesChanged), DiffStat: deref(r.DiffStat),
		GitDiff: deref(r.GitDiff), GitDiffRaw: deref(r.GitDiffRaw), DiffOmitted: r.DiffOmitted,
		DiffBase: r.DiffBase, Files: []exporters.File{}, Trailers: []exporters.Trailer{},
	}
	if rec.ParentSHAs == nil {
		rec.ParentSHAs = []string{}
	}
	for _, f := range r.Files {
		rec.Files = append(rec.Files, exporters.File{Path: f.Path, OldPath: deref(f.OldPath), Status: f.Status,
			Additions: int(f.Additions), Deletions: int(f.Deletions), Binary: f.Binary})
	}
	for _, t := range r.Trailers {
		rec.Trailers = append(rec.Trailers, exporters.Trailer(t))
	}
	return rec
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// readDataset returns the records of the repository directory root, as
// JSON: the part files in name order (which is write order within a
// partition), partition by partition. A missing root has none.
func readDataset(t *testing.T, root string) [][]byte {
	t.Helper()
	var recs [][]byte
	for _, path := range partFiles(t, root) {
		for _, r := range readPart(t, path) {
			data, err := json.Marshal(r.record())
			if err != nil {
				t.Fatal(err)
			}
			recs = append(recs, data)
		}
	}
	return recs
}

// partFiles lists the complete part files under root, sorted.
func partFiles(t *testing.T, root string) []string {
	t.Helper()
	var paths []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) && path == root {
			return fs.SkipAll
		}
		if err != nil {
			return err
		}
		if name := d.Name(); d.Type().IsRegular() && strings.HasPrefix(name, "part-") && strings.HasSuffix(name, ext) {
			paths = append(paths, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(paths)
	return paths
}

// readPart reads the rows of one part file.
func readPart(t *testing.T, path string) []row {
	t.Helper()
	rows, err := pq.ReadFile[row](path)
	if err != nil {
		t.Fatalf("reading %s: %v", path, err)
	}
	return rows
}

// openPart opens a part file for its metadata.
func openPart(t *testing.T, path string) *pq.File {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	fi, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	pf, err := pq.OpenFile(f, fi.Size())
	if err != nil {
		t.Fatalf("opening %s: %v", path, err)
	}
	return pf
}

// leftovers lists the files under dir, apart from the complete parts, the
// manifest and its lock under keep (a repository directory).
func leftovers(t *testing.T, dir, keep string) []string {
	t.Helper()
	var left []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		name := d.Name()
		kept := keep != "" && strings.HasPrefix(path, keep+string(filepath.Separator)) &&
			(strings.HasPrefix(name, "part-") && strings.HasSuffix(name, ext) ||
				name == manifest.File || name == manifest.File+".lock")
		if !kept {
			left = append(left, path)
		}
		return nil
	})
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		t.Fatal(err)
	}
	return left
}
