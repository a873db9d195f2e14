package backfill

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"testing"
	"time"
)

func TestSweepStaleLocks(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("which processes run is not checked on Windows: no lock is swept there")
	}
	dir := t.TempDir()
	host, err := os.Hostname()
	if err != nil {
		t.Fatal(err)
	}
	// A process that has exited: its pid is free (reuse within the test
	// is not a concern: the pid space wraps far later).
	gone := exec.Command("true")
	if err := gone.Run(); err != nil {
		t.Fatal(err)
	}
	dead := strconv.Itoa(gone.ProcessState.Pid())
	alive := strconv.Itoa(os.Getpid())
	old := time.Now().Add(-2 * staleTempPack)
	write := func(name, content string, mtime time.Time) {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, mtime, mtime); err != nil {
			t.Fatal(err)
		}
	}
	write("pack-1.keep", "fetch-pack "+dead+" on "+host+"\n", old)        // swept
	write("pack-2.keep", "fetch-pack "+alive+" on "+host+"\n", old)       // its fetch runs
	write("pack-3.keep", "fetch-pack "+dead+" on "+host+"\n", time.Now()) // too recent
	write("pack-4.keep", "fetch-pack "+dead+" on other-host\n", old)      // another machine's
	write("pack-5.keep", "", old)                                         // kept by the user
	write("pack-6.keep", "receive-pack "+dead+" on "+host+"\n", old)      // a push's
	write("pack-8.keep", "fetch-pack "+dead+" on "+host+"\n", old)        // not a promisor pack's
	write("pack-1.pack", "", old)
	for _, n := range []string{"1", "2", "3", "4", "5", "6", "7"} {
		write("pack-"+n+".promisor", "", old)
	}
	if err := os.Symlink(filepath.Join(dir, "pack-1.pack"), filepath.Join(dir, "pack-7.keep")); err != nil {
		t.Fatal(err)
	}

	sweepStaleLocks(dir, time.Now())
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var left []string
	for _, e := range entries {
		left = append(left, e.Name())
	}
	want := []string{"pack-1.pack", "pack-1.promisor", "pack-2.keep", "pack-2.promisor", "pack-3.keep", "pack-3.promisor",
		"pack-4.keep", "pack-4.promisor", "pack-5.keep", "pack-5.promisor", "pack-6.keep", "pack-6.promisor",
		"pack-7.keep", "pack-7.promisor", "pack-8.keep"}
	if !slices.Equal(left, want) {
		t.Errorf("left %v, want %v", left, want)
	}
}
