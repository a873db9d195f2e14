package git

import "syscall"

// childProcAttr makes the kernel send SIGTERM to a git process when the
// thread that started it dies, so a killed git-backfill leaves no fetch
// running. git cleans its temporary pack files on SIGTERM.
func childProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
}
