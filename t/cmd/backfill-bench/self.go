package main

import (
	"context"
	"fmt"
	"os"
)

// selfRepo returns the top of the working tree that holds the current
// directory: the repository the self preset copies. run asks for it before
// measuring anything, so that a run of every preset outside a repository
// fails at once rather than after the others.
func selfRepo(ctx context.Context, sb *sandbox) (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	out, err := sb.git(ctx, wd, "rev-parse", "--show-toplevel")
	if err != nil {
		return "", fmt.Errorf("preset self measures the git repository holding the current directory: %w", err)
	}
	return string(trimNewline(out)), nil
}

// copySelf makes the self preset's server dir from the repository top:
// "git clone --bare --no-local" makes a packed copy of its own (never hard
// links into the original, which the benchmark must not touch) holding
// every branch and tag, which is then repacked with a reachability bitmap
// like the generated servers. Only what is committed is copied.
func copySelf(ctx context.Context, sb *sandbox, top, dir string) error {
	if _, err := sb.git(ctx, sb.dir, "clone", "--quiet", "--bare", "--no-local", top, dir); err != nil {
		return err
	}
	if _, err := sb.git(ctx, dir, "repack", "-a", "-d", "-b", "-q"); err != nil {
		return err
	}
	return serve(ctx, sb, dir)
}
