package manifest

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/git-backfill/git-backfill/exporters/safefile"
)

// A manifest planted as a symbolic link, or that is not a regular file, is
// refused rather than read.
func TestReadFileRefusesLinksAndSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	secret := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(secret, []byte(`{"commits":["hunter2"]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(secret, filepath.Join(dir, File)); err != nil {
		t.Fatal(err)
	}
	if m, err := ReadFile(dir); err == nil || !strings.Contains(err.Error(), "symbolic link") {
		t.Fatalf("through a link: %v, %v", m, err)
	}
	other := t.TempDir()
	if err := os.Mkdir(filepath.Join(other, File), 0o755); err != nil {
		t.Fatal(err)
	}
	if m, err := ReadFile(other); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Fatalf("a directory: %v, %v", m, err)
	}
}

// A manifest over the size limit is refused without being read, and is
// not taken for a corrupt one (which would be set aside).
func TestReadFileRefusesOversized(t *testing.T) {
	dir := t.TempDir()
	f, err := os.Create(filepath.Join(dir, File))
	if err != nil {
		t.Fatal(err)
	}
	// Sparse: the test writes nothing like 256 MiB.
	if err := f.Truncate(MaxFileSize + 1); err != nil {
		t.Fatal(err)
	}
	f.Close()
	m, err := ReadFile(dir)
	var corrupt *CorruptError
	if err == nil || errors.As(err, &corrupt) || !errors.Is(err, safefile.ErrTooLarge) {
		t.Fatalf("got %v, %v; want a too-large error that is not corruption", m, err)
	}
}

// FuzzReadFile: whatever the file holds, under a small limit, ReadFile
// refuses it as too large exactly when it is over the limit, and otherwise
// reads what Parse reads.
func FuzzReadFile(f *testing.F) {
	m := New()
	m.Add("a.tar.gz", time.Now(), []string{c1, c3})
	f.Add(m.Marshal())
	f.Add([]byte(`{"manifest_version":1,"archives":[]}`))
	f.Add(bytes.Repeat([]byte(" "), 300))
	const limit = 256
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, File), data, 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := readFile(dir, limit)
		if len(data) > limit {
			if !errors.Is(err, safefile.ErrTooLarge) {
				t.Fatalf("%d bytes over a limit of %d: %v", len(data), limit, err)
			}
			return
		}
		want, werr := Parse(data)
		if (err == nil) != (werr == nil) {
			t.Fatalf("ReadFile: %v; Parse: %v", err, werr)
		}
		if err == nil && !slices.Equal(got.Commits(), want.Commits()) {
			t.Fatal("ReadFile and Parse disagree on the commits")
		}
	})
}
