package git

import (
	"context"
	"crypto/rand"
	"fmt"
	"os"
	"os/exec"
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

// It has enough blobs (100) for fetch-pack to pay (see fetchPackPays)
// against a server with a handful of refs.
func newFetchFixture(t *testing.T) *fetchFixture {
	var files []string
	for i := range 100 {
		files = append(files, fmt.Sprintf("d%d/f%d", i%7, i))
	}
	src := gittest.New(t, files)
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
	t.Parallel()
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
	if !slices.Contains(got, "filter blob:none") || !slices.Contains(got, "want "+string(f.ids[0])) ||
		!slices.Contains(got, "want "+string(f.ids[len(f.ids)-1])) {
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
	t.Parallel()
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
	// Once to count the server's refs, once for the fetch.
	if data, err := os.ReadFile(log); err != nil || string(data) != "ran\nran\n" {
		t.Errorf("remote.origin.uploadpack was not run twice: %q, %v", data, err)
	}
}

// What fetch-pack cannot do, or would do worse, stays with git fetch: a
// remote with server options, a fetch that negotiates, a retry (some ids
// may be here already), and a server whose refs cost more to list than git
// fetch's check of the ids.
func TestGitFetchKeepsWhatFetchPackCannotDo(t *testing.T) {
	t.Parallel()
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
	dir, objects = f.clone(t)
	if who, _ := f.fetchTraced(t, dir, FetchOptions{Filter: "blob:none", ObjectsDir: objects, Again: true}); who != "fetch" {
		t.Errorf("a retry was made by %q, want git fetch", who)
	}

	// 100 ids against 10,000 refs: the listing would cost more.
	head := strings.TrimSpace(f.src.Must("rev-parse", "HEAD"))
	refs := strings.Builder{}
	refs.WriteString("# pack-refs with: sorted \n")
	for i := range 10000 {
		fmt.Fprintf(&refs, "%s refs/changes/%05d\n", head, i)
	}
	dir, objects = f.clone(t)
	if err := os.WriteFile(filepath.Join(f.src.Dir, ".git", "packed-refs"), []byte(refs.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(f.src.Must("for-each-ref"), "\n"); n != 10001 {
		t.Fatalf("the server has %d refs, want 10,001", n)
	}
	if who, _ := f.fetchTraced(t, dir, FetchOptions{Filter: "blob:none", ObjectsDir: objects}); who != "fetch" {
		t.Errorf("100 ids from a server with 10,000 refs were fetched by %q, want git fetch", who)
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
	host, err := os.Hostname()
	if err != nil {
		t.Fatal(err)
	}
	// Unreported locks: the process's own (it failed after the pack had
	// landed) goes, another's stays.
	unreported := "pack-" + strings.Repeat("ef", 20) + ".keep"
	others := "pack-" + strings.Repeat("12", 20) + ".keep"
	for name, content := range map[string]string{unreported: "fetch-pack 4242 on " + host + "\n",
		others: "fetch-pack 4243 on " + host + "\n"} {
		if err := os.WriteFile(filepath.Join(pack, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	removePackLocks(objects, []string{".git/objects/pack/" + keep, "pack/other.keep",
		"../pack-" + strings.Repeat("cd", 20) + ".pack"}, 4242)
	left, _ := os.ReadDir(pack)
	var names []string
	for _, e := range left {
		names = append(names, e.Name())
	}
	if want := []string{"other.keep", others, "pack-" + strings.Repeat("cd", 20) + ".pack"}; !slices.Equal(names, want) {
		t.Errorf("left %v, want %v", names, want)
	}
}

// A fetch-pack that fails once its pack has landed (the connection drops
// before the last packet) leaves no .keep lock behind, as git fetch would
// not: the lock is found by the process id it names.
func TestFetchPackFailingLateLeavesNoLock(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("perl"); err != nil {
		t.Skip("needs perl to cut the connection")
	}
	f := newFetchFixture(t)
	// Over 1 MiB that does not compress, so that the pack comes well after
	// the ref listing, whose end must go through.
	noise := make([]byte, 1<<20+1<<18)
	if _, err := rand.Read(noise); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(f.src.Dir, "noise.bin"), noise, 0o644); err != nil {
		t.Fatal(err)
	}
	f.src.Must("add", "noise.bin")
	f.src.Must("-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-q", "-m", "noise")
	f.ids = append(f.ids, OID(strings.TrimSpace(f.src.Must("rev-parse", "HEAD:noise.bin"))))
	slices.Sort(f.ids)
	dir, objects := f.clone(t)
	script := filepath.Join(t.TempDir(), "upload-pack")
	body := "#!/bin/sh\ngit-upload-pack \"$@\" | perl -e '$n=0; while(($r=sysread(STDIN,$b,65536))>0)" +
		"{ $n+=$r; if ($n > 1000000 && $b =~ /0000$/) { syswrite STDOUT, substr($b,0,-4); exit 0 } " +
		"syswrite STDOUT, $b }'\n"
	if err := os.WriteFile(script, []byte(body), 0o755); err != nil {
		t.Fatal(err)
	}
	f.src.Must("-C", dir, "config", "remote.origin.uploadpack", script)

	trace := filepath.Join(t.TempDir(), "trace")
	g := NewRunner(dir, append(f.src.Env(), "GIT_TRACE="+trace))
	err := g.FetchObjects(context.Background(), "origin", f.ids, FetchOptions{Filter: "blob:none", ObjectsDir: objects})
	if err == nil {
		t.Fatal("the fetch succeeded although the connection dropped")
	}
	if data, _ := os.ReadFile(trace); !strings.Contains(string(data), "built-in: git fetch-pack") {
		t.Fatalf("fetch-pack did not run: %v", err)
	}
	if _, stderr, err := f.src.Run("-C", dir, "cat-file", "-e", string(f.ids[0])); err != nil {
		t.Fatalf("the pack did not land before the failure, so this tests nothing: %s", stderr)
	}
	keeps, _ := filepath.Glob(filepath.Join(objects, "pack", "*.keep"))
	if len(keeps) != 0 {
		t.Errorf("locks left behind: %v", keeps)
	}
}

func TestReadFetchLock(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	if lock, ok := ReadFetchLock(write("a.keep", "fetch-pack 42 on build-7\n")); !ok || lock != (FetchLock{42, "build-7"}) {
		t.Errorf("a fetch's lock read as %+v, %v", lock, ok)
	}
	for name, content := range map[string]string{
		"b.keep": "", "c.keep": "receive-pack 42 on h\n", "d.keep": "fetch-pack 42 on h",
		"e.keep": "fetch-pack 0 on h\n", "f.keep": "fetch-pack 42 on h\n" + strings.Repeat("x", 600),
	} {
		if lock, ok := ReadFetchLock(write(name, content)); ok {
			t.Errorf("%q read as a fetch's lock: %+v", content, lock)
		}
	}
	if err := os.Symlink(filepath.Join(dir, "a.keep"), filepath.Join(dir, "g.keep")); err != nil {
		t.Fatal(err)
	}
	if _, ok := ReadFetchLock(filepath.Join(dir, "g.keep")); ok {
		t.Error("a symbolic link was followed")
	}
}

// The route is decided from the configuration the caller handed over
// (UseConfig), without reading it again; without one, git is asked.
func TestFetchRouteUsesTheHandedConfig(t *testing.T) {
	t.Parallel()
	f := newFetchFixture(t)
	dir, _ := f.clone(t) // its own config makes origin a promisor remote
	g := NewRunner(dir, f.src.Env())
	if route := g.fetchRoute(context.Background(), "origin"); !route.direct {
		t.Fatalf("read from git, origin is not fetched directly: %+v", route)
	}
	g = NewRunner(dir, f.src.Env())
	g.UseConfig(Config{{Key: "remote.origin.url", Value: "file://" + f.src.Dir}})
	if route := g.fetchRoute(context.Background(), "origin"); route.direct {
		t.Errorf("the handed config has no promisor remote, yet: %+v", route)
	}
}
