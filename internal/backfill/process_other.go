//go:build !unix

package backfill

// processGone cannot tell here, so every lock is taken to be in use.
func processGone(int) bool { return false }
