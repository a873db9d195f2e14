package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
)

// sample is one measured run of one process.
type sample struct {
	wall time.Duration
	// packBytes is the size of the .pack files the run added to the
	// repository: what went over the wire, as stored.
	packBytes int64
	// rssSelf is the peak resident set of the process alone, in KiB: its
	// VmHWM in /proc/<pid>/status, read every hwmInterval while it runs,
	// so a run of a few milliseconds may show less than its true peak.
	// The rusage of a waited-for process cannot give it: on Linux, wait4
	// and waitid report the maximum over the process and every descendant
	// it waited for (RUSAGE_BOTH), not the process alone.
	rssSelf int64
	// rssTree is the rusage Maxrss of the process: the largest of it and
	// every descendant it waited for (its git processes and, over file://,
	// the server's upload-pack and pack-objects too), in KiB.
	rssTree int64
	stats   stats // git-backfill's --stats=json; zero for other commands
}

// stats are the fields of git-backfill's --stats=json summary we report.
type stats struct {
	Commits  int   `json:"commits"`
	Paths    int   `json:"paths"`
	Missing  int   `json:"missing_before"`
	Blobs    int   `json:"blobs"`
	Batches  int   `json:"batches"`
	Requests int   `json:"requests"`
	Bytes    int64 `json:"bytes"`
}

// hwmInterval is how often a running process's VmHWM is read: often enough
// to see the peak of a run that lasts a few tens of milliseconds, rarely
// enough to cost the measured process little (a read takes ~30 µs).
const hwmInterval = 2 * time.Millisecond

// timed runs cmd (not yet started) to completion and measures it; repo, if
// not empty, is the repository whose new packs are counted. It also
// returns the process's standard error.
func timed(cmd *exec.Cmd, repo string) (sample, []byte, error) {
	var stderr limitedBuffer
	cmd.Stderr = &stderr
	var before map[string]int64
	if repo != "" {
		before = packs(repo)
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return sample{}, nil, err
	}
	var hwm atomic.Int64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		tick := time.NewTicker(hwmInterval)
		defer tick.Stop()
		for {
			if kib := readHWM(cmd.Process.Pid); kib > hwm.Load() {
				hwm.Store(kib)
			}
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	}()
	err := cmd.Wait()
	s := sample{wall: time.Since(start)}
	close(stop)
	<-sampled
	if err != nil {
		return s, stderr.Bytes(), commandError(cmd, err, stderr.Bytes())
	}
	s.rssSelf = hwm.Load()
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		s.rssTree = ru.Maxrss // KiB on Linux
	}
	if repo != "" {
		after := packs(repo)
		for name, size := range after {
			if _, ok := before[name]; !ok {
				s.packBytes += size
			}
		}
	}
	return s, stderr.Bytes(), nil
}

// readHWM returns the VmHWM of process pid in KiB, 0 once it has exited.
func readHWM(pid int) int64 {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kib, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kib
		}
	}
	return 0
}

// packs maps the .pack files of a (non-bare) repository to their sizes.
func packs(repo string) map[string]int64 {
	names, _ := filepath.Glob(filepath.Join(repo, ".git", "objects", "pack", "*.pack"))
	sizes := make(map[string]int64, len(names))
	for _, name := range names {
		if fi, err := os.Stat(name); err == nil {
			sizes[filepath.Base(name)] = fi.Size()
		}
	}
	return sizes
}

// parseStats finds git-backfill's --stats=json line in its standard error.
func parseStats(stderr []byte) (stats, error) {
	var st stats
	for _, line := range bytes.Split(stderr, []byte("\n")) {
		if bytes.HasPrefix(line, []byte("{")) {
			return st, json.Unmarshal(line, &st)
		}
	}
	return st, fmt.Errorf("no --stats=json line in git-backfill's output:\n%s", stderr)
}

// summarize returns the median of each quantity over repeated samples, except the
// RSS figures, which are their maximum: a peak is what bounds memory.
func summarize(ss []sample) sample {
	med := func(f func(sample) int64) int64 {
		v := make([]int64, len(ss))
		for i, s := range ss {
			v[i] = f(s)
		}
		slices.Sort(v)
		return v[len(v)/2]
	}
	peak := func(f func(sample) int64) int64 {
		var m int64
		for _, s := range ss {
			m = max(m, f(s))
		}
		return m
	}
	return sample{
		wall:      time.Duration(med(func(s sample) int64 { return int64(s.wall) })),
		packBytes: med(func(s sample) int64 { return s.packBytes }),
		rssSelf:   peak(func(s sample) int64 { return s.rssSelf }),
		rssTree:   peak(func(s sample) int64 { return s.rssTree }),
		stats:     ss[len(ss)/2].stats,
	}
}
