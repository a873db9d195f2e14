package odb

import (
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/git-backfill/git-backfill/internal/gittest"
)

// objectIDs lists the objects git itself sees in the repository at dir,
// alternates included.
func objectIDs(t *testing.T, r *gittest.Repo, dir string) []string {
	t.Helper()
	out := r.Must("-C", dir, "cat-file", "--batch-all-objects", "--batch-check=%(objectname)")
	return strings.Fields(out)
}

func mustOpen(t *testing.T, objectsDir string, extra []string, idLen int) *Store {
	t.Helper()
	s, err := Open(objectsDir, extra, idLen)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

func has(s *Store, id string) bool {
	b, err := hex.DecodeString(id)
	return err == nil && s.Has(b)
}

// absent returns ids that no repository holds: each of ids with its last
// byte changed, plus the lowest and highest possible ids.
func absent(ids []string, idLen int) []string {
	out := []string{strings.Repeat("00", idLen), strings.Repeat("ff", idLen)}
	for _, id := range ids {
		b, _ := hex.DecodeString(id)
		b[len(b)-1] ^= 0x5a
		out = append(out, hex.EncodeToString(b))
	}
	return out
}

func checkStore(t *testing.T, s *Store, present []string, idLen int) {
	t.Helper()
	if len(present) == 0 {
		t.Fatal("no objects to check")
	}
	set := map[string]bool{}
	for _, id := range present {
		set[id] = true
		if !has(s, id) {
			t.Errorf("object %s is in the repository, Has says no", id)
		}
	}
	for _, id := range absent(present, idLen) {
		if !set[id] && has(s, id) {
			t.Errorf("object %s is not in the repository, Has says yes", id)
		}
	}
}

// commitFiles writes and commits n files under a fresh directory name.
func commitFiles(r *gittest.Repo, dir, tag string, n int) {
	for i := range n {
		p := filepath.Join(r.Dir, dir, tag, fmt.Sprintf("f%d", i))
		_ = os.MkdirAll(filepath.Dir(p), 0o755)
		_ = os.WriteFile(p, []byte(tag+fmt.Sprint(i)), 0o644)
	}
	r.Must("-C", dir, "add", "-A")
	r.Must("-C", dir, "-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-q", "-m", tag)
}

func TestPacksAndLooseObjects(t *testing.T) {
	r := gittest.New(t, []string{"a", "d/b"})
	commitFiles(r, ".", "one", 30)
	r.Must("repack", "-a", "-d", "-q")
	commitFiles(r, ".", "two", 30) // loose
	commitFiles(r, ".", "three", 5)
	r.Must("repack", "-q") // a second pack beside the first
	commitFiles(r, ".", "four", 5)
	// Git's temporary files in the object directories are not objects.
	objects := filepath.Join(r.Dir, ".git", "objects")
	_ = os.WriteFile(filepath.Join(objects, "ab", "tmp_obj_123456"), nil, 0o644)
	_ = os.WriteFile(filepath.Join(objects, "pack", "tmp_idx_123"), []byte("junk"), 0o644)
	s := mustOpen(t, objects, nil, 20)
	ids := objectIDs(t, r, ".")
	checkStore(t, s, ids, 20)
	if s.Count() < len(ids) {
		t.Errorf("Count = %d, git lists %d objects", s.Count(), len(ids))
	}
}

func TestIndexVersion1(t *testing.T) {
	r := gittest.New(t, []string{"a", "b", "c/d"})
	commitFiles(r, ".", "one", 40)
	r.Must("-c", "pack.indexVersion=1", "repack", "-a", "-d", "-q")
	idx, _ := filepath.Glob(filepath.Join(r.Dir, ".git", "objects", "pack", "*.idx"))
	if len(idx) != 1 {
		t.Fatalf("want one pack index, got %v", idx)
	}
	if data, _ := os.ReadFile(idx[0]); strings.HasPrefix(string(data), string(idxV2Magic)) {
		t.Fatal("git wrote a version 2 index; the test needs version 1")
	}
	checkStore(t, mustOpen(t, filepath.Join(r.Dir, ".git", "objects"), nil, 20), objectIDs(t, r, "."), 20)
}

func TestSHA256(t *testing.T) {
	r := gittest.New(t, nil)
	r.Must("init", "-q", "--object-format=sha256", "s")
	commitFiles(r, "s", "one", 20)
	r.Must("-C", "s", "repack", "-a", "-d", "-q")
	commitFiles(r, "s", "two", 5)
	ids := objectIDs(t, r, "s")
	if len(ids[0]) != 64 {
		t.Fatalf("not a SHA-256 repository: %s", ids[0])
	}
	checkStore(t, mustOpen(t, filepath.Join(r.Dir, "s", ".git", "objects"), nil, 32), ids, 32)
	if _, err := Open(filepath.Join(r.Dir, "s", ".git", "objects"), nil, 21); err == nil {
		t.Fatal("an id length that is neither SHA-1's nor SHA-256's must be refused")
	}
}

// TestPartialClone: what a blobless clone lacks is exactly what git's
// "rev-list --missing=print" reports missing.
func TestPartialClone(t *testing.T) {
	r := gittest.New(t, []string{"a", "d/b"})
	commitFiles(r, ".", "one", 10)
	commitFiles(r, ".", "two", 10)
	r.Must("config", "uploadpack.allowFilter", "true")
	clone := filepath.Join(filepath.Dir(r.Dir), "clone")
	r.Must("clone", "-q", "--filter=blob:none", "--no-checkout", "file://"+r.Dir, clone)
	var missing, present []string
	for _, line := range strings.Fields(r.Must("-C", clone, "rev-list", "--objects", "--no-object-names", "--missing=print", "HEAD")) {
		if id, ok := strings.CutPrefix(line, "?"); ok {
			missing = append(missing, id)
		} else {
			present = append(present, line)
		}
	}
	if len(missing) < 20 {
		t.Fatalf("the clone lacks only %d objects", len(missing))
	}
	s := mustOpen(t, filepath.Join(clone, ".git", "objects"), nil, 20)
	checkStore(t, s, present, 20)
	for _, id := range missing {
		if has(s, id) {
			t.Errorf("blob %s is missing from the clone, Has says yes", id)
		}
	}
}

func TestAlternates(t *testing.T) {
	r := gittest.New(t, []string{"a"})
	commitFiles(r, ".", "one", 10)
	r.Must("repack", "-a", "-d", "-q")
	shared := filepath.Join(filepath.Dir(r.Dir), "shared")
	// "clone --shared" writes info/alternates; the clone holds no object.
	r.Must("clone", "-q", "--shared", "--no-checkout", r.Dir, shared)
	sharedObjects := filepath.Join(shared, ".git", "objects")
	checkStore(t, mustOpen(t, sharedObjects, nil, 20), objectIDs(t, r, "."), 20)

	// A relative alternate is relative to the object directory; a chain
	// of alternates is followed.
	chained := filepath.Join(filepath.Dir(r.Dir), "chained")
	r.Must("init", "-q", "--bare", chained)
	rel, _ := filepath.Rel(chained+"/objects", sharedObjects)
	if err := os.WriteFile(filepath.Join(chained, "objects", "info", "alternates"), []byte("# comment\n\n"+rel+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	checkStore(t, mustOpen(t, filepath.Join(chained, "objects"), nil, 20), objectIDs(t, r, "."), 20)

	// GIT_ALTERNATE_OBJECT_DIRECTORIES is passed in as extra directories.
	lone := filepath.Join(filepath.Dir(r.Dir), "lone")
	r.Must("init", "-q", "--bare", lone)
	s := mustOpen(t, filepath.Join(lone, "objects"), []string{filepath.Join(r.Dir, ".git", "objects")}, 20)
	checkStore(t, s, objectIDs(t, r, "."), 20)
	if s2 := mustOpen(t, filepath.Join(lone, "objects"), nil, 20); s2.Count() != 0 {
		t.Fatalf("an empty repository holds %d objects", s2.Count())
	}
}

func TestIndexWithoutPackIgnored(t *testing.T) {
	r := gittest.New(t, []string{"a"})
	r.Must("repack", "-a", "-d", "-q")
	packs, _ := filepath.Glob(filepath.Join(r.Dir, ".git", "objects", "pack", "*.pack"))
	if len(packs) != 1 {
		t.Fatalf("want one pack, got %v", packs)
	}
	ids := objectIDs(t, r, ".")
	if err := os.Remove(packs[0]); err != nil {
		t.Fatal(err)
	}
	s := mustOpen(t, filepath.Join(r.Dir, ".git", "objects"), nil, 20)
	for _, id := range ids {
		if has(s, id) {
			t.Fatalf("object %s counted present though its pack is gone (git cannot read it)", id)
		}
	}
}

func TestCorruptIndexIsAnError(t *testing.T) {
	r := gittest.New(t, []string{"a"})
	r.Must("repack", "-a", "-d", "-q")
	idx, _ := filepath.Glob(filepath.Join(r.Dir, ".git", "objects", "pack", "*.idx"))
	data, _ := os.ReadFile(idx[0])
	_ = os.Chmod(idx[0], 0o644)
	if err := os.WriteFile(idx[0], data[:len(data)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Open(filepath.Join(r.Dir, ".git", "objects"), nil, 20)
	if err == nil || !strings.Contains(err.Error(), "truncated pack index") || !strings.Contains(err.Error(), ".idx") {
		t.Fatalf("got %v, want an error naming the truncated index", err)
	}
}

func TestMissingObjectDirectory(t *testing.T) {
	if _, err := Open(filepath.Join(t.TempDir(), "nope"), nil, 20); err == nil {
		t.Fatal("a missing object directory must be an error")
	}
}
