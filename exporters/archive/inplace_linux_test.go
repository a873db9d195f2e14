package archive

import (
	"bytes"
	"encoding/binary"
	"errors"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/git-backfill/git-backfill/exporters"
)

// TestCloseCreatesNoFile watches the directory with inotify while Close
// runs: a file created then is a second copy of the archive, whatever
// became of it by the end.
func TestCloseCreatesNoFile(t *testing.T) {
	for _, tc := range []struct {
		name   string
		meta   exporters.Metadata
		unique bool
		want   []string // patterns of the names Close creates
	}{
		{name: "renamed", meta: testMeta()},
		{name: "linked", meta: testMeta(), unique: true, want: []string{"backfill-*.tar.gz"}},
		{name: "copy", meta: bigMeta(2500), want: []string{".out.tar.gz.tmp-*"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			out := Output{Dir: dir, File: "out.tar.gz"}
			if tc.unique {
				out.File = ""
			}
			w, err := out.Create(tc.meta, 1, 0o644)
			if err != nil {
				t.Fatal(err)
			}
			if err := w.Write(testRecords(40, 50000)); err != nil {
				t.Fatal(err)
			}
			fd, err := syscall.InotifyInit1(syscall.IN_NONBLOCK | syscall.IN_CLOEXEC)
			if err != nil {
				t.Skipf("inotify: %v", err)
			}
			defer syscall.Close(fd)
			if _, err := syscall.InotifyAddWatch(fd, dir, syscall.IN_CREATE); err != nil {
				t.Skipf("inotify: %v", err)
			}
			if _, err := w.Close(exporters.Summary{CommitCount: 40}); err != nil {
				t.Fatal(err)
			}
			created := inotifyNames(t, fd)
			if len(created) != len(tc.want) {
				t.Fatalf("Close created %q, want %q", created, tc.want)
			}
			for i, p := range tc.want {
				if ok, _ := filepath.Match(p, created[i]); !ok {
					t.Errorf("Close created %q, want %q", created, tc.want)
				}
			}
		})
	}
}

// inotifyNames returns the names of the events queued on fd.
func inotifyNames(t *testing.T, fd int) []string {
	t.Helper()
	buf := make([]byte, 64<<10)
	n, err := syscall.Read(fd, buf)
	if errors.Is(err, syscall.EAGAIN) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for off := 0; off+syscall.SizeofInotifyEvent <= n; {
		mask := binary.NativeEndian.Uint32(buf[off+4:])
		size := int(binary.NativeEndian.Uint32(buf[off+12:]))
		if mask&syscall.IN_Q_OVERFLOW != 0 {
			t.Fatal("inotify queue overflow")
		}
		name := buf[off+syscall.SizeofInotifyEvent : off+syscall.SizeofInotifyEvent+size]
		names = append(names, string(bytes.TrimRight(name, "\x00")))
		off += syscall.SizeofInotifyEvent + size
	}
	return names
}
