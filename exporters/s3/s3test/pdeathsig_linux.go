package s3test

import (
	"os/exec"
	"syscall"
)

// dieWithTest makes cmd die with the test process, even if it is killed.
func dieWithTest(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
