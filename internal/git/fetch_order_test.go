package git

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/git-backfill/git-backfill/internal/gittest"
)

// Ids in any order and with repeats are all fetched, each asked for once,
// and the caller's slice keeps its order (FetchObjects sorts a copy).
func TestFetchObjectsTakesAnyOrder(t *testing.T) {
	src := gittest.New(t, []string{"a", "b", "c", "d/e", "d/f", "g"})
	dir := filepath.Join(t.TempDir(), "clone")
	src.Must("config", "uploadpack.allowFilter", "true")
	src.Must("clone", "-q", "--no-checkout",
		"--filter=blob:none", "file://"+src.Dir, dir)
	var ids []OID
	for _, id := range strings.Fields(src.Must("ls-tree", "-r", "--format=%(objectname)", "HEAD")) {
		ids = append(ids, OID(id))
	}
	slices.Sort(ids)
	slices.Reverse(ids)
	ids = append(ids, ids[0])
	given := slices.Clone(ids)

	trace := filepath.Join(t.TempDir(), "packets")
	g := NewRunner(dir, append(src.Env(), "GIT_TRACE_PACKET="+trace))
	if err := g.FetchObjects(context.Background(), "origin", ids, FetchOptions{Filter: "blob:none"}); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ids, given) {
		t.Errorf("the caller's ids changed: %v, was %v", ids, given)
	}
	data, err := os.ReadFile(trace)
	if err != nil {
		t.Fatal(err)
	}
	var wants []OID
	for _, m := range regexp.MustCompile(`fetch> want ([0-9a-f]+)`).FindAllStringSubmatch(string(data), -1) {
		wants = append(wants, OID(m[1]))
	}
	want := slices.Compact(slices.Sorted(slices.Values(given)))
	if !slices.Equal(wants, want) {
		t.Errorf("wants sent %v, want %v", wants, want)
	}
	for _, id := range want {
		if _, stderr, err := src.Run("-C", dir, "cat-file", "-e", string(id)); err != nil {
			t.Errorf("%s not fetched: %v %s", id, err, stderr)
		}
	}
}

func TestSortedUnique(t *testing.T) {
	ids := []OID{"c", "a", "b", "a", "c"}
	got := sortedUnique(ids)
	if want := []OID{"a", "b", "c"}; !slices.Equal(got, want) {
		t.Errorf("sortedUnique = %v, want %v", got, want)
	}
	if want := []OID{"c", "a", "b", "a", "c"}; !slices.Equal(ids, want) {
		t.Errorf("the input changed to %v", ids)
	}
}
