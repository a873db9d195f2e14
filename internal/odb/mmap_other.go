//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package odb

import (
	"io"
	"os"
)

// mapFile reads the whole file where mmap is not available.
func mapFile(f *os.File) ([]byte, func(), error) {
	data, err := io.ReadAll(f)
	return data, func() {}, err
}
