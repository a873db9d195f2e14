package snapshot

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/git-backfill/git-backfill/exporters/flock"
	"github.com/git-backfill/git-backfill/internal/git"
	"github.com/git-backfill/git-backfill/internal/gittest"
)

// mirror makes a bare mirror of a small repository and a Runner for it.
func mirror(t *testing.T) (*git.Runner, *git.Repo, []git.ConfigEntry) {
	src := gittest.New(t, []string{"a.txt", "dir/b.txt"})
	dir := filepath.Join(t.TempDir(), "mirror.git")
	src.Must("clone", "-q", "--mirror", src.Dir, dir)
	r := git.NewRunner(dir, src.Env())
	ctx := context.Background()
	repo, err := r.Discover(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := r.ReadConfig(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return r, repo, cfg
}

func TestTakeAndRemove(t *testing.T) {
	r, repo, cfg := mirror(t)
	ctx := context.Background()
	s, err := Take(ctx, r, repo, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	snap := r.ForGitDir(s.GitDir)
	want, _ := r.Output(ctx, "for-each-ref")
	got, err := snap.Output(ctx, "for-each-ref")
	if err != nil || string(got) != string(want) {
		t.Errorf("snapshot refs %q (%v), mirror's %q", got, err, want)
	}
	// The clone's origin (the mirror) is replaced by the mirror's remote.
	url, _ := snap.Output(ctx, "config", "remote.origin.url")
	mirrorURL, _ := r.Output(ctx, "config", "remote.origin.url")
	if string(url) != string(mirrorURL) {
		t.Errorf("snapshot's origin %q, want the mirror's %q", url, mirrorURL)
	}
	if s.SharedBytes == 0 {
		t.Errorf("no hard-linked bytes: %+v", s)
	}
	if err := s.Remove(); err != nil {
		t.Fatal(err)
	}
	if err := s.Remove(); err != nil {
		t.Errorf("second Remove: %v", err)
	}
	if left, _ := filepath.Glob(repo.GitDir + infix + "*"); len(left) != 0 {
		t.Errorf("left behind: %v", left)
	}
}

func TestTakeRemovesOnlyStaleSnapshots(t *testing.T) {
	r, repo, cfg := mirror(t)
	stale := repo.GitDir + infix + "stale"
	if err := os.MkdirAll(filepath.Join(stale, "objects"), 0o755); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-2 * staleAge)
	for _, p := range []string{stale + ".lock"} {
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, old, old); err != nil {
			t.Fatal(err)
		}
	}
	// In use: old, but its lock is held.
	inUse := repo.GitDir + infix + "inuse"
	if err := os.MkdirAll(inUse, 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(inUse+".lock", nil, 0o644)
	os.Chtimes(inUse+".lock", old, old)
	held, err := flock.TryLock(inUse + ".lock")
	if err != nil || held == nil {
		t.Fatalf("locking: %v", err)
	}
	defer held.Close()

	s, err := Take(context.Background(), r, repo, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Remove()
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("stale snapshot not removed: %v", err)
	}
	if _, err := os.Stat(inUse); err != nil {
		t.Errorf("snapshot in use removed: %v", err)
	}
}

func TestTakeWaitsForTheUpdateLock(t *testing.T) {
	r, repo, cfg := mirror(t)
	lockPath := filepath.Join(repo.GitDir, LockName)
	held, err := flock.Lock(context.Background(), lockPath, time.Second, nil)
	if err != nil {
		t.Fatal(err)
	}
	waited := make(chan string, 1)
	go func() {
		time.Sleep(300 * time.Millisecond)
		held.Close()
	}()
	s, err := Take(context.Background(), r, repo, cfg, func(lock string) { waited <- lock })
	if err != nil {
		t.Fatal(err)
	}
	defer s.Remove()
	select {
	case got := <-waited:
		if got != lockPath {
			t.Errorf("waiting for %s, want %s", got, lockPath)
		}
	default:
		t.Error("Take did not report waiting for the held lock")
	}
	if s.Waited < 200*time.Millisecond {
		t.Errorf("Waited %v while the lock was held for 300ms", s.Waited)
	}
}

func TestTakeRefusesAWorkTree(t *testing.T) {
	src := gittest.New(t, []string{"a.txt"})
	r := git.NewRunner(src.Dir, src.Env())
	repo, err := r.Discover(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Take(context.Background(), r, repo, nil, nil); err == nil || !strings.Contains(err.Error(), "not a bare repository") {
		t.Errorf("got %v", err)
	}
}
