package backfill

import (
	"os"
	"path/filepath"
	"strings"
	"time"
)

// A fetch that fails leaves the pack it was receiving behind in
// objects/pack, as tmp_pack_* and tmp_idx_* files that git never uses and
// only "git gc" removes, weeks later. A full disk once left 13,663 of them,
// which made the next run 17 times slower. Every fetching entry point
// sweeps them (see tidyTempPacks).
var tempPackPrefixes = []string{"tmp_pack_", "tmp_idx_", "tmp_rev_", "tmp_mtimes_"}

// staleTempPack is the age at which a temporary pack that no process has
// open, found at start, is taken to be a killed or failed run's: a fetch
// in progress keeps its file open, and renames it as soon as it closes it.
// Where open files cannot be listed, it must also be this old.
const staleTempPack = time.Minute

// tempPacks lists the temporary pack files in the pack directory dir with
// their modification times.
func tempPacks(dir string) map[string]time.Time {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	found := map[string]time.Time{}
	for _, e := range entries {
		if !e.Type().IsRegular() || !isTempPack(e.Name()) {
			continue
		}
		if info, err := e.Info(); err == nil {
			found[e.Name()] = info.ModTime()
		}
	}
	return found
}

func isTempPack(name string) bool {
	for _, p := range tempPackPrefixes {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// tidyTempPacks removes stale temporary packs and pack locks now (see
// sweepStaleLocks), and returns the function
// to call once the fetches are over: it removes those that appeared since,
// unless a process (another fetch into this repository) still has one
// open.
func tidyTempPacks(objectsDir string) func() {
	dir := filepath.Join(objectsDir, "pack")
	if real, err := filepath.EvalSymlinks(dir); err == nil {
		dir = real // as /proc shows the paths of open files
	}
	now := time.Now()
	before := tempPacks(dir)
	remove := func(names []string, minAge time.Duration, at time.Time) {
		if len(names) == 0 {
			return // the usual case: no need to read every process's files
		}
		open, known := openPaths(dir)
		for _, name := range names {
			path := filepath.Join(dir, name)
			mtime := before[name]
			if open[path] || (!known && at.Sub(mtime) < staleTempPack) || at.Sub(mtime) < minAge {
				continue
			}
			_ = os.Remove(path)
		}
	}
	var stale []string
	for name := range before {
		stale = append(stale, name)
	}
	remove(stale, staleTempPack, now)
	sweepStaleLocks(dir, now)
	return func() {
		var fresh []string
		for name, mtime := range tempPacks(dir) {
			if _, old := before[name]; !old {
				before[name] = mtime
				fresh = append(fresh, name)
			}
		}
		remove(fresh, 0, time.Now())
	}
}
