package git

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"
)

// RawChange is one entry of "git diff-tree --raw -z" output.
type RawChange struct {
	OldMode, NewMode string
	OldID, NewID     OID // all zeros for the absent side
	Status           byte
	Path             string
}

// ChangedBlobs streams "<commit> <base>" pairs (base "" for a root commit,
// diffed against the empty tree) through one "git diff-tree --stdin" and
// calls fn with each changed entry. It asks for raw output without rename
// detection, which compares tree entries only: no blob is read, so nothing
// is fetched in a partial clone.
func (r *Runner) ChangedBlobs(ctx context.Context, pairs []Pair, fn func(RawChange) error) error {
	var in strings.Builder
	for _, p := range pairs {
		if p.Base == "" {
			in.WriteString(string(p.Commit) + "\n")
		} else {
			in.WriteString(string(p.Commit) + " " + string(p.Base) + "\n")
		}
	}
	args := []string{"diff-tree", "--stdin", "-r", "--raw", "-z", "--no-renames",
		"--root", "--no-commit-id", "--no-ext-diff", "--no-textconv", "--full-index"}
	p, err := r.startPiped(ctx, args, args, strings.NewReader(in.String()), nil, nil)
	if err != nil {
		return err
	}
	return p.consume(func(out *bufio.Reader) error { return ParseRawZ(out, fn) })
}

// ParseRawZ parses "--raw -z" output without renames: records of
// ":<old mode> <new mode> <old id> <new id> <status>" NUL "<path>" NUL.
// Other records (commit id lines) are skipped.
func ParseRawZ(rd io.Reader, fn func(RawChange) error) error {
	br := bufio.NewReaderSize(rd, 1<<16)
	for {
		head, err := br.ReadString(0)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		head = strings.TrimSuffix(head, "\x00")
		if !strings.HasPrefix(head, ":") {
			continue
		}
		fields := strings.Fields(head[1:])
		if len(fields) != 5 || fields[4] == "" {
			return fmt.Errorf("git diff-tree: malformed raw line %q", head)
		}
		path, err := br.ReadString(0)
		if err != nil {
			return fmt.Errorf("git diff-tree: path missing after %q", head)
		}
		c := RawChange{OldMode: fields[0], NewMode: fields[1], OldID: OID(fields[2]), NewID: OID(fields[3]),
			Status: fields[4][0], Path: strings.TrimSuffix(path, "\x00")}
		if err := fn(c); err != nil {
			return err
		}
	}
}
