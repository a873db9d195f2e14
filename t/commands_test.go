package t

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// scriptCmds are the custom commands of the scenarios (see doc.go); those
// without a file named here are in this file or packs_test.go.
var scriptCmds = map[string]func(ts *testscript.TestScript, neg bool, args []string){
	"fixture":   cmdFixture,
	"missing":   cmdMissing,
	"packs":     cmdPacks,
	"waitpacks": cmdWaitpacks,
	"slowpack":  cmdSlowpack,
	"settle":    cmdSettle,
	"exitcode":  cmdExitcode,
	// process_test.go: time limits, background programs and signals;
	// tty_linux_test.go: a terminal as stderr.
	"within":    cmdWithin,
	"spawn":     cmdSpawn,
	"signal":    cmdSignal,
	"waitcode":  cmdWaitcode,
	"ttyerr":    cmdTtyerr,
	"ttyprompt": cmdTtyprompt,
	// json_test.go: --stats=json.
	"jsonfield": cmdJsonfield,
	// objects_test.go: missing objects and servers that refuse some.
	"absent":      cmdAbsent,
	"unfetchable": cmdUnfetchable,
	// servers_test.go: git daemon and toxiproxy on 127.0.0.1.
	"freeport":  cmdFreeport,
	"gitdaemon": cmdGitdaemon,
	"toxiproxy": cmdToxiproxy,
	// stallproxy_test.go: a server that stops sending half-way.
	"stallproxy": cmdStallproxy,
	// httpserver_test.go: git's smart HTTP (http-backend) and a proxy.
	"httpserver": cmdHttpserver,
	"httpproxy":  cmdHttpproxy,
	// export_test.go, export_linux_test.go: git backfill export.
	"records":      cmdRecords,
	"jsonfile":     cmdJsonfile,
	"archive":      cmdArchive,
	"daysago":      cmdDaysago,
	"manycommits":  cmdManycommits,
	"versitygw":    cmdVersitygw,
	"waitfile":     cmdWaitfile,
	"fifo":         cmdFifo,
	"manifest":     cmdManifest,
	"s3put":        cmdS3put,
	"killexporter": cmdKillexporter,
	// buildkite_test.go: a fake Buildkite Test Engine API.
	"buildkite": cmdBuildkite,
}

// stateKey indexes a script's *scriptState in testscript's Env.Values.
type stateKey struct{}

// scriptState is what custom commands remember between lines of a script.
type scriptState struct {
	// marks holds, per absolute pack directory, the promisor packs present
	// at the last `packs mark`.
	marks map[string]map[string]bool
	// procs holds the programs started by spawn, by name, until waitcode.
	procs map[string]*proc
	// daemon is the git daemon of gitdaemon start, until gitdaemon stop.
	daemon *server
	// toxiproxy is the API address of toxiproxy start's server.
	toxiproxy string
}

func state(ts *testscript.TestScript) *scriptState {
	return ts.Value(stateKey{}).(*scriptState)
}

func noNeg(ts *testscript.TestScript, neg bool, name string) {
	if neg {
		ts.Fatalf("unsupported: ! %s", name)
	}
}

// helperEnvKeys are the script variables passed to the git processes that
// custom commands run (testscript keeps the full environment private).
var helperEnvKeys = []string{
	"PATH", "HOME", "TMPDIR", "LC_ALL", "GIT_CONFIG_NOSYSTEM", "GIT_CEILING_DIRECTORIES",
	"GIT_DIR", "GIT_WORK_TREE", "GIT_ASKPASS", "GIT_TERMINAL_PROMPT", "GIT_TRACE",
}

// git runs git in the script's current directory with the script's
// environment and returns its standard output, or fails the script.
func git(ts *testscript.TestScript, args ...string) string {
	return gitInput(ts, "", args...)
}

// gitInput is git with input on its standard input.
func gitInput(ts *testscript.TestScript, input string, args ...string) string {
	cmd := exec.Command("git", args...)
	cmd.Stdin = strings.NewReader(input)
	cmd.Dir = ts.MkAbs(".")
	for _, k := range helperEnvKeys {
		if v := ts.Getenv(k); v != "" {
			cmd.Env = append(cmd.Env, k+"="+v)
		}
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		ts.Fatalf("git %s in %s: %v\n%s", strings.Join(args, " "), cmd.Dir, err, stderr.String())
	}
	return string(out)
}

// fixture src|src-revs <dir>: copies the fixture server repository to dir
// (relative to the current directory), which must not exist yet.
func cmdFixture(ts *testscript.TestScript, neg bool, args []string) {
	noNeg(ts, neg, "fixture")
	if len(args) != 2 {
		ts.Fatalf("usage: fixture src|src-revs <dir>")
	}
	tmpl, err := fixtureTemplate(args[0])
	if err != nil {
		ts.Fatalf("fixture: %v", err)
	}
	if err := copyTree(tmpl, ts.MkAbs(args[1])); err != nil {
		ts.Fatalf("fixture %s: copying template: %v", args[0], err)
	}
}

