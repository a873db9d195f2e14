package cli

import (
	"strings"
	"unicode"
)

// revListFlags are the rev-list options that select commits and take no
// value. Anything that changes rev-list's output format, or asks for diffs,
// would break what we parse or make no sense for a snapshot walk, so only
// these pass.
var revListFlags = map[string]bool{
	"--all": true, "--branches": true, "--tags": true, "--remotes": true,
	"--not": true, "--stdin": true, "--first-parent": true, "--reflog": true,
	"--merges": true, "--no-merges": true, "--no-min-parents": true,
	"--no-max-parents": true, "--full-history": true, "--ancestry-path": true,
	"--alternate-refs": true, "--single-worktree": true, "--topo-order": true,
	"--date-order": true, "--author-date-order": true, "--cherry-pick": true,
	"--left-only": true, "--right-only": true, "--cherry": true,
	"--exclude-first-parent-only": true, "--simplify-by-decoration": true,
	"--regexp-ignore-case": true, "-i": true, "--extended-regexp": true, "-E": true,
	"--fixed-strings": true, "-F": true, "--basic-regexp": true,
	"--perl-regexp": true, "-P": true, "--all-match": true, "--invert-grep": true,
	"--remove-empty": true, "--dense": true, "--sparse-history": true,
}

// revListValued take a value, as "--name=value" or "--name value".
var revListValued = map[string]bool{
	"--branches": true, "--tags": true, "--remotes": true, "--glob": true,
	"--exclude": true, "--since": true, "--after": true, "--until": true,
	"--before": true, "--max-age": true, "--min-age": true, "--max-count": true,
	"--skip": true, "--author": true, "--committer": true, "--grep": true,
	"--grep-reflog": true, "--min-parents": true, "--max-parents": true,
	"--ancestry-path": true, "--exclude-hidden": true, "--since-as-filter": true,
	"-n": true,
}

// limiting options drop commits from the selected range without making
// them part of the excluded side: a parent cut off by --since is not an
// edge of the range, so its snapshot is not fetched with --include-edges.
var limiting = map[string]bool{
	"--since": true, "--after": true, "--until": true, "--before": true,
	"--max-age": true, "--min-age": true, "--max-count": true, "-n": true,
	"--skip": true, "--author": true, "--committer": true, "--grep": true,
	"--grep-reflog": true, "--merges": true, "--no-merges": true,
	"--min-parents": true, "--max-parents": true, "--no-min-parents": true,
	"--no-max-parents": true, "-i": true, "--regexp-ignore-case": true,
	"-E": true, "--extended-regexp": true, "-F": true, "--fixed-strings": true,
	"--basic-regexp": true, "-P": true, "--perl-regexp": true,
	"--all-match": true, "--invert-grep": true, "--since-as-filter": true,
	"--simplify-by-decoration": true, "--cherry-pick": true, "--cherry": true,
	"--left-only": true, "--right-only": true,
}

// isLimiting reports whether a normalised rev-list argument is a limiting
// option (including "-<n>").
func isLimiting(arg string) bool {
	name, _, _ := strings.Cut(arg, "=")
	if !strings.HasPrefix(arg, "--") && len(arg) > 2 {
		name = arg[:2]
	}
	return limiting[name] || isNumberOption(arg)
}

// refused are options people use with git log that have no meaning for a
// snapshot walk: they filter or follow diffs, and we fetch whole snapshots.
var refused = map[string]string{
	"-S":              "selects commits by diff content",
	"-G":              "selects commits by diff content",
	"--diff-filter":   "selects commits by the kind of change",
	"--follow":        "follows one file's renames in diffs",
	"-L":              "traces line ranges through diffs",
	"--pickaxe-all":   "changes how diffs are shown",
	"--find-object":   "selects commits by diff content",
	"--pickaxe-regex": "selects commits by diff content",
	"--diff-merges":   "changes how the diffs of merges are shown",
}

// revListOption validates a rev-list option and returns the arguments to
// pass on (normalised to one "--name=value" argument when it takes a value).
func revListOption(arg string, next func() (string, bool)) ([]string, error) {
	name, _, hasValue := strings.Cut(arg, "=")
	if !strings.HasPrefix(arg, "--") && len(arg) > 2 {
		name = arg[:2] // -Sfoo, -L1,2:f, -n5
	}
	if why, ok := refused[name]; ok {
		// git's builtin words, then why.
		return nil, usagef("'%s' cannot be used with 'git backfill': it %s, and backfill fetches whole snapshots", name, why)
	}
	if isNumberOption(arg) { // -5 means --max-count=5
		return []string{arg}, nil
	}
	if !hasValue && revListFlags[arg] {
		return []string{arg}, nil
	}
	if revListValued[name] {
		if hasValue || (name == "-n" && len(arg) > 2) {
			return []string{arg}, nil
		}
		if name == "--branches" || name == "--tags" || name == "--remotes" || name == "--ancestry-path" {
			return []string{arg}, nil // value optional; flag form handled above
		}
		v, ok := next()
		if !ok {
			return nil, usagef("option %s requires a value", name)
		}
		if name == "-n" {
			return []string{"-n", v}, nil
		}
		return []string{name + "=" + v}, nil
	}
	// Neither ours nor rev-list's: git's builtin words.
	return nil, usagef("unrecognized argument: %s", arg)
}

// objectOption takes rev-list's object-listing options, which git's
// builtin accepts because its walk lists objects. --objects (and its
// -edge forms) change nothing here and are not passed on, as they would
// change what rev-list prints; --filter=<spec> (only that form, as
// rev-list) and --no-filter are kept for checkFilters.
func (p *parsedArgs) objectOption(arg string) bool {
	switch {
	case arg == "--objects" || arg == "--objects-edge" || arg == "--objects-edge-aggressive":
		p.objects = true
	case strings.HasPrefix(arg, "--filter="):
		p.filters = append(p.filters, strings.TrimPrefix(arg, "--filter="))
	case arg == "--no-filter":
		p.filters = nil
	default:
		return false
	}
	return true
}

// checkFilters refuses object filters in the words of git's builtin,
// which refuses the filters its path walk cannot honour (tree depths,
// blob size limits). We honour none: the walk fetches every missing blob
// of the snapshots it selects, and a filter that fetched nothing (such as
// blob:none, which the builtin takes) would be a mistake.
func (p *parsedArgs) checkFilters() error {
	if len(p.filters) == 0 {
		return nil
	}
	if !p.objects {
		return usagef("object filtering requires --objects")
	}
	for _, f := range p.filters {
		if !strings.Contains(f, "blob:limit=") {
			return usagef("cannot backfill with these filter options (--filter=%s): backfill fetches every missing blob of the snapshots it walks", f)
		}
	}
	return usagef("cannot backfill with blob size limits (--filter=%s): backfill fetches every missing blob of the snapshots it walks", p.filters[0])
}

func isNumberOption(arg string) bool {
	if len(arg) < 2 {
		return false
	}
	for _, r := range arg[1:] {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

// tipOptions name starting points; any other option only shapes the walk.
var tipOptions = []string{"--all", "--branches", "--tags", "--remotes", "--glob",
	"--stdin", "--reflog", "--alternate-refs"}

// hasTips reports whether the rev-list arguments name a starting point.
// Without one git log starts from HEAD, and so do we.
func hasTips(revs []string) bool {
	for i, arg := range revs {
		if !strings.HasPrefix(arg, "-") || (arg == "--end-of-options" && i+1 < len(revs)) {
			return true
		}
		name, _, _ := strings.Cut(arg, "=")
		for _, t := range tipOptions {
			if name == t {
				return true
			}
		}
	}
	return false
}
