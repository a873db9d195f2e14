package t

import (
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Fixture server repositories, built in code once per test binary run into
// fixtureRoot and copied for each use (cmdFixture).
//
// src (the layout of git's t5620-backfill.sh): 8 commits on main. For i in
// 1 2, for n in 1..4, file.<n>.txt in each of the six directories ., a,
// a/b, a/b/c, d and d/f is written with "Version <i> of file <dir>/<n>"
// ("Version <i> of file <n>" at the top), then committed as "Iteration <n>".
// So commit k (1..4) adds file.k.txt at version 1 and commit 4+k moves it to
// version 2: 24 paths x 2 versions = 48 blobs, all reachable from HEAD.
// Commit k is dated 2024-01-0k 00:00:00 UTC (author and committer).
//
// src-revs: src plus
//   - side, branched from main's tip: "Side commit 1" writes s/file.1.txt
//     and s/file.2.txt as "Side version 1 of file <n>" (2024-01-09), "Side
//     commit 2" rewrites them as "Side version 2 of file <n>" (2024-01-10);
//   - main merges side with --no-ff, "Merge side branch" (2024-01-11):
//     52 blobs reachable from main, of which s/'s version 1 only through
//     the side commit 1 (so --first-parent leaves those 2 out);
//   - other, branched from main~1 (the 8th commit, after the merge), "Other
//     commit" adds o/file.1.txt and o/file.2.txt as "Other content <n>"
//     (2024-01-12), never merged: 54 blobs reachable from --all.
//
// HEAD is main in both. Both allow filters and any object id in wants
// (uploadpack.allowFilter, uploadpack.allowAnySHA1InWant) so partial clones
// and backfill fetches work over file://.
var fixtures = map[string]func(dir string) error{
	"src":      buildSrc,
	"src-revs": buildSrcRevs,
}

var fixtureOnce sync.Map // name → func() (string, error), from sync.OnceValues

// fixtureTemplate returns the directory of the named fixture's template,
// building it on first use. Safe for concurrent use by parallel scripts.
func fixtureTemplate(name string) (string, error) {
	build, ok := fixtures[name]
	if !ok {
		return "", fmt.Errorf("unknown fixture %q (have src, src-revs)", name)
	}
	once, _ := fixtureOnce.LoadOrStore(name, sync.OnceValues(func() (string, error) {
		dir := filepath.Join(fixtureRoot, name)
		if err := build(dir); err != nil {
			return "", fmt.Errorf("building fixture %s: %w", name, err)
		}
		return dir, nil
	}))
	return once.(func() (string, error))()
}

// fixtureEpoch is the date of the first fixture commit; each later commit
// is one day later.
var fixtureEpoch = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// fixtureRepo runs git in a fixture repository under construction with an
// environment of its own: nothing from the developer's git config or GIT_*
// variables, fixed identities, and the date of the commit being made.
type fixtureRepo struct {
	dir  string
	home string
	day  int // commits made so far; the next one is dated fixtureEpoch+day
}

func (r *fixtureRepo) git(args ...string) error {
	cmd := exec.Command("git", args...)
	cmd.Dir = r.dir
	date := strconv.FormatInt(fixtureEpoch.AddDate(0, 0, r.day).Unix(), 10) + " +0000"
	cmd.Env = []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + r.home,
		"LC_ALL=C",
		"GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME=Fixture Author",
		"GIT_AUTHOR_EMAIL=author@example.com",
		"GIT_COMMITTER_NAME=Fixture Committer",
		"GIT_COMMITTER_EMAIL=committer@example.com",
		"GIT_AUTHOR_DATE=" + date,
		"GIT_COMMITTER_DATE=" + date,
	}
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return nil
}

// commit stages everything and commits it with the next fixture date.
func (r *fixtureRepo) commit(msg string, extra ...string) error {
	if err := r.git("add", "-A"); err != nil {
		return err
	}
	if err := r.git(append([]string{"commit", "-q", "-m", msg}, extra...)...); err != nil {
		return err
	}
	r.day++
	return nil
}

