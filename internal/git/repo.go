package git

import (
	"context"
	"fmt"
	"strings"
)

// Repo describes the repository git-backfill was started in.
type Repo struct {
	GitDir       string // absolute $GIT_DIR
	ObjectsDir   string // absolute object directory
	WorkTree     string // absolute top of the work tree; "" when bare
	Prefix       string // current directory relative to WorkTree, "" or ending in "/"
	Bare         bool
	ObjectFormat string // "sha1" or "sha256"
}

// OIDLength is the length of a binary object id in this repository.
func (r *Repo) OIDLength() int {
	if r.ObjectFormat == "sha256" {
		return 32
	}
	return 20
}

// Discover finds the repository the way git itself does from r.Dir,
// honouring GIT_DIR and GIT_WORK_TREE. Outside a repository it returns
// git's own "not a git repository" message.
func (r *Runner) Discover(ctx context.Context) (*Repo, error) {
	// The top of the work tree needs a call of its own (it is an error in
	// a bare repository); it runs beside the first, whose answer says
	// whether to use it, so discovery costs one process's time, not two.
	type result struct {
		out []byte
		err error
	}
	topc := make(chan result, 1)
	go func() {
		out, err := r.Output(ctx, "rev-parse", "--show-toplevel")
		topc <- result{out, err}
	}()
	out, err := r.Output(ctx, "rev-parse", "--path-format=absolute",
		"--git-dir", "--git-path", "objects", "--is-bare-repository",
		"--show-object-format", "--show-prefix")
	top := <-topc
	if err != nil {
		return nil, err
	}
	// --show-prefix prints an empty line at the top and in a bare repository.
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(lines) < 4 {
		return nil, fmt.Errorf("git rev-parse: unexpected output %q", out)
	}
	repo := &Repo{
		GitDir:       lines[0],
		ObjectsDir:   lines[1],
		Bare:         lines[2] == "true",
		ObjectFormat: lines[3],
	}
	if len(lines) > 4 {
		repo.Prefix = lines[4]
	}
	if !repo.Bare {
		if top.err != nil {
			return nil, top.err
		}
		repo.WorkTree = strings.TrimSuffix(string(top.out), "\n")
	}
	return repo, nil
}

// GitPath resolves a path inside $GIT_DIR the way git does (worktree-aware:
// info/sparse-checkout is per worktree) and returns it absolute.
func (r *Runner) GitPath(ctx context.Context, name string) (string, error) {
	out, err := r.Output(ctx, "rev-parse", "--path-format=absolute", "--git-path", name)
	if err != nil {
		return "", err
	}
	return strings.TrimSuffix(string(out), "\n"), nil
}
