//go:build unix

// Package flock takes exclusive flock(2) locks on files: advisory locks
// that other processes (and flock(1) in scripts) honour, and that the
// kernel releases when their holder dies, so a killed process never
// leaves a stale lock. It imports only the standard library, so exporters
// can use it.
package flock

import (
	"context"
	"errors"
	"fmt"
	"os"
	"syscall"
	"time"
)

// lockPoll is how often a held lock is tried again.
const lockPoll = 50 * time.Millisecond

// Lock takes an exclusive flock(2) on path, creating the file if needed,
// and returns the open file that holds it (closing it releases the lock,
// as does the process's death). It calls waiting, if not nil, once if
// another holder has the lock, and gives up after timeout (0: never) or
// when ctx is done. Locks of one process on separately opened files
// exclude each other too.
func Lock(ctx context.Context, path string, timeout time.Duration, waiting func()) (*os.File, error) {
	// Never through a symbolic link: one planted in a shared directory
	// would have us create or lock a file of the planter's choosing.
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|syscall.O_NOFOLLOW, 0o666)
	if errors.Is(err, os.ErrPermission) {
		// A mirror we may read but not write: a lock on a read-only
		// descriptor is as good.
		f, err = os.OpenFile(path, os.O_RDONLY|syscall.O_NOFOLLOW, 0)
	}
	if errors.Is(err, syscall.ELOOP) {
		return nil, fmt.Errorf("the lock %s is a symbolic link: refusing to follow it", path)
	}
	if err != nil {
		return nil, fmt.Errorf("opening the lock %s: %w", path, err)
	}
	deadline := time.Now().Add(timeout)
	for first := true; ; first = false {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return f, nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) && !errors.Is(err, syscall.EINTR) {
			f.Close()
			return nil, fmt.Errorf("locking %s: %w", path, err)
		}
		if first && waiting != nil {
			waiting()
		}
		if timeout > 0 && time.Now().After(deadline) {
			f.Close()
			return nil, fmt.Errorf("%s: %w after %s", path, ErrLocked, timeout)
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, context.Cause(ctx)
		case <-time.After(lockPoll):
		}
	}
}

// ErrLocked is the error of a Lock that timed out.
var ErrLocked = errors.New("still locked by another process")

// TryLock takes an exclusive flock(2) on an existing file without waiting;
// nil, nil when another holder has it.
func TryLock(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|syscall.O_NOFOLLOW, 0)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, nil
		}
		return nil, err
	}
	return f, nil
}
