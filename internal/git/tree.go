package git

import (
	"bytes"
	"encoding/hex"
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

// ParseTree decodes a tree object's raw content ("<octal mode> <name>\0"
// followed by a binary id of idLen bytes, repeated) and calls fn for each
// entry in stored order.
func ParseTree(data []byte, idLen int, fn func(TreeEntry) error) error {
	for len(data) > 0 {
		sp := bytes.IndexByte(data, ' ')
		if sp <= 0 {
			return fmt.Errorf("malformed tree: no mode")
		}
		mode := data[:sp]
		data = data[sp+1:]
		nul := bytes.IndexByte(data, 0)
		if nul <= 0 || len(data) < nul+1+idLen {
			return fmt.Errorf("malformed tree: truncated entry")
		}
		kind, err := kindOf(mode)
		if err != nil {
			return err
		}
		e := TreeEntry{Kind: kind, Name: string(data[:nul]), ID: hex.EncodeToString(data[nul+1 : nul+1+idLen])}
		data = data[nul+1+idLen:]
		if err := fn(e); err != nil {
			return err
		}
	}
	return nil
}

// kindOf maps a tree entry mode to its kind. Git writes directories as
// "40000" (no leading zero) and gitlinks as "160000".
func kindOf(mode []byte) (EntryKind, error) {
	switch string(mode) {
	case "40000", "040000":
		return KindTree, nil
	case "160000":
		return KindGitlink, nil
	case "100644", "100755", "120000", "100664", "100600", "100640":
		return KindBlob, nil
	}
	// Old repositories hold other regular-file modes; git treats any
	// 100xxx as a file.
	if len(mode) == 6 && bytes.HasPrefix(mode, []byte("100")) {
		return KindBlob, nil
	}
	return 0, fmt.Errorf("malformed tree: unknown mode %q", mode)
}
