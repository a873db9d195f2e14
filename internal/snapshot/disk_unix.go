//go:build unix

package snapshot

import (
	"io/fs"
	"path/filepath"
	"syscall"
)

// diskUse walks dir and returns the bytes its files and directories take
// on disk that no other path shares (extra), and the size of the files
// that are hard links shared with another path (shared).
func diskUse(dir string) (extra, shared int64) {
	_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return nil
		}
		st, ok := info.Sys().(*syscall.Stat_t)
		switch {
		case !ok:
			extra += info.Size()
		case info.Mode().IsRegular() && st.Nlink > 1:
			shared += info.Size()
		default:
			extra += st.Blocks * 512
		}
		return nil
	})
	return extra, shared
}
