// Package safefile reads files that someone else may have planted: a
// tracked settings file, a manifest in a shared destination. It imports
// only the standard library, so exporters can use it.
package safefile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
)

// Errors of ReadRegular, beside those of the file system (fs.ErrNotExist
// when there is no file).
var (
	ErrSymlink    = errors.New("it is a symbolic link")
	ErrNotRegular = errors.New("it is not a regular file")
	ErrTooLarge   = errors.New("it is too large")
)

// ReadRegular reads the regular file at path, at most limit bytes. It
// never follows a symbolic link at path (as git reads .gitattributes from
// a work tree), does not block on a FIFO, and refuses anything larger
// than limit, also a file that grows while it is read.
func ReadRegular(path string, limit int64) ([]byte, error) {
	f, err := openNoFollow(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, ErrNotRegular
	}
	if fi.Size() > limit {
		return nil, fmt.Errorf("%w: over %d KiB", ErrTooLarge, limit>>10)
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%w: over %d KiB", ErrTooLarge, limit>>10)
	}
	return data, nil
}

// IsNotExist reports whether err says there is no file.
func IsNotExist(err error) bool { return errors.Is(err, fs.ErrNotExist) }
