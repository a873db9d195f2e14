//go:build !unix

package safefile

import "os"

// openNoFollow checks, then opens: without O_NOFOLLOW a link swapped in
// between is followed, a race this system leaves open.
func openNoFollow(path string) (*os.File, error) {
	if fi, err := os.Lstat(path); err == nil && fi.Mode()&os.ModeSymlink != 0 {
		return nil, ErrSymlink
	}
	return os.Open(path)
}
