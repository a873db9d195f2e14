package t

import (
	"bytes"
	"io"
	"strings"
	"sync"
	"syscall"
	"time"

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
	master, slave, err := openPty()
	if err != nil {
		ts.Fatalf("ttyprompt: opening a pseudo-terminal: %v", err)
	}
	defer master.Close()
	p := newProc(ts, args[sep+1], args[sep+2:])
	p.cmd.Stdin, p.cmd.Stderr = slave, slave
	// A new session makes the terminal its controlling one (fd 0); the
	// session is also a process group, so kill still ends every child.
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	p.start(ts)
	slave.Close()
	var mu sync.Mutex
	var screen bytes.Buffer
	read := make(chan struct{})
	go func() {
		defer close(read)
		buf := make([]byte, 4096)
		answered := 0 // screen offset up to which prompts were answered
		for {
			n, err := master.Read(buf)
			mu.Lock()
			screen.Write(buf[:n])
			rest := screen.String()[answered:]
			mu.Unlock()
			for q, a := range answers {
				i := strings.Index(rest, q+" for '")
				if i < 0 || !strings.Contains(rest[i:], "': ") {
					continue
				}
				io.WriteString(master, a+"\n")
				answered += i + strings.Index(rest[i:], "': ") + 3
				break
			}
			if err != nil {
				return
			}
		}
	}()
	p.waitOrKill(ts, waitTimeout)
	select {
	case <-read:
	case <-time.After(5 * time.Second):
		master.Close()
		<-read
	}
	mu.Lock()
	p.stderr.Write(screen.Bytes())
	mu.Unlock()
	p.publish(ts)
	got := p.status(ts)
	ts.Logf("[%s: exit status %d after %v]", p.describe(), got, p.elapsed.Round(time.Millisecond))
	if (got == 0) == neg {
		ts.Fatalf("%s exited with status %d", p.describe(), got)
	}
}
