//go:build !unix

package s3

import (
	"os"
	"path/filepath"
)

// privateDir returns the directory where archives are built and kept by
// default, under the user's temporary directory.
func privateDir() (string, error) {
	dir := filepath.Join(os.TempDir(), "git-backfill")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	return dir + string(filepath.Separator), nil
}