// missing [-all|<rev>...] <n>: asserts that
// `git rev-list --quiet --objects --missing=print <revs>` (default HEAD,
// -all for --all) prints n lines, one per missing object. It never fetches.
func cmdMissing(ts *testscript.TestScript, neg bool, args []string) {
	noNeg(ts, neg, "missing")
	if len(args) == 0 {
		ts.Fatalf("usage: missing [-all|<rev>...] <n>")
	}
	want, err := strconv.Atoi(args[len(args)-1])
	if err != nil {
		ts.Fatalf("missing: count %q is not a number", args[len(args)-1])
	}
	revs := args[:len(args)-1]
	switch {
	case len(revs) == 0:
		revs = []string{"HEAD"}
	case len(revs) == 1 && revs[0] == "-all":
		revs = []string{"--all"}
	}
	out := git(ts, append([]string{"rev-list", "--quiet", "--objects", "--missing=print"}, revs...)...)
	got := strings.Count(out, "\n")
	if got != want {
		ts.Fatalf("missing objects in %s: have %d, want %d", strings.Join(revs, " "), got, want)
	}
}

// exitcode <n> <cmd> [<arg>...]: runs cmd like exec (stdin from a preceding
// stdin command; stdout and stderr kept for the stdout and stderr commands)
// and asserts that it exits with status n.
func cmdExitcode(ts *testscript.TestScript, neg bool, args []string) {
	noNeg(ts, neg, "exitcode")
	if len(args) < 2 {
		ts.Fatalf("usage: exitcode <n> <cmd> [<arg>...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exitcode: status %q is not a number", args[0])
	}
	err = ts.Exec(args[1], args[2:]...)
	got := 0
	var exitErr *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exitErr):
		got = exitErr.ExitCode() // -1 when killed by a signal
	default:
		ts.Fatalf("exitcode: running %s: %v", args[1], err)
	}
	if got != want {
		ts.Fatalf("%s exited with status %d, want %d", strings.Join(args[1:], " "), got, want)
	}
}

// slowpack <duration>|off: installs (or removes) a global
// uploadpack.packObjectsHook that sleeps for duration before running
// pack-objects, so that every fetch from a file:// remote of this script
// takes at least that long. git honours the hook only from global or
// system config (never from a repository's own), and upload-pack for
// file:// runs locally with the script's HOME, so $HOME/.gitconfig is the
// place. Note that clones become slow too.
func cmdSlowpack(ts *testscript.TestScript, neg bool, args []string) {
	noNeg(ts, neg, "slowpack")
	if len(args) != 1 {
		ts.Fatalf("usage: slowpack <duration>|off")
	}
	config := filepath.Join(ts.Getenv("HOME"), ".gitconfig")
	if args[0] == "off" {
		git(ts, "config", "--file", config, "--unset", "uploadpack.packObjectsHook")
		return
	}
	d, err := time.ParseDuration(args[0])
	if err != nil || d <= 0 {
		ts.Fatalf("slowpack: bad duration %q", args[0])
	}
	hook := filepath.Join(ts.Getenv("HOME"), "slowpack-hook")
	script := fmt.Sprintf("#!/bin/sh\nsleep %g\nexec \"$@\"\n", d.Seconds())
	if err := os.WriteFile(hook, []byte(script), 0o755); err != nil {
		ts.Fatalf("slowpack: %v", err)
	}
	git(ts, "config", "--file", config, "uploadpack.packObjectsHook", hook)
}

// settle <dir> <timeout>: waits until no process but the test itself has its
// working directory in dir. After `kill -KILL` of git-backfill its git
// children (fetch, index-pack, upload-pack, the slowpack hook) live on as
// orphans; a re-run must not race with them. Linux only (/proc); elsewhere
// it sleeps for timeout.
func cmdSettle(ts *testscript.TestScript, neg bool, args []string) {
	noNeg(ts, neg, "settle")
	if len(args) != 2 {
		ts.Fatalf("usage: settle <dir> <timeout>")
	}
	timeout, err := time.ParseDuration(args[1])
	if err != nil {
		ts.Fatalf("settle: bad timeout %q", args[1])
	}
	dir, err := filepath.EvalSymlinks(ts.MkAbs(args[0]))
	if err != nil {
		ts.Fatalf("settle: %v", err)
	}
	if _, err := os.Stat("/proc/self/cwd"); err != nil {
		ts.Logf("settle: no /proc; sleeping %v", timeout)
		time.Sleep(timeout)
		return
	}
	deadline := time.Now().Add(timeout)
	for {
		busy := processesIn(dir)
		if len(busy) == 0 {
			return
		}
		if time.Now().After(deadline) {
			ts.Fatalf("settle: after %v, processes still working in %s: %s", timeout, dir, strings.Join(busy, "; "))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// processesIn lists "pid command" for the processes other than this one
// whose working directory is dir or below it.
func processesIn(dir string) []string {
	entries, _ := os.ReadDir("/proc")
	var busy []string
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == os.Getpid() {
			continue
		}
		cwd, err := os.Readlink(filepath.Join("/proc", e.Name(), "cwd"))
		if err != nil || (cwd != dir && !strings.HasPrefix(cwd, dir+string(filepath.Separator))) {
			continue
		}
		cmdline, _ := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		busy = append(busy, e.Name()+" "+strings.TrimSpace(strings.ReplaceAll(string(cmdline), "\x00", " ")))
	}
	return busy
}
