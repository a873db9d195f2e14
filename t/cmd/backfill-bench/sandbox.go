package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// sandbox is the benchmark's temporary directory and the environment every
// process runs with: a temporary HOME (so no ~/.gitconfig and no
// ~/.config/git-backfill), GIT_CONFIG_NOSYSTEM=1, the C locale, and nothing
// else from our own environment but PATH. In particular no GIT_* variable
// leaks in (GIT_DIR, GIT_TRACE, GIT_NO_LAZY_FETCH would all change what is
// measured).
type sandbox struct {
	dir string
	env []string
}

func newSandbox(dir string) (*sandbox, error) {
	home := filepath.Join(dir, "home")
	tmp := filepath.Join(dir, "tmp")
	for _, d := range []string{home, tmp} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, err
		}
	}
	env := []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + home,
		"XDG_CONFIG_HOME=" + filepath.Join(home, ".config"),
		"TMPDIR=" + tmp,
		"GIT_CONFIG_NOSYSTEM=1",
		"LC_ALL=C",
		"LANGUAGE=C",
		"TZ=UTC",
	}
	return &sandbox{dir: dir, env: env}, nil
}

// command returns an unstarted process running in dir with the sandbox's
// environment. It gets a process group of its own, and when ctx ends
// (Ctrl-C, an error elsewhere) the whole group gets SIGTERM, SIGKILL 5
// seconds later: git daemon's children and the git processes under
// git-backfill go with their parent, and git removes its temporary files on
// SIGTERM.
func (s *sandbox) command(ctx context.Context, dir, name string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = s.env
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return killGroup(cmd, syscall.SIGTERM) }
	cmd.WaitDelay = 5 * time.Second
	return cmd
}

// killGroup signals the process group led by cmd's process.
func killGroup(cmd *exec.Cmd, sig syscall.Signal) error {
	if cmd.Process == nil {
		return nil
	}
	return syscall.Kill(-cmd.Process.Pid, sig)
}

// git runs git in dir and returns its standard output; a failure carries
// the command line and git's standard error.
func (s *sandbox) git(ctx context.Context, dir string, args ...string) ([]byte, error) {
	return s.gitInput(ctx, dir, nil, args...)
}

// gitInput is git with stdin connected to in (nil for none).
func (s *sandbox) gitInput(ctx context.Context, dir string, in io.Reader, args ...string) ([]byte, error) {
	cmd := s.command(ctx, dir, "git", args...)
	cmd.Stdin = in
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return nil, commandError(cmd, err, stderr.Bytes())
	}
	return stdout.Bytes(), nil
}

// commandError describes a failed process: its command line, the error and
// the end of its standard error.
func commandError(cmd *exec.Cmd, err error, stderr []byte) error {
	msg := strings.TrimSpace(string(stderr))
	if len(msg) > 2000 {
		msg = "..." + msg[len(msg)-2000:]
	}
	line := strings.Join(cmd.Args, " ")
	if len(line) > 200 {
		line = line[:200] + "..."
	}
	if msg == "" {
		return fmt.Errorf("%s: %w", line, err)
	}
	return fmt.Errorf("%s: %w\n%s", line, err, msg)
}

// copyTree copies the directory src to dst (which must not exist) with
// cp -a. A copy of a fresh clone is a fresh clone: the benchmark clones each
// repository once and copies the clone for every run, so runs differ only
// in what is measured.
func (s *sandbox) copyTree(ctx context.Context, src, dst string) error {
	cmd := s.command(ctx, s.dir, "cp", "-a", src, dst)
	if out, err := cmd.CombinedOutput(); err != nil {
		return commandError(cmd, err, out)
	}
	return nil
}
