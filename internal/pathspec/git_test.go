package pathspec

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/git-backfill/git-backfill/internal/gittest"
)

// These tests compare File with "git ls-files -- <pathspec>...".

// lsFiles lists what git matches with specs run from prefix.
//
// Two ls-files quirks are worked around so that it shows plain
// match_pathspec() results. It takes excludes alone from the current
// directory only; adding ":/" makes it take them from everything, as
// Parse does. And it strips the includes' common leading directory from
// every pathspec before matching, excludes too, which mangles excludes that
// do not share it (git 2.39: "a/b/" with ":!d/f" lists nothing); an
// include with no common directory, matching no file, turns that off.
func lsFiles(r *gittest.Repo, specs []string, prefix string) ([]string, error) {
	var args []string
	if prefix != "" {
		args = append(args, "-C", prefix)
	}
	args = append(args, "ls-files", "-z", "--full-name", "--")
	args = append(args, specs...)
	if len(specs) > 0 && allExcludes(specs) {
		args = append(args, ":/")
	}
	if anyExclude(specs) {
		args = append(args, ":/no-such-file")
	}
	out, stderr, err := r.Run(args...)
	if err != nil {
		return nil, fmt.Errorf("%w: %s", err, stderr)
	}
	files := strings.Split(strings.TrimSuffix(out, "\x00"), "\x00")
	if out == "" {
		files = nil
	}
	slices.Sort(files)
	return files, nil
}

func anyExclude(specs []string) bool {
	for _, spec := range specs {
		if m, _, err := parseMagic(spec); err == nil && m&magicExclude != 0 {
			return true
		}
	}
	return false
}

func allExcludes(specs []string) bool {
	for _, spec := range specs {
		if m, _, err := parseMagic(spec); err != nil || m&magicExclude == 0 {
			return false
		}
	}
	return true
}

// compareWithGit compares one case and returns how many files git listed,
// or -1 if git refused the pathspecs.
func compareWithGit(t *testing.T, r *gittest.Repo, specs []string, prefix string) int {
	t.Helper()
	return compareFilesWithGit(t, r, testFiles(), specs, prefix)
}

func compareFilesWithGit(t *testing.T, r *gittest.Repo, files, specs []string, prefix string) int {
	t.Helper()
	want, gitErr := lsFiles(r, specs, prefix)
	s, err := Parse(specs, prefix)
	if (err != nil) != (gitErr != nil) {
		t.Errorf("specs %q from %q: our error %v, git's %v", specs, prefix, err, gitErr)
		return -1
	}
	if err != nil {
		return -1
	}
	if got := matched(s, files); !slices.Equal(got, want) {
		t.Errorf("specs %q from %q:\n ours %q\n  git %q", specs, prefix, got, want)
	}
	checkDirsConsistent(t, s, files)
	return len(want)
}

func TestCasesAgainstGit(t *testing.T) {
	r := gittest.New(t, testFiles())
	for _, c := range matchCases {
		compareWithGit(t, r, c.specs, c.prefix)
	}
}

func TestRandomPathspecsAgainstGit(t *testing.T) {
	r := gittest.New(t, testFiles())
	magics := []string{"", "", "", ":/", ":!", ":^", ":(glob)", ":(icase)", ":(literal)",
		":(top,glob)", ":(exclude,icase)", ":(glob,icase)", ":/!"}
	paths := []string{
		"file.1.txt", "*.1.txt", "d", "d/f", "../d", "..", ".", "a/b/", "*", "a*", "d/*",
		"**/file.2.txt", "[ad]/file.?.txt", "A", "file.[12].txt", "a*b", "e f", "*/c",
		"?", "a/[x]", "../../file.3.txt", "d/f/../file.1.txt", "a/**/file.4.txt", "a**",
		"FILE.1.TXT", "*File*", "d/", "a/b/c/", "**", "*.txt", "a/*/file.1.txt", "[!a]*",
	}
	prefixes := []string{"", "", "a/", "a/b/", "d/", "A/"}
	rng := rand.New(rand.NewPCG(3, 4))
	var refused, empty, some int
	for range 150 {
		var specs []string
		for range 1 + rng.IntN(3) {
			specs = append(specs, magics[rng.IntN(len(magics))]+paths[rng.IntN(len(paths))])
		}
		switch compareWithGit(t, r, specs, prefixes[rng.IntN(len(prefixes))]) {
		case -1:
			refused++
		case 0:
			empty++
		default:
			some++
		}
	}
	t.Logf("git refused %d cases, matched nothing in %d, something in %d", refused, empty, some)
}

// TestRandomWildcardsAgainstGit throws random patterns built from a small
// alphabet at files named from it, in git's four wildmatch modes. It
// exercises wildmatch's brackets, escapes, stars and case folding.
func TestRandomWildcardsAgainstGit(t *testing.T) {
	files := []string{
		"aa", "bb", "AB", "ab", "bab", "aB", "a-b", "[a]", "a*", "b?", "a\\b", "!a", "]",
		"a/b", "a/ab", "a/a/b", "a/bb/a", "b/a", "ba/b", "A/B", "a/[a]/b", "x/a/b/c/b",
	}
	r := gittest.New(t, files)
	alphabet := []string{"a", "a", "b", "b", "B", "/", "/", "*", "*", "**", "?", "?",
		"[ab]", "[!a]", "[^b]", "[a-b]", "[]a]", "[A]", "[[:alpha:]]", "[[:upper:]]", "[a-]",
		"[", "]", "!", "-", `\\`, `\a`, `\*`, `\[`}
	magics := []string{":(glob)", "", ":(glob,icase)", ":(icase)"}
	rng := rand.New(rand.NewPCG(5, 6))
	nonEmpty := 0
	for range 600 {
		var b strings.Builder
		for range 1 + rng.IntN(6) {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		spec := magics[rng.IntN(len(magics))] + b.String()
		if compareFilesWithGit(t, r, files, []string{spec}, "") > 0 {
			nonEmpty++
		}
	}
	t.Logf("%d of 600 patterns matched something", nonEmpty)
}
