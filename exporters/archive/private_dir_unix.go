//go:build unix

package archive

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// PrivateDir returns the directory where exporters that upload (s3,
// buildkite) build archives and keep those whose upload failed, by
// default: $TMPDIR/git-backfill-<uid>, made with mode 0700. The temporary
// directory is shared, so one found there must be a real directory (not a
// symbolic link) owned by us; another user could otherwise read, or swap,
// a kept archive.
func PrivateDir() (string, error) {
	uid := os.Getuid()
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("git-backfill-%d", uid))
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return "", err
	}
	fi, err := os.Lstat(dir)
	if err != nil {
		return "", err
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !fi.IsDir() || !ok || int(st.Uid) != uid {
		return "", fmt.Errorf("%s is not a directory of ours (a symbolic link, or another user's): "+
			"remove it, or give the exporter an output directory", dir)
	}
	if fi.Mode().Perm() != 0o700 {
		if err := os.Chmod(dir, 0o700); err != nil {
			return "", err
		}
	}
	return dir + string(filepath.Separator), nil
}
