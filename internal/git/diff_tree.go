package git

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"slices"
)

// DiffOptions say what a DiffTree prints.
type DiffOptions struct {
	Patch     bool     // the patch too, not only raw and numstat lines
	Pathspecs []string // limit the diffs to these top-relative pathspecs
}

// DiffTree is a running "git diff-tree --stdin" that diffs (commit, base)
// pairs as they are sent, so one process serves a whole export. It is not
// safe for concurrent use; run several for parallel diffs.
type DiffTree struct{ *piped }

// endMark follows each pair on diff-tree's input. diff-tree echoes a line
// that does not start with an object id and flushes its output, so the
// mark ends each commit's block exactly and at once. No diff output line
// can be "\x01": patch lines start with a prefix character or a header
// word, and paths with control characters are quoted.
const endMark = "\x01\n"

// diffArgs pins every option that shapes the output, so that neither user
// configuration nor defaults of another git version change it. diff-tree
// is plumbing and ignores diff.noprefix, diff.mnemonicPrefix, diff.renames,
// diff.external, diff.algorithm and core.abbrev, but it does read the
// "basic" diff configuration: diff.suppressBlankEmpty would drop the space
// of empty context lines and diff.renameLimit changes which renames are
// found; core.attributesFile (the user's global attributes) could mark
// files binary. Attributes committed in the repository and the diff
// drivers they name still apply, as in git log.
func diffArgs(opts DiffOptions) []string {
	args := []string{
		"-c", "diff.suppressBlankEmpty=false",
		"-c", "core.attributesFile=" + os.DevNull,
		"diff-tree", "--stdin", "--always", "-r", "--root",
		"--raw", "--numstat", "-M", "-l1000",
		"--full-index", "--no-abbrev", "--no-color", "--no-ext-diff", "--no-textconv",
		"--ignore-submodules=none", "--diff-algorithm=myers", "--indent-heuristic",
		"--src-prefix=a/", "--dst-prefix=b/",
	}
	if opts.Patch {
		args = append(args, "-p")
	}
	args = append(args, "--")
	return append(args, opts.Pathspecs...)
}

// StartDiffTree starts "git diff-tree --stdin" with the fixed options of
// diffArgs: recursive, renames detected (-M, git's default similarity and
// limit), full ids, no colour, external diff or textconv. Close it when done.
func (r *Runner) StartDiffTree(ctx context.Context, opts DiffOptions) (*DiffTree, error) {
	args := diffArgs(opts)
	name := args[slices.Index(args, "diff-tree"):] // "git diff-tree" in messages, not "git -c"
	p, err := r.startPiped(ctx, name, args, nil, nil, nil)
	if err != nil {
		return nil, err
	}
	return &DiffTree{piped: p}, nil
}

// Diff sends pairs ({commit, base}; base "" for a root commit, diffed
// against the empty tree) and calls fn with each pair's output block, in
// order: the input of ParseDiff. The block is fn's to keep. If fn fails,
// the remaining blocks are read and dropped so the process stays usable,
// and fn's error is returned. If git fails, the process is stopped.
func (d *DiffTree) Diff(pairs []Pair, fn func(i int, block []byte) error) error {
	// Input is written while output is read: git answers each line as it
	// comes, and a large batch would otherwise fill both pipes.
	writeErr := make(chan error, 1)
	go func() {
		w := bufio.NewWriter(d.in)
		for _, p := range pairs {
			w.WriteString(string(p.Commit))
			if p.Base != "" {
				w.WriteString(" " + string(p.Base))
			}
			w.WriteString("\n" + endMark)
		}
		writeErr <- w.Flush()
	}()
	var fnErr error
	for i, p := range pairs {
		block, err := d.readBlock()
		if err != nil {
			err = d.fail(fmt.Errorf("git diff-tree: reading the diff of %s: %w", p.Commit, err))
			<-writeErr
			return err
		}
		if fnErr == nil {
			fnErr = fn(i, block)
		}
	}
	if err := <-writeErr; err != nil {
		return d.fail(fmt.Errorf("git diff-tree: writing pairs: %w", err))
	}
	return fnErr
}

// readBlock reads up to and without the next end mark.
func (d *DiffTree) readBlock() ([]byte, error) {
	var block []byte
	for {
		line, err := d.out.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			block = append(block, line...)
			continue
		}
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return nil, err
		}
		if string(line) == endMark && (len(block) == 0 || block[len(block)-1] == '\n') {
			return block, nil
		}
		block = append(block, line...)
	}
}

// Pair is a commit and the commit its diff is taken against, its base.
// An empty Base stands for a root commit, diffed against the empty tree.
type Pair struct {
	Commit, Base OID
}
