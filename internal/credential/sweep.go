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
		// A directory this new may belong to a run between creating its
		// socket and listening on it: it is left alone.
		if time.Since(fi.ModTime()) < time.Minute {
			continue
		}
		c, err := net.DialTimeout("unix", filepath.Join(dir, "s"), 200*time.Millisecond)
		if err == nil {
			c.Close() // a live run's
			continue
		}
		os.RemoveAll(dir)
	}
}
