package git

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
)

// EntryKind says what a tree entry points to.
type EntryKind uint8

// Kinds of tree entries, from their mode.
const (
	KindBlob    EntryKind = iota // regular file, executable or symlink
	KindTree                     // subdirectory
	KindGitlink                  // submodule commit: not in this repository
)

// TreeEntry is one entry of a tree object.
type TreeEntry struct {
	Kind EntryKind
	Name string
	ID   string // hex object id
}

// RawEntry is one entry of a tree object as slices of the tree's own
// bytes: reading one allocates nothing. The slices are only valid as long as
// the tree's buffer is.
type RawEntry struct {
	Kind EntryKind
	Name []byte
	ID   []byte // binary object id
	// Raw is the whole entry, "<mode> <name>\0<id>": two entries with the
	// same Raw have the same kind, name and id.
	Raw []byte
}

var errTruncated = errors.New("malformed tree: truncated entry")

// NextTreeEntry splits the first entry off a tree object's raw content
// ("<octal mode> <name>\0" then a binary id of idLen bytes, repeated) and
// returns it with the rest of the tree.
func NextTreeEntry(data []byte, idLen int) (RawEntry, []byte, error) {
	// Modes are 5 or 6 digits ("40000", "100644"): look there first.
	sp := -1
	switch {
	case len(data) > 5 && data[5] == ' ':
		sp = 5
	case len(data) > 6 && data[6] == ' ':
		sp = 6
	default:
		sp = bytes.IndexByte(data, ' ')
	}
	if sp <= 0 {
		return RawEntry{}, nil, fmt.Errorf("malformed tree: no mode")
	}
	kind, err := kindOf(data[:sp])
	if err != nil {
		return RawEntry{}, nil, err
	}
	nul := bytes.IndexByte(data[sp+1:], 0)
	if nul <= 0 {
		return RawEntry{}, nil, errTruncated
	}
	end := sp + 1 + nul + 1 + idLen
	if len(data) < end {
		return RawEntry{}, nil, errTruncated
	}
	e := RawEntry{Kind: kind, Name: data[sp+1 : sp+1+nul], ID: data[end-idLen : end], Raw: data[:end]}
	return e, data[end:], nil
}

// ParseTree decodes a tree object's raw content and calls fn for each
// entry in stored order, with hex ids. It allocates per entry: hot paths
// use NextTreeEntry.
func ParseTree(data []byte, idLen int, fn func(TreeEntry) error) error {
	for len(data) > 0 {
		raw, rest, err := NextTreeEntry(data, idLen)
		if err != nil {
			return err
		}
		data = rest
		if err := fn(TreeEntry{Kind: raw.Kind, Name: string(raw.Name), ID: hex.EncodeToString(raw.ID)}); err != nil {
			return err
		}
	}
	return nil
}

// kindOf maps a tree entry mode to its kind. Git writes directories as
// "40000" (no leading zero) and gitlinks as "160000". The common modes are
// tested first: this runs for every entry of every tree version.
func kindOf(mode []byte) (EntryKind, error) {
	switch len(mode) {
	case 5:
		if string(mode) == "40000" {
			return KindTree, nil
		}
	case 6:
		switch string(mode) {
		case "100644", "100755", "120000":
			return KindBlob, nil
		case "040000":
			return KindTree, nil
		case "160000":
			return KindGitlink, nil
		}
		// Old repositories hold other regular-file modes (100664 ...);
		// git treats any 100xxx as a file.
		if bytes.HasPrefix(mode, []byte("100")) {
			return KindBlob, nil
		}
	}
	return 0, fmt.Errorf("malformed tree: unknown mode %q", mode)
}
