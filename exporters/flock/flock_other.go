//go:build !unix

package flock

import (
	"context"
	"errors"
	"os"
	"time"
)

var errNoFlock = errors.New("file locks need flock(2), which this system lacks")

// ErrLocked is the error of a Lock that timed out.
var ErrLocked = errors.New("still locked by another process")

// Lock fails: this system has no flock(2).
func Lock(context.Context, string, time.Duration, func()) (*os.File, error) {
	return nil, errNoFlock
}

// TryLock fails: this system has no flock(2).
func TryLock(string) (*os.File, error) { return nil, errNoFlock }
