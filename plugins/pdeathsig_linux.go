package plugins

import (
	"os/exec"
	"syscall"
)

// setPdeathsig has the kernel kill the plugin when the host dies, however
// it dies. Strictly, the signal follows the death of the thread that
// started the plugin; Go only ends threads whose goroutine exits while
// locked to them, which nothing starting plugins does. Go's fork also
// kills the child at once if the host died before the setting took.
func setPdeathsig(cmd *exec.Cmd) {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Pdeathsig = syscall.SIGKILL
}
