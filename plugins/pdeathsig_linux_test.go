package plugins_test

import (
	"bufio"
	"os"
	"os/exec"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// prSetChildSubreaper is prctl's PR_SET_CHILD_SUBREAPER.
const prSetChildSubreaper = 36

// TestHostDeath kills a host process outright and checks that its plugin
// dies too. The test process becomes a subreaper for the while, so that
// the orphaned plugin is handed to it and can be reaped and examined here
// rather than by init.
func TestHostDeath(t *testing.T) {
	if _, _, e := syscall.RawSyscall(syscall.SYS_PRCTL, prSetChildSubreaper, 1, 0); e != 0 {
		t.Skipf("prctl(PR_SET_CHILD_SUBREAPER): %v", e)
	}
	defer syscall.RawSyscall(syscall.SYS_PRCTL, prSetChildSubreaper, 0, 0)

	host := exec.Command(os.Args[0])
	host.Env = append(os.Environ(), modeEnv+"=host", "TMPDIR="+t.TempDir()) // for what the host leaves
	out, err := host.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := host.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	pid, perr := strconv.Atoi(line[:max(0, len(line)-1)])
	if err != nil || perr != nil {
		host.Process.Kill()
		host.Wait()
		t.Fatalf("reading the plugin's pid from the host: %q, %v", line, err)
	}
	if err := syscall.Kill(pid, 0); err != nil {
		t.Fatalf("the plugin %d is not running: %v", pid, err)
	}
	host.Process.Kill()
	host.Wait()

	deadline := time.Now().Add(10 * time.Second)
	for {
		var ws syscall.WaitStatus
		got, err := syscall.Wait4(pid, &ws, syscall.WNOHANG, nil)
		if err != nil {
			t.Fatalf("waiting for the plugin %d: %v", pid, err)
		}
		if got == pid {
			if !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
				t.Errorf("the plugin ended with %v, want SIGKILL", ws)
			}
			return
		}
		if time.Now().After(deadline) {
			syscall.Kill(pid, syscall.SIGKILL)
			syscall.Wait4(pid, &ws, 0, nil)
			t.Fatalf("the plugin %d outlived its host by 10 s", pid)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
