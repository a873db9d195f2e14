package t

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"sync"
	"syscall"
	"time"
	"unsafe"

	"github.com/rogpeppe/go-internal/testscript"
)

// ttyerr <cmd> [<arg>...]: runs cmd like exec (exit status 0 expected, or
// a failure with !) but with its standard error on a terminal: a
// pseudo-terminal whose output the test reads. What the terminal showed
// is then available to the stderr command, with the terminal's line ends
// ("\r\n" for "\n"); standard output stays a pipe, for the stdout command.
// testscript's ttyin/ttyout give a terminal on stdin and stdout only.
func cmdTtyerr(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) == 0 {
		ts.Fatalf("usage: ttyerr <cmd> [<arg>...]")
	}
	runAtTerminal(ts, neg, "ttyerr", args, func(p *proc, slave *os.File) {
		p.cmd.Stderr = slave
	}, nil)
}

// runAtTerminal runs args like exec with a pseudo-terminal that setup
// connects to the process. Each time the terminal shows more, onScreen
// (if not nil) sees all it has shown so far and may type on master. What
// the terminal showed is then handed to testscript as the program's
// stderr.
func runAtTerminal(ts *testscript.TestScript, neg bool, name string, args []string,
	setup func(p *proc, slave *os.File), onScreen func(screen string, master *os.File)) {
	master, slave, err := openPty()
	if err != nil {
		ts.Fatalf("%s: opening a pseudo-terminal: %v", name, err)
	}
	defer master.Close()
	p := newProc(ts, args[0], args[1:])
	setup(p, slave)
	p.start(ts)
	// Only the program holds the terminal now: once it (and any child
	// that inherited it) has exited, reading the master fails with EIO.
	slave.Close()
	var mu sync.Mutex
	var screen bytes.Buffer
	read := make(chan struct{})
	go func() {
		defer close(read)
		buf := make([]byte, 4096)
		for {
			n, err := master.Read(buf)
			mu.Lock()
			screen.Write(buf[:n])
			shown := screen.String()
			mu.Unlock()
			if onScreen != nil && n > 0 {
				onScreen(shown, master)
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
		master.Close() // a child still holds the terminal; keep what we have
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

// openPty opens a new pseudo-terminal pair (see pty(7)): the master from
// /dev/ptmx, unlocked, and the slave it names.
func openPty() (master, slave *os.File, err error) {
	master, err = os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		return nil, nil, err
	}
	var n uint32
	var ioctlErr error
	// SyscallConn, not Fd: Fd would put the master in blocking mode, and
	// Close could then not interrupt a pending Read.
	conn, err := master.SyscallConn()
	if err == nil {
		err = conn.Control(func(fd uintptr) {
			var unlock int32
			if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, fd, syscall.TIOCSPTLCK, uintptr(unsafe.Pointer(&unlock))); e != 0 {
				ioctlErr = fmt.Errorf("unlocking: %w", e)
				return
			}
			if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, fd, syscall.TIOCGPTN, uintptr(unsafe.Pointer(&n))); e != 0 {
				ioctlErr = fmt.Errorf("getting its number: %w", e)
			}
		})
	}
	if err == nil {
		err = ioctlErr
	}
	if err == nil {
		slave, err = os.OpenFile("/dev/pts/"+strconv.FormatUint(uint64(n), 10), os.O_RDWR|syscall.O_NOCTTY, 0)
	}
	if err != nil {
		master.Close()
		return nil, nil, err
	}
	return master, slave, nil
}
