package backfill

import (
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/git-backfill/git-backfill/internal/git"
)

// A fetch locks the pack it receives with a .keep file ("fetch-pack <pid>
// on <host>") and removes it once the pack is in place, or when it fails
// or gets a signal. A fetch killed outright (SIGKILL, the OOM killer, a
// power cut) leaves the lock for ever, and a kept pack is never repacked.
// git-backfill removes its fetches' locks however they end (see
// git.FetchOptions.ObjectsDir), but not if it is itself killed; this
// sweeps what such runs left, when a run starts.
//
// Only promisor packs are swept, the packs of partial-clone fetches: a
// repack keeps their objects whatever happens, so removing a lock too
// early (its process runs in another PID namespace, where we cannot see
// it) costs nothing. A lock on any other pack may guard objects no ref
// reaches yet, and is left alone.
//
// sweepStaleLocks removes the pack locks in packDir whose fetch is gone: a
// lock on a promisor pack, written by fetch-pack on this host, whose
// process no longer runs, older than staleTempPack. Anything else,
// including every lock whose process might still run, is left alone.
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
		if info, err := os.Lstat(strings.TrimSuffix(path, ".keep") + ".promisor"); err != nil || !info.Mode().IsRegular() {
			continue
		}
		pid, ok := lockOf(path, host, now)
		if ok && processGone(pid) {
			_ = os.Remove(path)
		}
	}
}

// lockOf returns the process that wrote the pack lock at path, if it is a
// fetch's lock from host that is old enough to be stale.
func lockOf(path, host string, now time.Time) (int, bool) {
	info, err := os.Lstat(path)
	if err != nil || now.Sub(info.ModTime()) < staleTempPack {
		return 0, false
	}
	lock, ok := git.ReadFetchLock(path)
	return lock.PID, ok && lock.Host == host
}
