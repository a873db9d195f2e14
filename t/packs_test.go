package t

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// Every `git fetch` of missing objects in a partial clone lands as one new
// pack with a .promisor file beside it, however few objects it holds, so
// counting new promisor packs counts fetch requests, and their idx files
// tell how many objects each request brought.

// packs mark | packs new <n> [<count>...] | packs total <n> |
// packs atmost <n> | packs maxsize <n>
//
// mark remembers the promisor packs of the repository at the current
// directory. new asserts that exactly n promisor packs appeared since the
// mark and, when counts are given, that the multiset of their object counts
// is the given one (in any order). total asserts that the packs that
// appeared since the mark hold n objects in all. atmost asserts that at
// most n packs appeared (at most n fetch requests); maxsize that none of
// them holds more than n objects. All but mark also fail when an object
// arrived in two of those packs (fetched twice) or when a marked pack has
// gone (repacked, which would falsify the counts).
func cmdPacks(ts *testscript.TestScript, neg bool, args []string) {
	noNeg(ts, neg, "packs")
	usage := "usage: packs mark | packs new <n> [<count>...] | packs total <n> | packs atmost <n> | packs maxsize <n>"
	if len(args) == 0 {
		ts.Fatalf("%s", usage)
	}
	dir, hashLen := packDir(ts)
	if args[0] == "mark" {
		if len(args) != 1 {
			ts.Fatalf("%s", usage)
		}
		mark := map[string]bool{}
		for _, p := range promisorPacks(ts, dir) {
			mark[p] = true
		}
		state(ts).marks[dir] = mark
		return
	}
	nums := make([]int, len(args)-1)
	for i, a := range args[1:] {
		n, err := strconv.Atoi(a)
		if err != nil {
			ts.Fatalf("packs %s: %q is not a number", args[0], a)
		}
		nums[i] = n
	}
	counts := newPackCounts(ts, dir, hashLen)
	switch {
	case args[0] == "new" && len(nums) >= 1:
		if len(counts) != nums[0] {
			ts.Fatalf("new promisor packs since mark: have %d %v, want %d", len(counts), counts, nums[0])
		}
		if want := nums[1:]; len(want) > 0 {
			slices.Sort(want)
			if !slices.Equal(counts, want) {
				ts.Fatalf("object counts of the new promisor packs: have %v, want %v", counts, want)
			}
		}
	case args[0] == "total" && len(nums) == 1:
		total := 0
		for _, c := range counts {
			total += c
		}
		if total != nums[0] {
			ts.Fatalf("objects in new promisor packs since mark: have %d (packs %v), want %d", total, counts, nums[0])
		}
	case args[0] == "atmost" && len(nums) == 1:
		if len(counts) > nums[0] {
			ts.Fatalf("new promisor packs since mark: have %d %v, want at most %d", len(counts), counts, nums[0])
		}
	case args[0] == "maxsize" && len(nums) == 1:
		if len(counts) > 0 && counts[len(counts)-1] > nums[0] {
			ts.Fatalf("object counts of the new promisor packs: have %v, want none above %d", counts, nums[0])
		}
	default:
		ts.Fatalf("%s", usage)
	}
}

