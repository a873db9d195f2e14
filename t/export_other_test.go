//go:build !linux

package t

import "github.com/rogpeppe/go-internal/testscript"

// The plugin-crash scenario's commands need Linux (export_linux_test.go).

func cmdFifo(ts *testscript.TestScript, neg bool, args []string) {
	ts.Fatalf("fifo: only on Linux")
}

func cmdKillexporter(ts *testscript.TestScript, neg bool, args []string) {
	ts.Fatalf("killexporter: only on Linux (/proc)")
}
