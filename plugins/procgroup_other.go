//go:build !unix

package plugins

import "os/exec"

// setProcessGroup does nothing where there are no process groups.
func setProcessGroup(*exec.Cmd) {}

// killGroup does nothing where there are no process groups: go-plugin's
// kill ends the plugin itself.
func killGroup(int) {}
