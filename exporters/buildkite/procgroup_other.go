//go:build !unix

package buildkite

import "os/exec"

// inOwnGroup: without process groups, cancelling kills cmd alone.
func inOwnGroup(cmd *exec.Cmd) {}
