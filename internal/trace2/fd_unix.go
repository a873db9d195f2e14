//go:build unix

package trace2

import (
	"io"
	"syscall"
)

// openFD returns a writer to file descriptor fd, which the process
// inherited (a target of "3" to "9"). It writes with write(2) directly: an
// *os.File would close fd once collected. The descriptor must be open
// now, when nothing of ours can have taken its number yet.
func openFD(fd int) (io.Writer, error) {
	var st syscall.Stat_t
	if err := syscall.Fstat(fd, &st); err != nil {
		return nil, err
	}
	return fdWriter(fd), nil
}

type fdWriter int

func (w fdWriter) Write(p []byte) (int, error) {
	n, err := syscall.Write(int(w), p)
	if err != nil {
		return max(n, 0), err
	}
	if n < len(p) {
		return n, io.ErrShortWrite
	}
	return n, nil
}

// nonblock opens a FIFO without waiting for a reader.
const nonblock = syscall.O_NONBLOCK