// waitpacks <n> <timeout>: waits until at least n complete promisor packs
// (with their idx) have appeared since `packs mark`.
func cmdWaitpacks(ts *testscript.TestScript, neg bool, args []string) {
	noNeg(ts, neg, "waitpacks")
	if len(args) != 2 {
		ts.Fatalf("usage: waitpacks <n> <timeout>")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("waitpacks: %q is not a number", args[0])
	}
	timeout, err := time.ParseDuration(args[1])
	if err != nil {
		ts.Fatalf("waitpacks: bad timeout %q", args[1])
	}
	dir, _ := packDir(ts)
	mark := markOf(ts, dir)
	deadline := time.Now().Add(timeout)
	for {
		n := 0
		for _, p := range promisorPacks(ts, dir) {
			if !mark[p] {
				n++
			}
		}
		if n >= want {
			return
		}
		if time.Now().After(deadline) {
			ts.Fatalf("waitpacks: %d new promisor packs after %v, want %d", n, timeout, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// packDir returns the absolute pack directory of the repository at the
// current directory and the length in bytes of its object ids.
func packDir(ts *testscript.TestScript) (string, int) {
	out := strings.Fields(git(ts, "rev-parse", "--path-format=absolute", "--git-path", "objects/pack", "--show-object-format"))
	if len(out) != 2 {
		ts.Fatalf("git rev-parse: unexpected output %q", out)
	}
	hashLen := map[string]int{"sha1": 20, "sha256": 32}[out[1]]
	if hashLen == 0 {
		ts.Fatalf("unknown object format %q", out[1])
	}
	return out[0], hashLen
}

func markOf(ts *testscript.TestScript, dir string) map[string]bool {
	mark, ok := state(ts).marks[dir]
	if !ok {
		ts.Fatalf("no `packs mark` for %s yet", dir)
	}
	return mark
}

// promisorPacks lists the base names (pack-<hash>) of the complete promisor
// packs in dir: those with a .promisor, a .pack and an .idx file. A fetch
// still running (or killed) has no idx yet.
func promisorPacks(ts *testscript.TestScript, dir string) []string {
	matches, err := filepath.Glob(filepath.Join(dir, "*.promisor"))
	if err != nil {
		ts.Fatalf("%v", err)
	}
	var packs []string
	for _, m := range matches {
		base := strings.TrimSuffix(m, ".promisor")
		if fileExists(base+".idx") && fileExists(base+".pack") {
			packs = append(packs, filepath.Base(base))
		}
	}
	return packs
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// newPackCounts returns the sorted object counts of the promisor packs
// that appeared in dir since the mark, failing the script if a marked pack
// is gone or an object is in more than one of the new packs.
func newPackCounts(ts *testscript.TestScript, dir string, hashLen int) []int {
	mark := markOf(ts, dir)
	current := promisorPacks(ts, dir)
	for p := range mark {
		if !slices.Contains(current, p) {
			ts.Fatalf("promisor pack %s disappeared since the mark (repacked?); counts would be wrong", p)
		}
	}
	var counts []int
	seen := map[string]string{} // object id → pack
	for _, p := range current {
		if mark[p] {
			continue
		}
		ids, err := idxObjects(filepath.Join(dir, p+".idx"), hashLen)
		if err != nil {
			ts.Fatalf("%v", err)
		}
		for _, id := range ids {
			if other, ok := seen[id]; ok {
				ts.Fatalf("object %s fetched twice: in %s and %s", id, other, p)
			}
			seen[id] = p
		}
		counts = append(counts, len(ids))
	}
	slices.Sort(counts)
	return counts
}

// idxObjects returns the object ids listed in a pack index file (version 1
// or 2; see gitformat-pack(5)). Both versions have a 256-entry fan-out
// table whose last entry is the number of objects; version 2 starts with
// the magic "\377tOc" and a version number, and lists the ids after the
// fan-out, while version 1 interleaves each id with a 4-byte offset.
func idxObjects(path string, hashLen int) ([]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	fanout, stride, skip := 0, hashLen, 0 // version 1 by default
	if bytes.HasPrefix(data, []byte("\377tOc")) {
		if len(data) < 8 || binary.BigEndian.Uint32(data[4:8]) != 2 {
			return nil, fmt.Errorf("%s: unsupported pack index version", path)
		}
		fanout = 8
	} else {
		stride, skip = 4+hashLen, 4
	}
	if len(data) < fanout+256*4 {
		return nil, fmt.Errorf("%s: truncated pack index", path)
	}
	n := int(binary.BigEndian.Uint32(data[fanout+255*4:]))
	start := fanout + 256*4
	if len(data) < start+n*stride {
		return nil, fmt.Errorf("%s: truncated pack index (%d objects)", path, n)
	}
	ids := make([]string, n)
	for i := range ids {
		at := start + i*stride + skip
		ids[i] = hex.EncodeToString(data[at : at+hashLen])
	}
	return ids, nil
}
