package pathwalk

import (
	"sync/atomic"
	"testing"
)

// TestDirsCountsDirectoriesRead: Dirs counts each directory whose trees
// are read, once, and not one whose only tree was read under another path
// (z/a is a1, read as a).
func TestDirsCountsDirectoriesRead(t *testing.T) {
	var dirs atomic.Int64
	if _, err := walk(t, fixture(), 2, func(w *Walker) { w.Dirs = &dirs }, "root1", "root2"); err != nil {
		t.Fatal(err)
	}
	if n := dirs.Load(); n != 3 { // a, a/deep, z
		t.Fatalf("%d directories, want 3", n)
	}
}
