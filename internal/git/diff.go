package git

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// Diff is one commit's output of "git diff-tree --always --raw --numstat
// [-p]", split into its sections. The text sections are git's own bytes,
// each line ending in a newline.
type Diff struct {
	Raw     []byte // "--raw" lines
	Numstat []byte // "--numstat" lines
	Patch   []byte // "-p" output; empty without -p or when nothing changed
	Files   []FileChange
}

// FileChange is one changed file: a raw line and its numstat line.
type FileChange struct {
	Status           byte // A, M, D, R, C, T (U and X never come from diff-tree)
	Score            int  // similarity of a rename or copy, in percent
	OldMode, NewMode string
	OldID, NewID     string // all zeros for the absent side
	Path             string // the new path (the only one unless renamed or copied)
	OldPath          string // the source of a rename or copy, else ""
	QuotedPath       string // Path as git prints it in a name list (quoted if it must be)
	Added, Deleted   int    // lines; 0 for a binary file
	Binary           bool   // numstat printed "-\t-"
}

// ParseDiff splits one commit's block of diff-tree output. The block
// starts with the commit's id (printed even for an empty diff because of
// --always), then one raw line per changed file, one numstat line per file
// in the same order, and, with -p, an empty line and the patch. Every line
// before the patch starts with a hex id, ':' or a number (or '-' for a
// binary numstat), and paths with a newline are quoted, so the sections
// never blur whatever the files contain.
func ParseDiff(commit OID, block []byte) (*Diff, error) {
	rest, ok := bytes.CutPrefix(block, []byte(string(commit)+"\n"))
	if len(block) == 0 {
		return nil, fmt.Errorf("git diff-tree: no output for %s (not a commit in this repository?)", commit)
	}
	if !ok {
		return nil, fmt.Errorf("git diff-tree: output for %s does not start with its id: %.80q", commit, block)
	}
	d := &Diff{}
	start := len(block) - len(rest)
	for len(rest) > 0 && rest[0] == ':' {
		line, after := cutLine(rest)
		f, err := parseRawLine(line)
		if err != nil {
			return nil, fmt.Errorf("git diff-tree: commit %s: %w", commit, err)
		}
		d.Files = append(d.Files, f)
		rest = after
	}
	d.Raw = block[start : len(block)-len(rest)]
	start = len(block) - len(rest)
	for i := range d.Files {
		line, after := cutLine(rest)
		if err := parseNumstat(line, &d.Files[i]); err != nil {
			return nil, fmt.Errorf("git diff-tree: commit %s: %w", commit, err)
		}
		rest = after
	}
	d.Numstat = block[start : len(block)-len(rest)]
	// -p output comes after an empty line that separates it from the rest.
	if patch, ok := bytes.CutPrefix(rest, []byte("\n")); ok {
		rest = patch
	}
	if len(rest) > 0 && !bytes.HasPrefix(rest, []byte("diff --git ")) {
		return nil, fmt.Errorf("git diff-tree: commit %s: unexpected output %.80q", commit, rest)
	}
	d.Patch = rest
	return d, nil
}

// cutLine returns the first line of b (without its newline) and the rest.
func cutLine(b []byte) (string, []byte) {
	line, rest, _ := bytes.Cut(b, []byte("\n"))
	return string(line), rest
}

// parseRawLine parses ":<old mode> <new mode> <old id> <new id> <status>"
// TAB <path> [TAB <new path>], paths quoted as git quotes them.
func parseRawLine(line string) (FileChange, error) {
	head, paths, ok := strings.Cut(line[1:], "\t")
	fields := strings.Split(head, " ")
	if !ok || len(fields) != 5 || fields[4] == "" {
		return FileChange{}, fmt.Errorf("malformed raw line %q", line)
	}
	f := FileChange{OldMode: fields[0], NewMode: fields[1], OldID: fields[2], NewID: fields[3], Status: fields[4][0]}
	if score := fields[4][1:]; score != "" {
		n, err := strconv.Atoi(score)
		if err != nil {
			return FileChange{}, fmt.Errorf("malformed status in raw line %q", line)
		}
		f.Score = n
	}
	oldQ, newQ, two := strings.Cut(paths, "\t")
	if two != (f.Status == 'R' || f.Status == 'C') {
		return FileChange{}, fmt.Errorf("wrong number of paths in raw line %q", line)
	}
	if !two {
		newQ = oldQ
	} else {
		old, err := UnquotePath(oldQ)
		if err != nil {
			return FileChange{}, err
		}
		f.OldPath = old
	}
	path, err := UnquotePath(newQ)
	if err != nil {
		return FileChange{}, err
	}
	f.Path, f.QuotedPath = path, newQ
	return f, nil
}

// parseNumstat reads the counts of "<added> TAB <deleted> TAB <name>"
// ("-" for both when binary). The name, in a form that cannot be parsed
// back for renames ("dir/{a => b}"), is left to the raw line.
func parseNumstat(line string, f *FileChange) error {
	fields := strings.SplitN(line, "\t", 3)
	if len(fields) != 3 {
		return fmt.Errorf("malformed numstat line %q", line)
	}
	if fields[0] == "-" && fields[1] == "-" {
		f.Binary = true
		return nil
	}
	added, err1 := strconv.Atoi(fields[0])
	deleted, err2 := strconv.Atoi(fields[1])
	if err1 != nil || err2 != nil || added < 0 || deleted < 0 {
		return fmt.Errorf("malformed numstat line %q", line)
	}
	f.Added, f.Deleted = added, deleted
	return nil
}
