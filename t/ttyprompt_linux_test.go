package t

import (
	"io"
	"os"
	"strings"
	"syscall"

	"github.com/rogpeppe/go-internal/testscript"
)

// ttyprompt <question>=<answer>... -- <cmd> [<arg>...]: runs cmd in a
// session of its own whose controlling terminal is a pseudo-terminal, on
// its stdin and stderr (stdout stays a pipe), as a user at a terminal
// would: git asks such a user on /dev/tty. Whenever the terminal shows
// "<question> for '...': " (git's prompt), the answer is typed. What the
// terminal showed is then available to the stderr command, with the
// terminal's line ends. Exit status 0 expected, or a failure with !.
func cmdTtyprompt(ts *testscript.TestScript, neg bool, args []string) {
	sep := -1
	for i, a := range args {
		if a == "--" {
			sep = i
			break
		}
	}
	if sep < 0 || sep == len(args)-1 {
		ts.Fatalf("usage: ttyprompt <question>=<answer>... -- <cmd> [<arg>...]")
	}
	answers := map[string]string{}
	for _, qa := range args[:sep] {
		q, a, ok := strings.Cut(qa, "=")
		if !ok {
			ts.Fatalf("ttyprompt: %q is not <question>=<answer>", qa)
		}
		answers[q] = a
	}
	answered := 0 // how much of the screen was answered
	runAtTerminal(ts, neg, "ttyprompt", args[sep+1:], func(p *proc, slave *os.File) {
		p.cmd.Stdin, p.cmd.Stderr = slave, slave
		// A new session makes the terminal its controlling one (fd 0);
		// the session is also a process group, so kill still ends every
		// child.
		p.cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	}, func(screen string, master *os.File) {
		rest := screen[answered:]
		for q, a := range answers {
			i := strings.Index(rest, q+" for '")
			if i < 0 || !strings.Contains(rest[i:], "': ") {
				continue
			}
			io.WriteString(master, a+"\n")
			answered += i + strings.Index(rest[i:], "': ") + 3
			return
		}
	})
}
