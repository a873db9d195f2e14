package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/git-backfill/git-backfill/internal/git"
)

// badRevision rewords rev-list's "bad revision 'X'" for an X given on the
// command line the way git's builtin reports it. The builtin reads its
// arguments as git log does: without "--", an argument that is not a
// revision must be a path, and one that is neither is "ambiguous". We run
// rev-list with a trailing "--" (so that a name is never taken for a path
// behind our back), and rev-list then says "bad revision" instead. A name
// that the builtin would take for a path (it exists, or it has wildcards
// or pathspec magic) gets our own message: paths go after "--". Revisions
// read with --stdin, names after "--" or starting with "^" keep rev-list's
// words, which are the builtin's there too.
func badRevision(err error, p *parsedArgs, dir string) error {
	var gitErr *git.Error
	if !errors.As(err, &gitErr) || len(gitErr.Args) == 0 || gitErr.Args[0] != "rev-list" {
		return err
	}
	name, ok := strings.CutPrefix(gitErr.Message(), "bad revision '")
	if !ok || p.dashdash {
		return err
	}
	name, ok = strings.CutSuffix(name, "'")
	if !ok || name == "" || strings.HasPrefix(name, "^") || strings.HasPrefix(name, "-") || !slices.Contains(p.revs, name) {
		return err
	}
	if _, serr := os.Lstat(filepath.Join(dir, name)); serr == nil || strings.ContainsAny(name, "*?[") || strings.HasPrefix(name, ":(") {
		return fmt.Errorf("bad revision '%s': git backfill takes paths only after '--', as in 'git backfill [<revision>...] -- %s'", name, name)
	}
	return fmt.Errorf("ambiguous argument '%s': unknown revision or path not in the working tree.\n"+
		"Use '--' to separate paths from revisions, like this:\n"+
		"'git <command> [<revision>...] -- [<file>...]'", name)
}
