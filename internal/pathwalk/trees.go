package pathwalk

import (
	"fmt"

	"github.com/git-backfill/git-backfill/internal/git"
)

// CatFileTrees reads trees through a running "git cat-file --batch".
type CatFileTrees struct {
	CatFile *git.CatFile
	IDLen   int // binary object id length: 20 for SHA-1, 32 for SHA-256
}

// ReadTrees implements TreeReader. Entries passed to fn are only valid
// during the call.
func (c CatFileTrees) ReadTrees(ids []string, fn func(string, []git.TreeEntry) error) error {
	var entries []git.TreeEntry
	return c.CatFile.ReadEach(ids, func(id, typ string, data []byte) error {
		if typ != "tree" {
			return fmt.Errorf("object %s is a %s, not a tree", id, typ)
		}
		entries = entries[:0]
		err := git.ParseTree(data, c.IDLen, func(e git.TreeEntry) error {
			entries = append(entries, e)
			return nil
		})
		if err != nil {
			return fmt.Errorf("tree %s: %w", id, err)
		}
		return fn(id, entries)
	})
}
