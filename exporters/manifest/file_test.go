package manifest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
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
