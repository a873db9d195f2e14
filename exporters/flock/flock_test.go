//go:build unix

package flock

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestLockExcludesTimesOutAndCancels(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.lock")
	held, err := Lock(context.Background(), path, time.Second, nil)
	if err != nil {
		t.Fatal(err)
	}
	if f, err := TryLock(path); f != nil || err != nil {
		t.Errorf("TryLock of a held lock: %v, %v", f, err)
	}
	waited := false
	if _, err := Lock(context.Background(), path, 100*time.Millisecond, func() { waited = true }); !errors.Is(err, ErrLocked) {
		t.Errorf("held lock: got %v, want ErrLocked", err)
	}
	if !waited {
		t.Error("waiting was not called")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Lock(ctx, path, 0, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: got %v", err)
	}
	held.Close()
	f, err := TryLock(path)
	if f == nil || err != nil {
		t.Fatalf("TryLock after release: %v, %v", f, err)
	}
	f.Close()
}

// A lock planted as a symbolic link is refused, not followed: the target
// is neither created nor locked.
func TestLockRefusesSymlink(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "victim")
	link := filepath.Join(dir, "x.lock")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	if f, err := Lock(context.Background(), link, time.Second, nil); err == nil || !strings.Contains(err.Error(), "symbolic link") {
		if f != nil {
			f.Close()
		}
		t.Fatalf("Lock through a symlink: %v", err)
	}
	if _, err := os.Lstat(target); !os.IsNotExist(err) {
		t.Fatalf("the link's target was created: %v", err)
	}
	if f, err := TryLock(link); err == nil {
		if f != nil {
			f.Close()
		}
		t.Fatal("TryLock followed the link")
	}
}
