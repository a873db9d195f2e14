package archive

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// createFile creates a temporary file beside the archive, named after it
// with a leading dot and kind ("spool", "tmp") then a random suffix. It
// has w.perm less the umask, as the archive it may become will have
// (os.CreateTemp would make it 0600, and setting the mode later would
// need the umask, which a process can read only by changing it).
func (w *Writer) createFile(kind string) (*os.File, error) {
	for range 10 {
		name := filepath.Join(filepath.Dir(w.path), "."+filepath.Base(w.path)+"."+kind+"-"+rand.Text()[:12])
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, w.perm)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		return f, err
	}
	return nil, errors.New("no free temporary name")
}

// seal makes the finished archive f, named tmp, durable, closes it and
// gives it its final name (see place). It returns the archive's size.
func (w *Writer) seal(f *os.File, tmp string) (int64, error) {
	if err := f.Sync(); err != nil {
		return 0, fmt.Errorf("writing %s: %w", tmp, err)
	}
	fi, err := f.Stat()
	if err != nil {
		return 0, err
	}
	if err := f.Close(); err != nil {
		return 0, fmt.Errorf("writing %s: %w", tmp, err)
	}
	if err := w.place(tmp); err != nil {
		return 0, err
	}
	syncDir(filepath.Dir(w.path))
	return fi.Size(), nil
}

// place gives the finished file tmp its final name: w.path, replacing a
// file there, or with w.unique the first free one of w.path, then with a
// "-2", "-3"... suffix. A hard link fails rather than replace a file,
// which makes the choice safe against other processes.
func (w *Writer) place(tmp string) error {
	if !w.unique {
		if err := os.Rename(tmp, w.path); err != nil {
			return fmt.Errorf("renaming the archive into place: %w", err)
		}
		return nil
	}
	path, err := PlaceNew(tmp, strings.TrimSuffix(w.path, Ext), Ext)
	if err != nil {
		return err
	}
	w.path = path
	return nil
}

// PlaceNew gives the finished file tmp the first free name of base+ext,
// then base-2+ext, base-3+ext... (base is a path), and returns it. It
// never replaces a file: a hard link fails rather than replace one, which
// makes the choice safe against other processes; on a file system
// without hard links it renames, after checking that the name is free.
func PlaceNew(tmp, base, ext string) (string, error) {
	for i := 1; i <= 1000; i++ {
		path := base + ext
		if i > 1 {
			path = fmt.Sprintf("%s-%d%s", base, i, ext)
		}
		err := os.Link(tmp, path)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			if _, serr := os.Lstat(path); !errors.Is(serr, fs.ErrNotExist) {
				return "", fmt.Errorf("linking %s into place: %w", filepath.Base(path), err)
			}
			if err := os.Rename(tmp, path); err != nil {
				return "", fmt.Errorf("renaming %s into place: %w", filepath.Base(path), err)
			}
		} else {
			// The file is in place; a temporary name left over costs a
			// directory entry, not disk or data.
			os.Remove(tmp)
		}
		return path, nil
	}
	return "", fmt.Errorf("no free name for %s", base+ext)
}

// syncDir makes a rename in dir durable. It is best effort: the archive is
// complete either way, and some file systems refuse to sync directories.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
