//go:build unix

package buildkite

import (
	"os"
	"strconv"
)

// privateDirName names the private directory of kept archives (see
// archive.PrivateDir) under TMPDIR.
func privateDirName() string { return "git-backfill-" + strconv.Itoa(os.Getuid()) }
