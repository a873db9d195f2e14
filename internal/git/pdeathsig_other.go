//go:build !linux

package git

import "syscall"

// childProcAttr has no portable equivalent of Linux's Pdeathsig; children
// are stopped through context cancellation instead.
func childProcAttr() *syscall.SysProcAttr { return nil }
