//go:build !unix

package snapshot

import (
	"context"
	"errors"
	"os"
	"time"
)

var errNoFlock = errors.New("snapshots need flock(2), which this system lacks")

func lockFile(context.Context, string, time.Duration, func()) (*os.File, error) {
	return nil, errNoFlock
}

func tryLock(string) (*os.File, error) { return nil, errNoFlock }
