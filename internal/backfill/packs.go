package backfill

import (
	"os"
	"path/filepath"
	"strings"
)

// listPacks returns the pack files in the object store and their sizes.
func listPacks(objectsDir string) (map[string]int64, error) {
	entries, err := os.ReadDir(filepath.Join(objectsDir, "pack"))
	if err != nil {
		if os.IsNotExist(err) {
			return map[string]int64{}, nil
		}
		return nil, err
	}
	packs := map[string]int64{}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".pack") {
			continue
		}
		if info, err := e.Info(); err == nil {
			packs[e.Name()] = info.Size()
		}
	}
	return packs, nil
}

// newPackBytes is the size of packs that were not there before: what the
// fetches downloaded, as stored.
func newPackBytes(objectsDir string, before map[string]int64) int64 {
	after, err := listPacks(objectsDir)
	if err != nil {
		return 0
	}
	var n int64
	for name, size := range after {
		if _, ok := before[name]; !ok {
			n += size
		}
	}
	return n
}
