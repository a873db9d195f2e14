//go:build !linux

package t

import "github.com/rogpeppe/go-internal/testscript"

// cmdTtyerr needs Linux's pseudo-terminals (tty_linux_test.go).
func cmdTtyerr(ts *testscript.TestScript, neg bool, args []string) {
	ts.Fatalf("ttyerr: pseudo-terminals are only set up on Linux")
}

// cmdTtyprompt needs Linux's pseudo-terminals (ttyprompt_linux_test.go).
func cmdTtyprompt(ts *testscript.TestScript, neg bool, args []string) {
	ts.Fatalf("ttyprompt: pseudo-terminals are only set up on Linux")
}
