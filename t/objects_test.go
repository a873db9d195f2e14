package t

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/rogpeppe/go-internal/testscript"
)

// absent <rev>:<path>...: asserts that each named object is missing from
// the repository at the current directory: it is listed by
// `git rev-list --objects --missing=print <rev>`, which never fetches.
// Naming it reads the trees above it, so those must be present (else git
// would fetch them; scripts check with packs that nothing arrived).
func cmdAbsent(ts *testscript.TestScript, neg bool, args []string) {
	noNeg(ts, neg, "absent")
	if len(args) == 0 {
		ts.Fatalf("usage: absent <rev>:<path>...")
	}
	for _, spec := range args {
		rev, _, ok := strings.Cut(spec, ":")
		if !ok {
			ts.Fatalf("absent: %q is not <rev>:<path>", spec)
		}
		id := strings.TrimSpace(git(ts, "rev-parse", "--verify", "--quiet", spec))
		out := git(ts, "rev-list", "--objects", "--missing=print", rev)
		if !strings.Contains(out, "?"+id+"\n") {
			ts.Fatalf("absent: %s (%s) is present", spec, id)
		}
	}
}

// unfetchable <dir> <rev>:<path>...: turns the repository at dir into a
// server that will not send the named objects: its packs, if any, are
// unpacked into loose objects, and the named objects' files are deleted.
// Its refs still reach them, so clients ask for them and are refused.
func cmdUnfetchable(ts *testscript.TestScript, neg bool, args []string) {
	noNeg(ts, neg, "unfetchable")
	if len(args) < 2 {
		ts.Fatalf("usage: unfetchable <dir> <rev>:<path>...")
	}
	dir := ts.MkAbs(args[0])
	objects := strings.TrimSpace(git(ts, "-C", dir, "rev-parse", "--path-format=absolute", "--git-path", "objects"))
	var ids []string
	for _, spec := range args[1:] {
		ids = append(ids, strings.TrimSpace(git(ts, "-C", dir, "rev-parse", "--verify", "--quiet", spec)))
	}
	packs, err := filepath.Glob(filepath.Join(objects, "pack", "*.pack"))
	if err != nil {
		ts.Fatalf("%v", err)
	}
	for _, pack := range packs {
		// unpack-objects writes only objects the repository lacks, so the
		// pack must be out of the way first.
		data, err := os.ReadFile(pack)
		if err != nil {
			ts.Fatalf("%v", err)
		}
		base := strings.TrimSuffix(pack, ".pack")
		for _, ext := range []string{".pack", ".idx", ".rev", ".promisor", ".keep"} {
			if err := os.Remove(base + ext); err != nil && !os.IsNotExist(err) {
				ts.Fatalf("%v", err)
			}
		}
		gitInput(ts, string(data), "-C", dir, "unpack-objects", "-q")
	}
	for i, id := range ids {
		if err := os.Remove(filepath.Join(objects, id[:2], id[2:])); err != nil {
			ts.Fatalf("unfetchable: %s (%s) is not a loose object: %v", args[1+i], id, err)
		}
	}
}
