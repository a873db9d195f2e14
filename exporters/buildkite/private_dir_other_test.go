//go:build !unix

package buildkite

// privateDirName names the private directory of kept archives (see
// archive.PrivateDir) under the temporary directory.
func privateDirName() string { return "git-backfill" }
