//go:build unix

package buildkite

import (
	"os/exec"
	"syscall"
)

// inOwnGroup starts cmd in a process group of its own, which cancelling
// kills whole.
func inOwnGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
}
