package git

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"
)

// CommitInfo is what a commit says about itself, as "git rev-list
// --format" prints it. Strings are git's bytes: usually UTF-8, but a
// commit without an encoding header may hold anything but NUL.
type CommitInfo struct {
	ID                                           OID
	Parents                                      []OID
	AuthorName, AuthorEmail, AuthorDate          string // date as %aI: ISO 8601 strict
	CommitterName, CommitterEmail, CommitterDate string
	Message                                      string // the raw message, %B
}

// commitFormat prints the fields NUL-terminated. No field can hold a NUL:
// git stops printing a message at a NUL byte (git log and git show
// truncate the same message there), and names, emails and dates are
// header fields that end at a newline. rev-list adds a newline after each
// commit, which the parser checks, so any desynchronisation fails loudly.
const commitFormat = "--format=%H%x00%P%x00%an%x00%ae%x00%aI%x00%cn%x00%ce%x00%cI%x00%B%x00"

const commitFields = 9

// CommitInfos is a running "git rev-list --no-walk" that prints the
// CommitInfo of listed commits in the order given.
type CommitInfos struct{ *piped }

// StartCommitInfos starts reading the given commits, which must exist and
// be distinct (rev-list prints a repeated commit once). Messages are
// re-encoded to UTF-8 from a commit's encoding header ("--encoding=UTF-8"
// overrides i18n.logOutputEncoding); rev-list reads no log.* settings, so
// neither mailmap, signatures nor decorations change the output. Read with
// Next, then Close.
func (r *Runner) StartCommitInfos(ctx context.Context, ids []OID) (*CommitInfos, error) {
	args := []string{"rev-list", "--no-walk=unsorted", "--stdin", "--no-commit-header",
		"--encoding=UTF-8", commitFormat, "--"}
	p, err := r.startPiped(ctx, args, args, newLinesReader(ids), nil, nil)
	if err != nil {
		return nil, err
	}
	return &CommitInfos{p}, nil
}

// Next returns the next commit's information, or io.EOF after the last.
// If git failed, the error is git's.
func (c *CommitInfos) Next() (CommitInfo, error) {
	info, err := ReadCommitInfo(c.out)
	if err == io.EOF {
		if werr := c.wait(); werr != nil {
			return CommitInfo{}, werr
		}
		return CommitInfo{}, io.EOF
	}
	if err != nil {
		return CommitInfo{}, c.fail(fmt.Errorf("git rev-list: %w", err))
	}
	return info, nil
}

// Close stops the process if it is still running.
func (c *CommitInfos) Close() error { return c.stop() }

// ReadCommitInfo parses one commit of commitFormat output: nine
// NUL-terminated fields and a newline. It returns io.EOF at a clean end.
func ReadCommitInfo(br *bufio.Reader) (CommitInfo, error) {
	var f [commitFields]string
	for i := range f {
		b, err := br.ReadBytes(0)
		if err == io.EOF && i == 0 && len(b) == 0 {
			return CommitInfo{}, io.EOF
		}
		if err != nil {
			return CommitInfo{}, fmt.Errorf("truncated commit record: %w", io.ErrUnexpectedEOF)
		}
		f[i] = string(b[:len(b)-1])
	}
	if nl, err := br.ReadByte(); err != nil || nl != '\n' {
		return CommitInfo{}, fmt.Errorf("commit %.64q: record does not end after its message", f[0])
	}
	if !IsHexID(f[0]) {
		return CommitInfo{}, fmt.Errorf("malformed commit id %.80q", f[0])
	}
	info := CommitInfo{ID: OID(f[0]), Parents: []OID{},
		AuthorName: f[2], AuthorEmail: f[3], AuthorDate: f[4],
		CommitterName: f[5], CommitterEmail: f[6], CommitterDate: f[7], Message: f[8]}
	if f[1] != "" {
		for _, p := range strings.Split(f[1], " ") {
			id, ok := ParseOID(p)
			if !ok {
				return CommitInfo{}, fmt.Errorf("commit %s: malformed parent %.80q", f[0], p)
			}
			info.Parents = append(info.Parents, id)
		}
	}
	return info, nil
}

// linesReader reads lines, each followed by a newline, without building
// the whole input first.
type linesReader struct {
	lines []string
	cur   []byte
}

func newLinesReader[S ~string](lines []S) *linesReader {
	r := &linesReader{lines: make([]string, len(lines))}
	for i, l := range lines {
		r.lines[i] = string(l)
	}
	return r
}

func (r *linesReader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if len(r.cur) == 0 {
			if len(r.lines) == 0 {
				break
			}
			r.cur = append(append(r.cur[:0], r.lines[0]...), '\n')
			r.lines = r.lines[1:]
		}
		c := copy(p[n:], r.cur)
		r.cur = r.cur[c:]
		n += c
	}
	if n == 0 && len(p) > 0 {
		return 0, io.EOF
	}
	return n, nil
}
