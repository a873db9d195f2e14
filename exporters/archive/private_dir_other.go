//go:build !unix

package archive

import (
	"os"
	"path/filepath"
)

// PrivateDir returns the directory where exporters that upload (s3,
// buildkite) build archives and keep those whose upload failed, by
// default, under the user's temporary directory.
func PrivateDir() (string, error) {
	dir := filepath.Join(os.TempDir(), "git-backfill")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	return dir + string(filepath.Separator), nil
}
