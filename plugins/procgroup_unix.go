//go:build unix

package plugins

import (
	"os/exec"
	"syscall"
)

// setProcessGroup starts the plugin in a process group of its own. A
// signal meant for the host's group (Ctrl-C at a terminal; "timeout",
// systemd and CI runners signal the whole group) then reaches the host
// alone, which aborts the plugin so that it can clean up, instead of
// killing the plugin in the middle of its work.
func setProcessGroup(cmd *exec.Cmd) {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Setpgid = true
}

// killGroup kills the plugin's process group: the plugin and any child it
// left holding its output pipes, which would otherwise keep the host
// waiting for the pipes to close.
func killGroup(pid int) {
	if pid > 0 {
		_ = syscall.Kill(-pid, syscall.SIGKILL)
	}
}
