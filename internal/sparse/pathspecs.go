package sparse

import (
	"errors"
	"slices"
	"strings"

	"github.com/git-backfill/git-backfill/internal/pathwalk"
)

// ErrNotCone is returned by Pathspecs for patterns that are not in cone
// mode: gitignore-style patterns, with negation and last-match-wins, have no
// faithful translation into pathspecs.
var ErrNotCone = errors.New("the sparse-checkout is not in cone mode")

// Pathspecs translates a cone-mode sparse-checkout into top-relative git
// pathspecs that select the same files, for commands that take pathspecs
// (diff-tree, rev-list): the root's files, each parent directory's direct
// files, and each recursive directory whole. Directories checkout would
// not reach (their parents are outside the cone) are left out. A cone that
// includes everything gives no pathspecs.
func (p *Patterns) Pathspecs() ([]string, error) {
	if !p.cone {
		return nil, ErrNotCone
	}
	if p.full {
		return nil, nil
	}
	specs := []string{":(top,glob)*"}
	for dir := range p.parents {
		if dir != "" && p.Dir(dir) != pathwalk.Excluded {
			specs = append(specs, ":(top,glob)"+escapeGlob(dir)+"/*")
		}
	}
	for dir, n := range p.recursive {
		if n > 0 && p.Dir(dir) == pathwalk.Included {
			specs = append(specs, ":(top,literal)"+dir)
		}
	}
	slices.Sort(specs[1:])
	return specs, nil
}

// escapeGlob quotes the characters glob pathspecs treat specially.
func escapeGlob(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(`*?[\`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}
