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
	mine := "fetch-pack " + strconv.Itoa(pid) + " on " + host + "\n"
	for _, e := range entries {
		if e.Type().IsRegular() && keepName.MatchString(e.Name()) {
			path := filepath.Join(dir, e.Name())
			if data, err := readSmall(path, len(mine)+1); err == nil && string(data) == mine {
				_ = os.Remove(path)
			}
		}
	}
}

// readSmall reads at most max bytes of the file at path.
func readSmall(path string, max int) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, int64(max)))
}
