package cli

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/git-backfill/git-backfill/internal/git"
)

func TestBadRevision(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "d", "f"), 0o755); err != nil {
		t.Fatal(err)
	}
	revList := func(name string) error {
		return &git.Error{Args: []string{"rev-list", "--", name}, ExitCode: 128,
			Stderr: "fatal: bad revision '" + name + "'", Err: errors.New("exit status 128")}
	}
	const ambiguous = "ambiguous argument 'nope': unknown revision or path not in the working tree.\n" +
		"Use '--' to separate paths from revisions, like this:\n" +
		"'git <command> [<revision>...] -- [<file>...]'"
	for _, tc := range []struct {
		args []string
		err  error
		want string // "" for the error unchanged
	}{
		{[]string{"nope"}, revList("nope"), ambiguous},
		{[]string{"--all", "nope", "--first-parent"}, revList("nope"), ambiguous},
		{[]string{"HEAD..nope"}, revList("HEAD..nope"), "ambiguous argument 'HEAD..nope': unknown revision"},
		// After "--", starting with "^", or read from --stdin: git's
		// builtin says "bad revision" too, and the error is unchanged.
		{[]string{"nope", "--", "d"}, revList("nope"), ""},
		{[]string{"^nope"}, revList("^nope"), ""},
		{[]string{"--stdin"}, revList("nope"), ""},
		{[]string{"--end-of-options", "-nope"}, revList("-nope"), ""},
		// What the builtin would take for a path: we say where paths go.
		{[]string{"d/f"}, revList("d/f"), "bad revision 'd/f': git backfill takes paths only after '--', as in 'git backfill [<revision>...] -- d/f'"},
		{[]string{"HEAD", "d/*.txt"}, revList("d/*.txt"), "bad revision 'd/*.txt': git backfill takes paths only after '--'"},
		// Anything else is left alone too.
		{[]string{"nope"}, &git.Error{Args: []string{"cat-file"}, Stderr: "fatal: bad revision 'nope'"}, ""},
		{[]string{"nope"}, errors.New("other"), ""},
	} {
		p, err := parseArgs(backfillOptions, tc.args)
		if err != nil {
			t.Fatalf("%q: %v", tc.args, err)
		}
		got := badRevision(tc.err, p, dir)
		if tc.want == "" {
			if got != tc.err {
				t.Errorf("%q: got %q, want the error unchanged", tc.args, got)
			}
			continue
		}
		if !strings.HasPrefix(got.Error(), tc.want) {
			t.Errorf("%q: got %q, want %q", tc.args, got, tc.want)
		}
	}
}

// TestInforms: without a terminal, only -v or --stats asks for the
// summary, and -q always drops it.
func TestInforms(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want bool
	}{
		{nil, false},
		{[]string{"--progress"}, false},
		{[]string{"-v"}, true},
		{[]string{"--stats=json"}, true},
		{[]string{"-q", "--stats=json"}, false},
		{[]string{"-v", "-q"}, false},
	} {
		p, err := parseArgs(backfillOptions, tc.args)
		if err != nil {
			t.Fatalf("%q: %v", tc.args, err)
		}
		c := &command{stderr: &strings.Builder{}}
		if got := c.informs(p); got != tc.want {
			t.Errorf("%q: informs %v, want %v", tc.args, got, tc.want)
		}
	}
}
