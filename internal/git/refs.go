package git

import (
	"context"
	"fmt"
	"io"
	"strings"
)

// ExistingRefs returns which of refs (full names) exist, in the order of
// refs, with one "git for-each-ref".
func (r *Runner) ExistingRefs(ctx context.Context, refs []string) ([]string, error) {
	out, err := r.Output(ctx, append([]string{"for-each-ref", "--format=%(refname)"}, refs...)...)
	if err != nil {
		return nil, err
	}
	have := map[string]bool{}
	for _, ref := range strings.Fields(string(out)) {
		have[ref] = true
	}
	var existing []string
	for _, ref := range refs {
		if have[ref] {
			existing = append(existing, ref)
		}
	}
	return existing, nil
}

// HasCommit reports whether rev names a commit ("HEAD" on an unborn branch
// does not).
func (r *Runner) HasCommit(ctx context.Context, rev string) bool {
	_, err := r.Output(ctx, "rev-parse", "--verify", "--quiet", rev+"^{commit}")
	return err == nil
}

// CommitQuery selects commits as "git rev-list" does.
type CommitQuery struct {
	Revs  []string  // rev-list's own arguments, already vetted by the caller
	Stdin io.Reader // input for --stdin among Revs; nil for none
	// Pathspecs, if any, keep only commits that change those paths, with
	// --full-history so merges that bring a side branch's changes count.
	Pathspecs []string
}

// ListCommits runs "git rev-list <revs> -- [<pathspecs>]" and returns the
// commit ids, newest first as git log shows them. The "--" makes a name
// that is no revision fail as "bad revision" instead of a path.
func (r *Runner) ListCommits(ctx context.Context, q CommitQuery) ([]OID, error) {
	args := append([]string{"rev-list"}, q.Revs...)
	if len(q.Pathspecs) > 0 {
		args = append(append(args, "--full-history", "--"), q.Pathspecs...)
	} else {
		args = append(args, "--")
	}
	var out []OID
	err := r.StreamLines(ctx, q.Stdin, args, func(line string) error {
		id, ok := ParseOID(line)
		if !ok {
			return fmt.Errorf("git rev-list: unexpected line %q", line)
		}
		out = append(out, id)
		return nil
	})
	return out, err
}

// CloneMirror makes dst a bare mirror of the local repository src with
// "git clone --mirror --local": hard links on one file system, and no
// sample hooks (--template=).
func (r *Runner) CloneMirror(ctx context.Context, src, dst string) error {
	_, err := r.Output(ctx, "clone", "--mirror", "--local", "--template=", "--quiet", "--", src, dst)
	return err
}

// SetConfig sets key to value in the repository's own config file.
func (r *Runner) SetConfig(ctx context.Context, key, value string) error {
	_, err := r.Output(ctx, "config", key, value)
	return err
}

// RemoveConfigSection removes a section ("remote.origin") from the
// repository's own config file.
func (r *Runner) RemoveConfigSection(ctx context.Context, section string) error {
	_, err := r.Output(ctx, "config", "--remove-section", section)
	return err
}

// AddConfig adds a value for key in the repository's own config file,
// keeping the values it has (a multi-valued key such as remote.*.fetch).
func (r *Runner) AddConfig(ctx context.Context, key, value string) error {
	_, err := r.Output(ctx, "config", "--add", key, value)
	return err
}