func (r *fixtureRepo) write(name, content string) error {
	path := filepath.Join(r.dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, []byte(content+"\n"), 0o644)
}

// buildSrc creates fixture src at dir and returns nil or the failing step.
func buildSrc(dir string) error {
	_, err := newSrc(dir)
	return err
}

func newSrc(dir string) (*fixtureRepo, error) {
	home := dir + ".home"
	for _, d := range []string{dir, home} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, err
		}
	}
	r := &fixtureRepo{dir: dir, home: home}
	if err := r.git("init", "-q", "-b", "main"); err != nil {
		return nil, err
	}
	for _, kv := range [][2]string{
		{"uploadpack.allowFilter", "true"},
		{"uploadpack.allowAnySHA1InWant", "true"},
	} {
		if err := r.git("config", kv[0], kv[1]); err != nil {
			return nil, err
		}
	}
	for i := 1; i <= 2; i++ {
		for n := 1; n <= 4; n++ {
			for _, d := range []string{"", "a/", "a/b/", "a/b/c/", "d/", "d/f/"} {
				content := fmt.Sprintf("Version %d of file %s%d", i, d, n)
				if err := r.write(fmt.Sprintf("%sfile.%d.txt", d, n), content); err != nil {
					return nil, err
				}
			}
			if err := r.commit(fmt.Sprintf("Iteration %d", n)); err != nil {
				return nil, err
			}
		}
	}
	return r, nil
}

// buildSrcRevs creates fixture src-revs at dir: src plus side, the merge
// and other, as described at the top of this file.
func buildSrcRevs(dir string) error {
	r, err := newSrc(dir)
	if err != nil {
		return err
	}
	steps := []func() error{
		func() error { return r.git("checkout", "-q", "-b", "side", "main") },
		func() error { return r.writeSide(1) },
		func() error { return r.commit("Side commit 1") },
		func() error { return r.writeSide(2) },
		func() error { return r.commit("Side commit 2") },
		func() error { return r.git("checkout", "-q", "main") },
		func() error {
			err := r.git("merge", "-q", "--no-ff", "-m", "Merge side branch", "side")
			r.day++ // git merge made a commit with the current date
			return err
		},
		func() error { return r.git("checkout", "-q", "-b", "other", "main~1") },
		func() error { return r.write("o/file.1.txt", "Other content 1") },
		func() error { return r.write("o/file.2.txt", "Other content 2") },
		func() error { return r.commit("Other commit") },
		func() error { return r.git("checkout", "-q", "main") },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

func (r *fixtureRepo) writeSide(version int) error {
	for n := 1; n <= 2; n++ {
		content := fmt.Sprintf("Side version %d of file %d", version, n)
		if err := r.write(fmt.Sprintf("s/file.%d.txt", n), content); err != nil {
			return err
		}
	}
	return nil
}

// copyTree copies the directory src to dst, which must not exist, with
// cp -a semantics for what git uses: directories, regular files (mode and
// modification time kept, so the index stays fresh) and symbolic links.
func copyTree(src, dst string) error {
	if _, err := os.Lstat(dst); err == nil {
		return fmt.Errorf("%s already exists", dst)
	}
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		info, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case d.IsDir():
			return os.MkdirAll(target, info.Mode().Perm())
		case d.Type()&fs.ModeSymlink != 0:
			link, err := os.Readlink(path)
			if err != nil {
				return err
			}
			return os.Symlink(link, target)
		case d.Type().IsRegular():
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			if err := os.WriteFile(target, data, info.Mode().Perm()); err != nil {
				return err
			}
			return os.Chtimes(target, info.ModTime(), info.ModTime())
		default:
			return fmt.Errorf("copying %s: unsupported file type %v", path, d.Type())
		}
	})
}
