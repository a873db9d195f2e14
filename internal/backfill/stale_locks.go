package backfill

import (
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"time"
)

// A fetch locks the pack it receives with a .keep file ("fetch-pack <pid>
// on <host>") and removes it once the pack is in place. A fetch killed in
// between leaves the lock for ever: git never removes it, and a kept pack
// is never repacked. git-backfill's own fetches remove their locks (see
// git.FetchOptions.ObjectsDir); this sweeps those left by killed fetches,
// ours or git's, when a run starts.
var fetchLock = regexp.MustCompile(`^fetch-pack ([0-9]+) on (.+)\n$`)

// sweepStaleLocks removes the pack locks in packDir whose fetch is gone: a
// lock written by fetch-pack on this host, whose process no longer runs,
// older than staleTempPack. Anything else, including every lock whose
// process might still run, is left alone.
func sweepStaleLocks(packDir string, now time.Time) {
	names, err := filepath.Glob(filepath.Join(packDir, "pack-*.keep"))
	if err != nil || len(names) == 0 {
		return
	}
	host, err := os.Hostname()
	if err != nil {
		return
	}
	for _, path := range names {
		pid, ok := lockOf(path, host, now)
		if ok && processGone(pid) {
			_ = os.Remove(path)
		}
	}
}

// lockOf returns the process that wrote the pack lock at path, if it is a
// fetch's lock from host that is old enough to be stale. The file is not
// followed if it is a symbolic link, and at most a few hundred bytes of it
// are read.
func lockOf(path, host string, now time.Time) (int, bool) {
	info, err := os.Lstat(path)
	if err != nil || !info.Mode().IsRegular() || now.Sub(info.ModTime()) < staleTempPack {
		return 0, false
	}
	f, err := os.Open(path)
	if err != nil {
		return 0, false
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, 512))
	if err != nil {
		return 0, false
	}
	m := fetchLock.FindSubmatch(data)
	if m == nil || string(m[2]) != host {
		return 0, false
	}
	pid, err := strconv.Atoi(string(m[1]))
	return pid, err == nil && pid > 0
}
