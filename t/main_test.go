package t

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// -testwork (keep the scripts' work directories) comes from testscript.
var binaryFlag = flag.String("binary", "", "test this git-backfill binary instead of building ./cmd/git-backfill")

// binDir holds the git-backfill binary under test; fixtureRoot holds the
// fixture templates. Both live in a temporary directory that TestMain
// removes at the end.
var binDir, fixtureRoot string

func TestMain(m *testing.M) {
	flag.Parse()
	os.Exit(run(m))
}

func run(m *testing.M) int {
	tmp, err := os.MkdirTemp("", "git-backfill-e2e-")
	if err != nil {
		fmt.Fprintf(os.Stderr, "e2e: %v\n", err)
		return 1
	}
	defer os.RemoveAll(tmp)
	binDir = filepath.Join(tmp, "bin")
	fixtureRoot = filepath.Join(tmp, "fixtures")
	if err := installBinary(binDir, *binaryFlag); err != nil {
		fmt.Fprintf(os.Stderr, "e2e: %v\n", err)
		return 1
	}
	if err := installExamplePlugin(filepath.Join(tmp, "plugins")); err != nil {
		fmt.Fprintf(os.Stderr, "e2e: %v\n", err)
		return 1
	}
	if err := loadGoEnv(); err != nil {
		fmt.Fprintf(os.Stderr, "e2e: %v\n", err)
		return 1
	}
	if _, err := exec.LookPath("git"); err != nil {
		fmt.Fprintf(os.Stderr, "e2e: git is not on PATH: %v\n", err)
		return 1
	}
	return m.Run()
}

// installBinary puts git-backfill into dir: a symlink to prebuilt when it
// is given, else a fresh build of ../cmd/git-backfill.
func installBinary(dir, prebuilt string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	target := filepath.Join(dir, "git-backfill")
	if prebuilt != "" {
		abs, err := filepath.Abs(prebuilt)
		if err != nil {
			return err
		}
		if _, err := os.Stat(abs); err != nil {
			return fmt.Errorf("-binary: %w", err)
		}
		return os.Symlink(abs, target)
	}
	args := []string{"build", "-o", target}
	if raceBuild {
		// The scenarios then find data races in the binary too: one makes
		// it exit 66, which fails the script.
		args = append(args, "-race")
	}
	cmd := exec.Command("go", append(args, "../cmd/git-backfill")...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("go %s ../cmd/git-backfill failed (%v); the end-to-end tests need the binary:\n%s",
			strings.Join(args, " "), err, out)
	}
	return nil
}

// pluginDir holds the example exporter plugin, built as the separate
// program a user would install; scripts find it as $PLUGINS.
var pluginDir string

// installExamplePlugin builds git-backfill-exporter-files into dir.
func installExamplePlugin(dir string) error {
	pluginDir = dir
	const pkg = "../plugins/example/git-backfill-exporter-files"
	out, err := exec.Command("go", "build", "-o", filepath.Join(dir, "git-backfill-exporter-files"), pkg).CombinedOutput()
	if err != nil {
		return fmt.Errorf("go build %s failed (%v):\n%s", pkg, err, out)
	}
	return nil
}

func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata",
		Setup:               setupScript,
		Cmds:                scriptCmds,
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
	})
}

// setupScript gives each script its own git world: a temporary HOME whose
// .gitconfig is the only config git reads (GIT_CONFIG_NOSYSTEM=1), no
// GIT_* variable from the developer's environment, and the binary under
// test first on PATH so that `git backfill` dispatches to it. Commit dates
// are left alone: fixtures and scripts set their own.
func setupScript(env *testscript.Env) error {
	home := filepath.Join(env.WorkDir, ".home")
	if err := os.MkdirAll(home, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(home, ".gitconfig"), []byte(homeGitconfig), 0o644); err != nil {
		return err
	}
	// testscript starts from a short fixed list (PATH, HOME=/no-home,
	// TMPDIR, ...), not from os.Environ; drop any GIT_* all the same.
	vars := env.Vars[:0]
	for _, kv := range env.Vars {
		if !strings.HasPrefix(kv, "GIT_") {
			vars = append(vars, kv)
		}
	}
	env.Vars = vars
	env.Setenv("HOME", home)
	env.Setenv("PATH", binDir+string(os.PathListSeparator)+os.Getenv("PATH"))
	env.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	// Never discover a repository above the script's work directory, so
	// "not a git repository" cases hold wherever the tests run.
	env.Setenv("GIT_CEILING_DIRECTORIES", env.WorkDir)
	// Messages in English, whatever the developer's locale.
	env.Setenv("LC_ALL", "C")
	// The repository under test, for scripts that run its Makefile, and
	// Go's caches, so a build there reuses them instead of filling the
	// temporary HOME.
	env.Setenv("REPO", repoRoot)
	env.Setenv("UID", strconv.Itoa(os.Getuid()))
	env.Setenv("PLUGINS", pluginDir)
	for name, value := range goEnv {
		env.Setenv(name, value)
	}
	env.Values[stateKey{}] = &scriptState{marks: map[string]map[string]bool{}, procs: map[string]*proc{}}
	return nil
}

// repoRoot is the top of this repository; goEnv holds GOCACHE, GOMODCACHE,
// GOPATH, GOPROXY and GOFLAGS as "go env" reports them outside the scripts.
var (
	repoRoot string
	goEnv    = map[string]string{}
)

func loadGoEnv() error {
	abs, err := filepath.Abs("..")
	if err != nil {
		return err
	}
	repoRoot = abs
	names := []string{"GOCACHE", "GOMODCACHE", "GOPATH", "GOPROXY", "GOFLAGS"}
	out, err := exec.Command("go", append([]string{"env"}, names...)...).Output()
	if err != nil {
		return fmt.Errorf("go env: %w", err)
	}
	for i, value := range strings.Split(strings.TrimSuffix(string(out), "\n"), "\n") {
		if i < len(names) && value != "" {
			goEnv[names[i]] = value
		}
	}
	return nil
}

const homeGitconfig = `[user]
	name = E2E Tester
	email = e2e@example.com
[init]
	defaultBranch = main
[protocol "file"]
	allow = always
`
