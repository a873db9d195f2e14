package archive

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/git-backfill/git-backfill/exporters"
)

// openSpool opens the one spool file in dir; holding it open keeps its
// inode from being reused, so os.SameFile on it is proof.
func openSpool(t *testing.T, dir string) *os.File {
	t.Helper()
	spools, _ := filepath.Glob(filepath.Join(dir, ".*.spool-*"))
	if len(spools) != 1 {
		t.Fatalf("spool files: %v", spools)
	}
	f, err := os.Open(spools[0])
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// umasked returns perm less the umask, as a new file gets it.
func umasked(t *testing.T, perm fs.FileMode) fs.FileMode {
	t.Helper()
	path := filepath.Join(t.TempDir(), "probe")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, perm)
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode().Perm()
}

// TestCloseInPlace checks that the archive is the spool, renamed or
// linked: Close copies nothing, so the archive never needs twice its size.
func TestCloseInPlace(t *testing.T) {
	recs := testRecords(40, 50000)
	for _, tc := range []struct {
		name   string
		perm   fs.FileMode
		old    bool // an archive of the same name is there
		unique bool // as in a directory output: linked, "-2" if taken
	}{
		{name: "renamed", perm: 0o644},
		{name: "replacing", perm: 0o644, old: true},
		{name: "private", perm: 0o600},
		{name: "linked", perm: 0o644, unique: true},
		{name: "linked-2", perm: 0o644, unique: true, old: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			out := Output{Dir: dir, File: "out.tar.gz"}
			if tc.unique {
				out.File = ""
			}
			path := out.Path(testMeta())
			if tc.old {
				os.WriteFile(path, []byte("old"), 0o644)
			}
			w, err := out.Create(testMeta(), 1, tc.perm)
			if err != nil {
				t.Fatal(err)
			}
			if err := w.Write(recs); err != nil {
				t.Fatal(err)
			}
			spool := openSpool(t, dir)
			si, err := spool.Stat()
			if err != nil {
				t.Fatal(err)
			}
			if si.Mode().Perm() != umasked(t, tc.perm) {
				t.Errorf("spool mode %v, want %v", si.Mode().Perm(), umasked(t, tc.perm))
			}
			size, err := w.Close(exporters.Summary{CommitCount: int64(len(recs))})
			if err != nil {
				t.Fatal(err)
			}
			if tc.unique && tc.old {
				path = filepath.Join(dir, "backfill-git-backfill-20261122T031500Z-2.tar.gz")
			}
			fi, err := os.Stat(path)
			if err != nil || w.Path() != path || fi.Size() != size {
				t.Fatalf("archive %s: %v, size %d; Close said %s, %d bytes", path, err, fi.Size(), w.Path(), size)
			}
			if !os.SameFile(si, fi) {
				t.Error("the archive is not the spool: Close made a copy")
			}
			if fi.Mode().Perm() != umasked(t, tc.perm) {
				t.Errorf("archive mode %v, want %v", fi.Mode().Perm(), umasked(t, tc.perm))
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 1+btoi(tc.old && tc.unique) {
				t.Errorf("files left: %v", entries)
			}
			got, err := ReadRecords(path)
			if err != nil || len(got) != len(recs) || !bytes.Equal(got[len(got)-1], recs[len(recs)-1]) {
				t.Errorf("records: %d, %v", len(got), err)
			}
		})
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestSpoolBeforeClose checks what a crash before Close leaves: the spool
// alone, no archive.
func TestSpoolBeforeClose(t *testing.T) {
	dir := t.TempDir()
	w, err := Create(filepath.Join(dir, "out.tar.gz"), testMeta(), 1, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	if err := w.Write(testRecords(10, 100)); err != nil {
		t.Fatal(err)
	}
	spool := openSpool(t, dir)
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("files: %v", entries)
	}
	spool.Close()
}
