package backfill

import (
	"os"
	"path/filepath"
	"strings"
)

// openPaths returns the files under dir that some process has open, read
// from /proc/<pid>/fd (processes of other users are not readable: they
// cannot write into this repository's packs either). known is false when
// /proc cannot be read.
func openPaths(dir string) (open map[string]bool, known bool) {
	procs, err := os.ReadDir("/proc")
	if err != nil {
		return nil, false
	}
	open = map[string]bool{}
	prefix := dir + string(filepath.Separator)
	for _, p := range procs {
		if p.Name()[0] < '0' || p.Name()[0] > '9' {
			continue
		}
		fdDir := filepath.Join("/proc", p.Name(), "fd")
		fds, err := os.ReadDir(fdDir)
		if err != nil {
			continue
		}
		for _, fd := range fds {
			if target, err := os.Readlink(filepath.Join(fdDir, fd.Name())); err == nil && strings.HasPrefix(target, prefix) {
				open[target] = true
			}
		}
	}
	return open, true
}
