package export

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// generate adds n commits to main with "git fast-import": each changes a
// few of some 200 files (edits, additions, deletions, renames), and every
// 25th is a merge of a two-commit side branch. It is deterministic.
func (f *fixture) generate(t testing.TB, n int) {
	t.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
	var in bytes.Buffer
	files := map[string][]string{}
	var names []string
	data := func(s string) { fmt.Fprintf(&in, "data %d\n%s\n", len(s), s) }
	mark := 0
	commit := func(ref, msg string, from int, merge int) {
		side := ref != "refs/heads/main"
		mark++
		fmt.Fprintf(&in, "commit %s\nmark :%d\n", ref, mark)
		ts := 1600000000 + mark*60
		fmt.Fprintf(&in, "author Gen Author <gen@example.com> %d +0100\ncommitter Gen <gen@example.com> %d +0100\n", ts, ts)
		data(msg)
		if from > 0 {
			fmt.Fprintf(&in, "from :%d\n", from)
		}
		if merge > 0 {
			fmt.Fprintf(&in, "merge :%d\n", merge)
		}
		for k := 0; k < 1+rng.IntN(4); k++ {
			if side { // side branches add their own files, outside the model of main
				fmt.Fprintf(&in, "M 100644 inline side/%d-%d.txt\n", mark, k)
				data(fmt.Sprintf("side file %d %d\n", mark, k))
				continue
			}
			switch op := rng.IntN(10); {
			case op == 0 && len(names) > 20:
				i := rng.IntN(len(names))
				fmt.Fprintf(&in, "D %s\n", names[i])
				delete(files, names[i])
				names = append(names[:i], names[i+1:]...)
			case op == 1 && len(names) > 20:
				i := rng.IntN(len(names))
				to := fmt.Sprintf("moved/%d-%s", mark, names[i][strings.LastIndex(names[i], "/")+1:])
				fmt.Fprintf(&in, "R %s %s\n", names[i], to)
				files[to] = files[names[i]]
				delete(files, names[i])
				names[i] = to
			case op < 5 || len(names) == 0:
				name := fmt.Sprintf("dir%d/file%d-%d.txt", rng.IntN(10), mark, k)
				lines := make([]string, 5+rng.IntN(60))
				for j := range lines {
					lines[j] = fmt.Sprintf("line %d of %s: %x", j, name, rng.Uint64())
				}
				files[name], names = lines, append(names, name)
				fmt.Fprintf(&in, "M 100644 inline %s\n", name)
				data(strings.Join(lines, "\n"))
			default:
				name := names[rng.IntN(len(names))]
				lines := files[name]
				for j := 0; j < 1+rng.IntN(5); j++ {
					lines[rng.IntN(len(lines))] = fmt.Sprintf("edited at %d: %x", mark, rng.Uint64())
				}
				fmt.Fprintf(&in, "M 100644 inline %s\n", name)
				data(strings.Join(lines, "\n"))
			}
		}
	}
	head := strings.TrimSpace(f.Must("rev-parse", "main"))
	fmt.Fprintf(&in, "reset refs/heads/main\nfrom %s\n\n", head)
	last := 0
	for i := 0; i < n; i++ {
		if i%25 == 24 && last > 0 {
			commit("refs/heads/gen-side", fmt.Sprintf("side %d\n\nSigned-off-by: Gen <gen@example.com>", i), last, 0)
			commit("refs/heads/gen-side", fmt.Sprintf("side %d again", i), mark, 0)
			side := mark
			commit("refs/heads/main", fmt.Sprintf("Merge side %d", i), last, side)
			i += 2
		} else {
			commit("refs/heads/main", fmt.Sprintf("commit %d\n\nBody of commit %d.", i, i), last, 0)
		}
		last = mark
	}
	f.run(in.Bytes(), nil, "fast-import", "--quiet")
	f.Must("reset", "-q", "--hard", "main")
}
