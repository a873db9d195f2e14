//go:build !unix

package trace2

import (
	"errors"
	"io"
)

// openFD refuses file descriptor targets: on this system the process has
// no inherited descriptors to name by number.
func openFD(int) (io.Writer, error) {
	return nil, errors.New("file descriptor targets are not supported on this system")
}

// nonblock: no FIFOs to wait on here.
const nonblock = 0
