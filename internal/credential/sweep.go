package credential

import (
	"net"
	"os"
	"path/filepath"
	"time"
)

// dirPattern names the private directory of a Relay's socket.
const dirPattern = "git-backfill-credential-*"

// sweepStale removes the socket directories of runs that were killed (a
// Close that never ran): a directory is stale when its socket no longer
// accepts a connection. Only our own directories are touched; a failure
// to remove one is left for the next run.
func sweepStale(tmpDir string) {
	dirs, _ := filepath.Glob(filepath.Join(tmpDir, dirPattern))
	for _, dir := range dirs {
		fi, err := os.Lstat(dir)
		if err != nil || !fi.IsDir() || !ownedByUs(fi) {
			continue
		}
		socket := filepath.Join(dir, "s")
		c, err := net.DialTimeout("unix", socket, 200*time.Millisecond)
		if err == nil {
			c.Close() // a live run's
			continue
		}
		// A directory so new that its socket may not listen yet is left alone.
		if time.Since(fi.ModTime()) < time.Minute {
			if _, err := os.Lstat(socket); err != nil {
				continue
			}
		}
		os.RemoveAll(dir)
	}
}
