package pathspec

import (
	"errors"
	"fmt"
	"strings"

	"github.com/git-backfill/git-backfill/internal/wildmatch"
)

// magic is a set of pathspec magic words.
type magic uint8

const (
	magicTop magic = 1 << iota
	magicLiteral
	magicGlob
	magicICase
	magicExclude
)

var magicWords = map[string]magic{
	"top":     magicTop,
	"literal": magicLiteral,
	"glob":    magicGlob,
	"icase":   magicICase,
	"exclude": magicExclude,
}

// Parse parses pathspecs given on the command line. prefix is the current
// directory relative to the top of the worktree, as "git rev-parse
// --show-prefix" prints it ("a/b/", or "" at the top). No arguments give
// an empty set, which matches everything.
//
// Errors, each naming the pathspec: an empty string (git wants "."), a
// path that leaves the repository ("../x" at the top), an absolute path,
// unknown magic, magic git has but this package does not support (attr,
// prefix), and ":(literal,glob)".
func Parse(args []string, prefix string) (*Set, error) {
	prefix = strings.Trim(prefix, "/")
	if prefix != "" {
		prefix += "/"
	}
	s := &Set{}
	for _, arg := range args {
		it, exclude, err := parseOne(arg, prefix)
		if err != nil {
			return nil, err
		}
		if exclude {
			s.excludes = append(s.excludes, it)
		} else {
			s.includes = append(s.includes, it)
		}
	}
	if len(s.includes) == 0 && len(s.excludes) > 0 {
		// Only excludes: git adds "." from the top of the worktree
		// for commands such as log and rev-list.
		s.includes = append(s.includes, &item{original: ":/"})
	}
	return s, nil
}

func parseOne(arg, prefix string) (*item, bool, error) {
	if arg == "" {
		return nil, false, errors.New("empty string is not a valid pathspec; use . to match all paths")
	}
	m, path, err := parseMagic(arg)
	if err != nil {
		return nil, false, err
	}
	if m&magicLiteral != 0 && m&magicGlob != 0 {
		return nil, false, fmt.Errorf("pathspec '%s': 'literal' and 'glob' are incompatible", arg)
	}
	it := &item{original: arg, icase: m&magicICase != 0}
	switch {
	case m&magicTop != 0:
		// Git takes a :(top) pathspec as it is: "." and ".." are not
		// resolved, so ":/a/../d" matches nothing.
		it.match = path
	case strings.HasPrefix(path, "/"):
		return nil, false, fmt.Errorf("pathspec '%s': absolute paths are not supported; give the path relative to the current directory", arg)
	default:
		var ok bool
		it.match, it.prefixLen, ok = normalize(prefix+path, len(prefix))
		if !ok {
			return nil, false, fmt.Errorf("'%s' is outside repository", arg)
		}
	}
	it.noWild = len(it.match)
	if m&magicLiteral == 0 {
		it.noWild = max(literalLen(it.match), it.prefixLen)
	}
	if it.noWild < len(it.match) {
		var flags wildmatch.Flags
		if m&magicGlob != 0 {
			flags |= wildmatch.PathName
		}
		if it.icase {
			flags |= wildmatch.CaseFold
		}
		it.wild = wildmatch.Compile(it.match[it.noWild:], flags)
	}
	return it, m&magicExclude != 0, nil
}

// literalLen is the length of s before its first wildcard or backslash
// (git's simple_length).
func literalLen(s string) int {
	if i := strings.IndexAny(s, `*?[\`); i >= 0 {
		return i
	}
	return len(s)
}
