package pathwalk

import "testing"

// The roots read so far are merged while the revision walk still lists
// commits, and their subdirectories are read then too: before the last
// root arrives, git has been asked for trees below the roots.
func TestWalkRootsReadsSubdirectoriesWhileRootsArrive(t *testing.T) {
	f, roots := randomHistory(11, 3*chunkTrees)
	isRoot := map[string]bool{}
	for _, r := range roots {
		isRoot[r] = true
	}
	subdirRead := func() bool {
		f.mu.Lock()
		defer f.mu.Unlock()
		for _, name := range f.reads {
			if !isRoot[name] {
				return true
			}
		}
		return false
	}
	early := false
	walkStreamed(t, f, roots, 1, func(r *Reader, i int) {
		switch i {
		case chunkTrees + 1:
			// The first chunk of roots has been sent: let it be read, so
			// that the walk merges it while the next roots arrive.
			if !waitFor(func() bool { return r.TreesRead() >= chunkTrees }) {
				t.Error("the first chunk of roots was not read within 10s")
			}
		case len(roots) - 1:
			early = waitFor(subdirRead)
		}
	})
	if !early {
		t.Error("no subdirectory was read before the last root arrived")
	}
}
