//go:build unix

package archive

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Kept archives live in a directory only we can enter: made 0700, tightened
// if we made it looser, refused when it is a link or someone else's.
func TestPrivateDir(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	want := filepath.Join(tmp, fmt.Sprintf("git-backfill-%d", os.Getuid()))
	dir, err := PrivateDir()
	if err != nil || dir != want+"/" {
		t.Fatalf("PrivateDir() = %q, %v; want %q", dir, err, want+"/")
	}
	mode := func() os.FileMode {
		fi, err := os.Lstat(want)
		if err != nil {
			t.Fatal(err)
		}
		return fi.Mode().Perm()
	}
	if m := mode(); m != 0o700 {
		t.Fatalf("mode %o, want 700", m)
	}
	if err := os.Chmod(want, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := PrivateDir(); err != nil || mode() != 0o700 {
		t.Fatalf("a loose directory of ours: %v, mode %o", err, mode())
	}
	// Planted by someone else as a link to their directory.
	if err := os.Remove(want); err != nil {
		t.Fatal(err)
	}
	theirs := filepath.Join(tmp, "theirs")
	if err := os.Mkdir(theirs, 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(theirs, want); err != nil {
		t.Fatal(err)
	}
	if _, err := PrivateDir(); err == nil || !strings.Contains(err.Error(), "not a directory of ours") {
		t.Fatalf("a planted link: %v", err)
	}
	if os.Getuid() == 0 {
		// Another user's directory (only root can make one to test with).
		if err := os.Remove(want); err != nil {
			t.Fatal(err)
		}
		if err := os.Mkdir(want, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.Chown(want, 4242, 4242); err != nil {
			t.Fatal(err)
		}
		if _, err := PrivateDir(); err == nil || !strings.Contains(err.Error(), "another user's") {
			t.Fatalf("another user's directory: %v", err)
		}
	}
}
