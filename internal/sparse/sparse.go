// Package sparse decides which paths a sparse-checkout includes, the way
// git 2.39 applies $GIT_DIR/info/sparse-checkout when it checks files out.
//
// The file uses gitignore syntax. In cone mode (core.sparseCheckoutCone)
// git expects the restricted form "git sparse-checkout set" writes and
// matches by directory; if the file is not in that form git warns and falls
// back to non-cone matching, and so does Parse. In non-cone mode each file
// is decided by the last pattern that matches it, or, when none does, by
// its nearest directory that some pattern decides; a file nothing decides
// is excluded.
//
// Where git's own functions disagree (path_in_sparse_checkout() against
// the directory walk checkout does), this package follows checkout. Every
// rule here was compared with what git 2.39 checks out; see git_test.go.
//
// Paths are slash-separated, relative to the top of the worktree, without a
// leading or trailing slash. Matching is case-sensitive: core.ignoreCase is
// not honoured.
package sparse

import (
	"strings"

	"github.com/git-backfill/git-backfill/internal/pathwalk"
)

// Patterns is a parsed sparse-checkout file. It is immutable after Parse
// and safe for concurrent use.
type Patterns struct {
	// Warning is empty unless cone mode was asked for and the file is not
	// in cone form; it then says why (in git's words, one line, without a
	// "warning: " prefix) and the patterns match in non-cone mode.
	Warning string

	cone bool
	list []pattern // every pattern, in file order (non-cone matching)

	// Cone mode: full is "/*" without "!/*/" (everything is included);
	// recursive counts the lines including a directory with all its
	// contents (a directory is recursive while its count is positive),
	// parents holds those whose direct files only are included, and inner
	// every proper ancestor of an entry of either ("" included).
	full      bool
	recursive map[string]int
	parents   map[string]bool
	inner     map[string]bool
}

// Cone reports whether the patterns match in cone mode: it was asked for
// and the file is in cone form.
func (p *Patterns) Cone() bool { return p.cone }

// File reports whether the sparse-checkout includes the file at
// path.
func (p *Patterns) File(path string) bool {
	if p.cone {
		return p.coneIncludes(path)
	}
	return p.nonConeIncludes(path)
}

// Dir reports what the sparse-checkout says about the files below the
// directory dir ("" is the root). pathwalk.Excluded and pathwalk.Included are only
// returned when they are certain.
func (p *Patterns) Dir(dir string) pathwalk.Match {
	dir = strings.Trim(dir, "/")
	if p.cone {
		return p.coneDir(dir)
	}
	return p.nonConeDir(dir)
}

// parent returns the directory containing path and whether there is one
// below the root.
func parent(path string) (string, bool) {
	i := strings.LastIndexByte(path, '/')
	if i < 0 {
		return "", false
	}
	return path[:i], true
}
