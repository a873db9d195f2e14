package t

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unsafe"

	"github.com/rogpeppe/go-internal/testscript"
)

// Commands of the plugin-crash scenario that need Linux: a FIFO as a
// program's standard output that nobody reads stalls the stdout exporter
// (the pipe fills), which holds the export between Begin and End for as
// long as the script wants, and /proc finds the plugin processes.

// fifo full <path> <timeout> | fifo drain <path>
//
// full waits until the FIFO at path holds at least 60 KiB of unread data,
// unchanged for 200 ms: its writer is blocked (a pipe holds 64 KiB).
// drain reads and discards everything written to the FIFO from now until
// the end of the script, so its writers go on. Both open the FIFO for
// reading and writing, which never blocks and never makes a writer see
// the end of its readers.
func cmdFifo(ts *testscript.TestScript, neg bool, args []string) {
	noNeg(ts, neg, "fifo")
	switch {
	case len(args) == 3 && args[0] == "full":
		timeout, err := time.ParseDuration(args[2])
		if err != nil {
			ts.Fatalf("fifo full: bad timeout %q", args[2])
		}
		f, err := os.OpenFile(ts.MkAbs(args[1]), os.O_RDWR, 0)
		if err != nil {
			ts.Fatalf("fifo full: %v", err)
		}
		defer f.Close()
		deadline := time.Now().Add(timeout)
		last, since := -1, time.Now()
		for {
			n := unread(ts, f)
			if n != last {
				last, since = n, time.Now()
			}
			if n >= 60<<10 && time.Since(since) >= 200*time.Millisecond {
				return
			}
			if time.Now().After(deadline) {
				ts.Fatalf("fifo full: %s holds %d unread bytes after %v, want a full pipe", args[1], n, timeout)
			}
			time.Sleep(20 * time.Millisecond)
		}
	case len(args) == 2 && args[0] == "drain":
		f, err := os.OpenFile(ts.MkAbs(args[1]), os.O_RDWR, 0)
		if err != nil {
			ts.Fatalf("fifo drain: %v", err)
		}
		done := make(chan struct{})
		go func() {
			defer close(done)
			buf := make([]byte, 64<<10)
			for {
				if _, err := f.Read(buf); err != nil {
					return // closed at the end of the script
				}
			}
		}()
		ts.Defer(func() {
			f.Close() // a FIFO is pollable: Close ends the Read
			<-done
		})
	default:
		ts.Fatalf("usage: fifo full <path> <timeout> | fifo drain <path>")
	}
}

// unread is the number of bytes waiting in the pipe f (FIONREAD).
func unread(ts *testscript.TestScript, f *os.File) int {
	var n int32
	raw, err := f.SyscallConn()
	if err != nil {
		ts.Fatalf("%v", err)
	}
	var errno syscall.Errno
	raw.Control(func(fd uintptr) {
		_, _, errno = syscall.Syscall(syscall.SYS_IOCTL, fd, syscall.TIOCINQ, uintptr(unsafe.Pointer(&n)))
	})
	if errno != 0 {
		ts.Fatalf("FIONREAD: %v", errno)
	}
	return int(n)
}

// killexporter <name> <type>: sends SIGKILL to the exporter plugin of
// type typ (the git-backfill process run as "git-backfill __exporter
// <type>") among the descendants of the program spawned as name; exactly
// one must be running.
func cmdKillexporter(ts *testscript.TestScript, neg bool, args []string) {
	noNeg(ts, neg, "killexporter")
	if len(args) != 2 {
		ts.Fatalf("usage: killexporter <name> <type>")
	}
	root := spawned(ts, args[0]).cmd.Process.Pid
	var found []int
	for _, pid := range descendants(ts, root) {
		data, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "cmdline"))
		if err != nil {
			continue // gone
		}
		argv := strings.Split(strings.TrimSuffix(string(data), "\x00"), "\x00")
		if i := slices.Index(argv, "__exporter"); i >= 0 && i+1 < len(argv) && argv[i+1] == args[1] {
			found = append(found, pid)
		}
	}
	if len(found) != 1 {
		ts.Fatalf("killexporter: %d exporter plugins of type %s below %s (pid %d): %v", len(found), args[1], args[0], root, found)
	}
	if err := syscall.Kill(found[0], syscall.SIGKILL); err != nil {
		ts.Fatalf("killexporter: %v", err)
	}
	ts.Logf("killexporter: killed %s plugin, pid %d", args[1], found[0])
}

// descendants lists the processes below pid, from /proc/<pid>/stat.
func descendants(ts *testscript.TestScript, pid int) []int {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		ts.Fatalf("%v", err)
	}
	children := map[int][]int{}
	for _, e := range entries {
		p, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// "pid (comm) state ppid ...": comm may hold spaces and parentheses.
		i := strings.LastIndexByte(string(stat), ')')
		fields := strings.Fields(string(stat[i+1:]))
		if len(fields) < 2 {
			continue
		}
		ppid, _ := strconv.Atoi(fields[1])
		children[ppid] = append(children[ppid], p)
	}
	var out []int
	queue := []int{pid}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		for _, c := range children[p] {
			out = append(out, c)
			queue = append(queue, c)
		}
	}
	return out
}
