//go:build !linux

package plugins

import "os/exec"

// setPdeathsig does nothing where there is no parent-death signal: there a
// plugin outlives a host that is killed outright, while Close and a
// cancelled context still stop it.
func setPdeathsig(*exec.Cmd) {}
