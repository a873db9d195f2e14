package git

import (
	"bufio"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// fetchPackArgs is the "git fetch-pack" command that makes the request
// git fetch would make for FetchObjects, by route:
//   - the ids come on stdin, as wants (not refspecs);
//   - --thin and the noop negotiation, as git fetch uses;
//   - --from-promisor and the filter, as git fetch sets them when it is
//     given a filter: the pack gets its .promisor file;
//   - --lock-pack: the pack's .keep lock is reported on stdout for us to
//     remove, as git fetch removes it, instead of staying for ever (a kept
//     pack is never repacked).
//
// Progress is on: fetch-pack reports it whether or not stderr is a
// terminal. It runs no maintenance, writes no FETCH_HEAD and updates no
// refs, like git fetch with the options fetchArgs gives it.
func fetchPackArgs(route fetchRoute, filter string) []string {
	args := []string{"-c", "fetch.negotiationAlgorithm=noop", "fetch-pack",
		"--stdin", "--thin", "--lock-pack", "--from-promisor", "--filter=" + filter}
	if route.uploadPack != "" {
		args = append(args, "--upload-pack="+route.uploadPack)
	}
	return append(args, route.url)
}

// readPackLocks reads fetch-pack's standard output: a line per fetched
// object ("<id> <id>"), and "lock <path>" for the pack's .keep lock. It
// returns the locks' paths.
func readPackLocks(out *bufio.Reader) ([]string, error) {
	var locks []string
	for {
		line, err := out.ReadString('\n')
		if path, ok := strings.CutPrefix(strings.TrimRight(line, "\n"), "lock "); ok {
			locks = append(locks, path)
		}
		if err != nil {
			return locks, nil // EOF; a read error shows as git's failure
		}
	}
}

var keepName = regexp.MustCompile(`^pack-[0-9a-f]{40,64}\.keep$`)

// removePackLocks removes the .keep locks of the fetch-pack process pid:
// those it reported (their paths are relative to where fetch-pack ended
// up working, the top of the work tree or the git directory, so only their
// names are taken), and those it could not report because it failed or was
// stopped after the pack landed, found by their content, which names pid.
// git fetch removes its locks on failure and on signals too.
func removePackLocks(objectsDir string, locks []string, pid int) {
	if objectsDir == "" {
		return
	}
	dir := filepath.Join(objectsDir, "pack")
	for _, lock := range locks {
		if name := filepath.Base(filepath.FromSlash(lock)); keepName.MatchString(name) {
			_ = os.Remove(filepath.Join(dir, name))
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	host, err := os.Hostname()
	if err != nil {
		return
	}
	for _, e := range entries {
		if e.Type().IsRegular() && keepName.MatchString(e.Name()) {
			path := filepath.Join(dir, e.Name())
			if lock, ok := ReadFetchLock(path); ok && lock.PID == pid && lock.Host == host {
				_ = os.Remove(path)
			}
		}
	}
}

// FetchLock is who wrote a pack's .keep lock, as fetch-pack (on its own
// or inside git fetch) writes it: "fetch-pack <pid> on <host>".
type FetchLock struct {
	PID  int
	Host string
}

var fetchLockLine = regexp.MustCompile(`^fetch-pack ([0-9]+) on (.+)\n$`)

// ReadFetchLock reads the .keep file at path. ok is false unless it is a
// fetch's lock: any other content, a symbolic link (not followed), or more
// than a line's worth (at most 512 bytes are read).
func ReadFetchLock(path string) (lock FetchLock, ok bool) {
	if info, err := os.Lstat(path); err != nil || !info.Mode().IsRegular() {
		return lock, false
	}
	f, err := os.Open(path)
	if err != nil {
		return lock, false
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, 512))
	if err != nil {
		return lock, false
	}
	m := fetchLockLine.FindSubmatch(data)
	if m == nil {
		return lock, false
	}
	pid, err := strconv.Atoi(string(m[1]))
	return FetchLock{PID: pid, Host: string(m[2])}, err == nil && pid > 0
}
