package git

import (
	"strconv"
	"strings"
)

// FetchProgress is what one progress report of "git fetch" says.
type FetchProgress struct {
	Objects int   // objects received so far
	Total   int   // objects the server said it will send
	Bytes   int64 // bytes received so far (approximate: git rounds)
	// Sending: the server has prepared the pack and is sending it (its
	// "Compressing objects: ..., done."), whether or not a received object
	// was reported yet.
	Sending bool
	// Received: the whole pack has arrived ("Receiving objects: ...,
	// done."); what follows is local work (deltas, the index).
	Received bool
}

// ParseFetchProgress reads a "Receiving objects:  45% (22/48), 1.20 MiB |
// 300.00 KiB/s" line. Other lines give ok == false.
func ParseFetchProgress(line string) (FetchProgress, bool) {
	rest, ok := strings.CutPrefix(strings.TrimSpace(line), "Receiving objects:")
	if !ok {
		return FetchProgress{}, false
	}
	var p FetchProgress
	open, close := strings.IndexByte(rest, '('), strings.IndexByte(rest, ')')
	if open < 0 || close < open {
		return FetchProgress{}, false
	}
	done, total, ok := strings.Cut(rest[open+1:close], "/")
	if !ok {
		return FetchProgress{}, false
	}
	var err1, err2 error
	p.Objects, err1 = strconv.Atoi(done)
	p.Total, err2 = strconv.Atoi(total)
	if err1 != nil || err2 != nil || p.Objects < 0 || p.Total < 0 {
		return FetchProgress{}, false
	}
	// ", 1.20 MiB | 300.00 KiB/s" or ", 1.59 KiB | ..., done."
	after := strings.TrimPrefix(rest[close+1:], ",")
	size, _, _ := strings.Cut(after, "|")
	p.Bytes = parseHumanSize(strings.TrimSpace(size))
	p.Received = strings.HasSuffix(strings.TrimSpace(rest), ", done.")
	return p, true
}

// parseHumanSize reads git's "1.20 MiB" style sizes; 0 if absent.
func parseHumanSize(s string) int64 {
	num, unit, ok := strings.Cut(s, " ")
	if !ok {
		return 0
	}
	v, err := strconv.ParseFloat(num, 64)
	if err != nil || v < 0 || v > 1<<50 {
		return 0
	}
	mult := map[string]float64{"bytes": 1, "byte": 1, "KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30, "TiB": 1 << 40}[unit]
	return int64(v * mult)
}

// isProgressChatter recognises the other progress lines of a fetch (the
// server's counting and compressing, our side's delta resolution): they
// are replaced by our own progress, but they show the fetch is alive.
func isProgressChatter(line string) bool {
	line = strings.TrimSpace(strings.TrimPrefix(line, "remote:"))
	for _, p := range []string{"Enumerating objects:", "Counting objects:", "Compressing objects:",
		"Total ", "Resolving deltas:", "Receiving objects:", "Checking connectivity:"} {
		if strings.HasPrefix(line, p) {
			return true
		}
	}
	return line == ""
}

// isServerSending recognises the server's last word before the pack data:
// the end of its delta compression.
func isServerSending(line string) bool {
	line = strings.TrimSpace(strings.TrimPrefix(line, "remote:"))
	return strings.HasPrefix(line, "Compressing objects:") && strings.HasSuffix(line, "done.")
}
