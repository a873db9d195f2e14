// Package manifest reads and writes backfill-manifest.json, the list of
// commits a destination already holds, which incremental exports keep
// beside their archives (in the tar exporter's directory, under the s3
// exporter's prefix):
//
//	{
//	  "manifest_version": 1,
//	  "updated_at": "2026-12-02T13:00:00Z",
//	  "archives": [
//	    {"name": "backfill-repo-20261202T130000Z.tar.gz",
//	     "generated_at": "2026-12-02T13:00:00Z",
//	     "commits": ["<commit id>", ...]}
//	  ]
//	}
//
// Every commit appears once, under the first archive that holds it; an
// archive's name is relative to the manifest's directory or prefix.
// Parse is strict: anything else is corrupt, and a corrupt manifest must
// lead to a full export, never to a wrong delta.
package manifest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// File is the manifest's name at a destination.
const File = "backfill-manifest.json"

// Version is the manifest's format version.
const Version = 1

// Manifest is the content of a manifest file.
type Manifest struct {
	ManifestVersion int       `json:"manifest_version"`
	UpdatedAt       string    `json:"updated_at"`
	Archives        []Archive `json:"archives"`
}

// Archive is one archive at the destination and the commits it added.
type Archive struct {
	Name        string   `json:"name"`
	GeneratedAt string   `json:"generated_at"`
	Commits     []string `json:"commits"`
}

// New returns an empty manifest.
func New() *Manifest { return &Manifest{ManifestVersion: Version, Archives: []Archive{}} }

// CorruptError is a manifest that exists but is not a valid one: unlike a
// manifest that could not be read (an I/O or network error), it may be
// replaced, by an export that found it corrupt from the start.
type CorruptError struct{ Err error }

func (e *CorruptError) Error() string { return e.Err.Error() }
func (e *CorruptError) Unwrap() error { return e.Err }

// Parse reads a manifest and checks it: the version, the archives' names,
// and the commit ids (hexadecimal SHA-1 or SHA-256, each listed once).
// Its errors are *CorruptError.
func Parse(data []byte) (*Manifest, error) {
	m, err := parse(data)
	if err != nil {
		return nil, &CorruptError{err}
	}
	return m, nil
}

func parse(data []byte) (*Manifest, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var m Manifest
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("%s: %w", File, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%s: data after the JSON object", File)
	}
	if m.ManifestVersion != Version {
		return nil, fmt.Errorf("%s: manifest_version %d, want %d", File, m.ManifestVersion, Version)
	}
	if m.Archives == nil {
		return nil, fmt.Errorf("%s: no archives list", File)
	}
	seen := map[string]bool{}
	for i, a := range m.Archives {
		if a.Name == "" {
			return nil, fmt.Errorf("%s: archive %d has no name", File, i+1)
		}
		for _, c := range a.Commits {
			if !validID(c) {
				return nil, fmt.Errorf("%s: archive %s: %q is not a commit id", File, a.Name, c)
			}
			if seen[c] {
				return nil, fmt.Errorf("%s: commit %s is listed twice", File, c)
			}
			seen[c] = true
		}
	}
	return &m, nil
}

// validID reports whether s is a full lower-case hexadecimal object id.
func validID(s string) bool {
	if len(s) != 40 && len(s) != 64 {
		return false
	}
	for _, c := range []byte(s) {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// Commits returns every commit the manifest lists.
func (m *Manifest) Commits() []string {
	var all []string
	for _, a := range m.Archives {
		all = append(all, a.Commits...)
	}
	return all
}

// ErrNothingNew is what Add returns for an archive all of whose commits
// the manifest already lists (a concurrent export wrote them first).
var ErrNothingNew = errors.New("every commit of the archive is already in the manifest")

// Lists reports whether the manifest lists the archive name.
func (m *Manifest) Lists(name string) bool {
	for _, a := range m.Archives {
		if a.Name == name {
			return true
		}
	}
	return false
}

// Add lists an archive with those of its commits that the manifest does
// not list yet, so each commit stays listed once. An archive with no new
// commit is not listed, and Add returns ErrNothingNew.
func (m *Manifest) Add(name string, generatedAt time.Time, commits []string) error {
	listed := make(map[string]bool)
	for _, c := range m.Commits() {
		listed[c] = true
	}
	fresh := make([]string, 0, len(commits))
	for _, c := range commits {
		if !listed[c] {
			listed[c] = true
			fresh = append(fresh, c)
		}
	}
	if len(fresh) == 0 {
		return ErrNothingNew
	}
	m.Archives = append(m.Archives, Archive{Name: name, GeneratedAt: formatTime(generatedAt), Commits: fresh})
	return nil
}

// Marshal returns the manifest as written to File, with UpdatedAt now.
func (m *Manifest) Marshal() []byte {
	m.ManifestVersion = Version
	m.UpdatedAt = formatTime(time.Now())
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		panic(err) // strings and slices always marshal
	}
	return append(data, '\n')
}

func formatTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }
