//go:build !unix

package credential

import "os"

// ownedByUs: the temporary directory is the user's own on these systems.
func ownedByUs(os.FileInfo) bool { return true }
