package git

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os/exec"
)

// CatFile is a running "git cat-file --batch-command" for reading objects
// that are known to be present. Asking it for a missing object in a
// partial clone makes git fetch that object alone (a lazy fetch), so
// callers must only ask for objects the object store is known to hold.
// A CatFile is not safe for concurrent use.
type CatFile struct {
	*piped
	w    *bufio.Writer // Send's buffer
	bufs [2][]byte     // Receive's buffers, used in turn
	flip int
}

// StartCatFile starts "git cat-file --batch-command --buffer" (git 2.36
// and later). Plain --batch writes each reply with a system call of its
// own, and the reader wakes for each: a walk of git/git's 170,000 trees
// pays that twice per tree. Buffered, git writes full buffers and only the
// "flush" that Flush sends pushes out the last of them. Close it when done.
func (r *Runner) StartCatFile(ctx context.Context) (*CatFile, error) {
	args := []string{"cat-file", "--batch-command", "--buffer"}
	p, err := r.startPiped(ctx, args, args, nil, func(cmd *exec.Cmd) {
		// GIT_NO_LAZY_FETCH makes git 2.44 and later refuse a lazy fetch
		// here outright; older git ignores it, and the callers' contract
		// protects us.
		cmd.Env = append(cmd.Env, "GIT_NO_LAZY_FETCH=1")
	}, nil)
	if err != nil {
		return nil, err
	}
	return &CatFile{piped: p, w: bufio.NewWriterSize(p.in, 1<<16)}, nil
}

// Send queues a request for the object with hex id. Requests reach git
// when the buffer fills or on Flush, and the replies may wait in git's
// buffer until Flush. Send and Flush may run in one goroutine while
// Receive runs in another: git answers while it reads.
func (c *CatFile) Send(id []byte) error {
	_, _ = c.w.WriteString("contents ")
	_, _ = c.w.Write(id)
	if err := c.w.WriteByte('\n'); err != nil {
		return fmt.Errorf("git cat-file: writing requests: %w", err)
	}
	return nil
}

// Flush hands the queued requests to git and has it write every reply.
func (c *CatFile) Flush() error {
	_, _ = c.w.WriteString("flush\n")
	if err := c.w.Flush(); err != nil {
		return fmt.Errorf("git cat-file: writing requests: %w", err)
	}
	return nil
}

// Receive reads the reply to the oldest unanswered request, which must be
// for hex id want, and returns the object's type and content. The content
// stays valid until the second Receive after this one, so a caller can
// compare an object with the one before it. Receive allocates nothing once
// its buffers have grown to the largest object.
func (c *CatFile) Receive(want []byte) (string, []byte, error) {
	line, err := c.out.ReadSlice('\n')
	if err != nil {
		return "", nil, c.fail(fmt.Errorf("git cat-file: reading %s: %w", want, err))
	}
	typ, size, err := parseBatchHeader(line, want)
	if err != nil {
		return "", nil, c.fail(err)
	}
	c.flip ^= 1
	if cap(c.bufs[c.flip]) < size+1 {
		c.bufs[c.flip] = make([]byte, size+1)
	}
	buf := c.bufs[c.flip][:size+1]
	if _, err := io.ReadFull(c.out, buf); err != nil {
		return "", nil, c.fail(fmt.Errorf("git cat-file: reading %s: %w", want, err))
	}
	return typ, buf[:size], nil
}

// parseBatchHeader reads cat-file's "<id> <type> <size>\n" reply line.
// The type comes back as a constant string for the four object types, so
// a caller comparing it allocates nothing.
func parseBatchHeader(line, want []byte) (string, int, error) {
	rest, ok := bytes.CutPrefix(line, want)
	if !ok || len(rest) < 2 || rest[0] != ' ' {
		return "", 0, fmt.Errorf("git cat-file: unexpected reply %q for %s", line, want)
	}
	rest = bytes.TrimSuffix(rest[1:], []byte("\n"))
	if string(rest) == "missing" {
		return "", 0, fmt.Errorf("git cat-file: object %s is missing", want)
	}
	typ, num, ok := bytes.Cut(rest, []byte(" "))
	if !ok {
		return "", 0, fmt.Errorf("git cat-file: unexpected reply %q for %s", line, want)
	}
	size := 0
	for _, d := range num {
		if d < '0' || d > '9' || size > 1<<40 {
			return "", 0, fmt.Errorf("git cat-file: bad size in %q", line)
		}
		size = size*10 + int(d-'0')
	}
	if len(num) == 0 {
		return "", 0, fmt.Errorf("git cat-file: bad size in %q", line)
	}
	for _, t := range []string{"tree", "blob", "commit", "tag"} {
		if string(typ) == t {
			return t, size, nil
		}
	}
	return "", 0, fmt.Errorf("git cat-file: unknown object type in %q", line)
}

// ReadEach asks for all ids at once and calls fn with each object's type
// and content, in the order of ids. Writing requests while reading replies
// keeps git busy without a round trip per object. data is only valid
// during the call to fn.
func (c *CatFile) ReadEach(ids []OID, fn func(id OID, typ string, data []byte) error) error {
	writeErr := make(chan error, 1)
	go func() {
		for _, id := range ids {
			if err := c.Send([]byte(id)); err != nil {
				writeErr <- err
				return
			}
		}
		writeErr <- c.Flush()
	}()
	for _, id := range ids {
		typ, data, err := c.Receive([]byte(id))
		if err != nil {
			<-writeErr
			return err
		}
		if err := fn(id, typ, data); err != nil {
			<-writeErr
			return err
		}
	}
	if err := <-writeErr; err != nil {
		return c.fail(err)
	}
	return nil
}
