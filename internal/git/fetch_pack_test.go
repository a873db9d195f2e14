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

// fetchFixture is a repository and blobless clones of it over file://.
type fetchFixture struct {
	src *gittest.Repo
	ids []OID // every blob of HEAD, sorted
}

func newFetchFixture(t *testing.T) *fetchFixture {
	src := gittest.New(t, []string{"a", "b", "c/d", "c/e", "f/g/h"})
	src.Must("config", "uploadpack.allowFilter", "true")
	var ids []OID
	for _, id := range strings.Fields(src.Must("ls-tree", "-r", "--format=%(objectname)", "HEAD")) {
		ids = append(ids, OID(id))
	}
	slices.Sort(ids)
	return &fetchFixture{src: src, ids: ids}
}

// clone makes a blobless clone and returns its directory and object
// directory.
func (f *fetchFixture) clone(t *testing.T) (dir, objects string) {
	dir = filepath.Join(t.TempDir(), "clone")
	f.src.Must("clone", "-q", "--no-checkout", "--filter=blob:none", "file://"+f.src.Dir, dir)
	return dir, filepath.Join(dir, ".git", "objects")
}

// fetchTraced runs FetchObjects for every blob in dir with a packet trace
// and returns who made the request ("fetch" or "fetch-pack") and the lines
// of its fetch command, from "command=fetch" to "done".
func (f *fetchFixture) fetchTraced(t *testing.T, dir string, opts FetchOptions) (string, []string) {
	t.Helper()
	trace := filepath.Join(t.TempDir(), "packets")
	g := NewRunner(dir, append(f.src.Env(), "GIT_TRACE_PACKET="+trace))
	if err := g.FetchObjects(context.Background(), "origin", f.ids, opts); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(trace)
	if err != nil {
		t.Fatal(err)
	}
	who, lines := "", []string(nil)
	for _, m := range regexp.MustCompile(`(?m)packet:\s+(fetch|fetch-pack)> (.*)$`).FindAllStringSubmatch(string(data), -1) {
		if m[2] == "command=fetch" {
			who, lines = m[1], []string{}
		}
		if lines != nil {
			lines = append(lines, m[2])
		}
		if m[2] == "done" && lines != nil {
			break
		}
	}
	for _, id := range f.ids {
		if _, stderr, err := f.src.Run("-C", dir, "cat-file", "-e", string(id)); err != nil {
			t.Errorf("%s not fetched by %s: %v %s", id, who, err, stderr)
		}
	}
	return who, lines
}

// A local remote is fetched from with fetch-pack, which sends the same
// request git fetch sends and leaves the same promisor pack, without a
// .keep lock.
func TestFetchPackMakesGitFetchsRequest(t *testing.T) {
	f := newFetchFixture(t)
	viaFetch, _ := f.clone(t)
	viaPack, objects := f.clone(t)

	who, want := f.fetchTraced(t, viaFetch, FetchOptions{Filter: "blob:none"})
	if who != "fetch" {
		t.Fatalf("without ObjectsDir the request came from %q, want git fetch", who)
	}
	who, got := f.fetchTraced(t, viaPack, FetchOptions{Filter: "blob:none", ObjectsDir: objects})
	if who != "fetch-pack" {
		t.Fatalf("from a local remote the request came from %q, want fetch-pack", who)
	}
	if !slices.Equal(got, want) {
		t.Errorf("fetch-pack sent\n%s\ngit fetch sent\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !slices.Contains(got, "filter blob:none") || !slices.Contains(got, "want "+string(f.ids[0])) {
		t.Errorf("the request lacks the filter or the wants:\n%s", strings.Join(got, "\n"))
	}

	packs, err := filepath.Glob(filepath.Join(objects, "pack", "pack-*"))
	if err != nil {
		t.Fatal(err)
	}
	var promisors int
	for _, p := range packs {
		switch filepath.Ext(p) {
		case ".keep":
			t.Errorf("a pack lock was left behind: %s", filepath.Base(p))
		case ".promisor":
			promisors++
		}
	}
	if promisors != 2 { // the clone's pack and the fetched one
		t.Errorf("%d .promisor files among %v, want 2", promisors, packs)
	}
}

// The route follows the remote's configuration as git fetch would: a URL
// rewritten by url.*.insteadOf to a local one, and remote.*.uploadpack.
func TestFetchPackFollowsRemoteConfig(t *testing.T) {
	f := newFetchFixture(t)
	dir, objects := f.clone(t)
	log := filepath.Join(t.TempDir(), "upload-pack.log")
	script := filepath.Join(t.TempDir(), "upload-pack")
	body := "#!/bin/sh\necho ran >>'" + log + "'\nexec git-upload-pack \"$@\"\n"
	if err := os.WriteFile(script, []byte(body), 0o755); err != nil {
		t.Fatal(err)
	}
	f.src.Must("-C", dir, "config", "remote.origin.url", "shared:repo")
	f.src.Must("-C", dir, "config", "url.file://"+filepath.Dir(f.src.Dir)+"/.insteadOf", "shared:")
	f.src.Must("-C", dir, "config", "remote.origin.uploadpack", script)

	who, _ := f.fetchTraced(t, dir, FetchOptions{Filter: "blob:none", ObjectsDir: objects})
	if who != "fetch-pack" {
		t.Errorf("the rewritten local URL was fetched by %q, want fetch-pack", who)
	}
	if data, err := os.ReadFile(log); err != nil || string(data) != "ran\n" {
		t.Errorf("remote.origin.uploadpack was not run once: %q, %v", data, err)
	}
}

// What fetch-pack cannot do stays with git fetch: a remote helper, and a
// fetch that negotiates.
func TestGitFetchKeepsWhatFetchPackCannotDo(t *testing.T) {
	f := newFetchFixture(t)
	dir, objects := f.clone(t)
	f.src.Must("-C", dir, "config", "remote.origin.serverOption", "x=y")
	if who, _ := f.fetchTraced(t, dir, FetchOptions{Filter: "blob:none", ObjectsDir: objects}); who != "fetch" {
		t.Errorf("a remote with server options was fetched by %q, want git fetch", who)
	}
	dir, objects = f.clone(t)
	if who, _ := f.fetchTraced(t, dir, FetchOptions{Filter: "blob:none", ObjectsDir: objects, Negotiate: true}); who != "fetch" {
		t.Errorf("a negotiating fetch was made by %q, want git fetch", who)
	}
}

func TestRemovePackLocks(t *testing.T) {
	objects := t.TempDir()
	pack := filepath.Join(objects, "pack")
	if err := os.Mkdir(pack, 0o755); err != nil {
		t.Fatal(err)
	}
	keep := "pack-" + strings.Repeat("ab", 20) + ".keep"
	for _, name := range []string{keep, "other.keep", "pack-" + strings.Repeat("cd", 20) + ".pack"} {
		if err := os.WriteFile(filepath.Join(pack, name), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	removePackLocks(objects, []string{".git/objects/pack/" + keep, "pack/other.keep",
		"../pack-" + strings.Repeat("cd", 20) + ".pack"})
	left, _ := os.ReadDir(pack)
	var names []string
	for _, e := range left {
		names = append(names, e.Name())
	}
	if want := []string{"other.keep", "pack-" + strings.Repeat("cd", 20) + ".pack"}; !slices.Equal(names, want) {
		t.Errorf("left %v, want %v", names, want)
	}
}
