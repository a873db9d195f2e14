//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package odb

import (
	"os"
	"syscall"
)

// mapFile maps a file read-only. A pack index can be hundreds of megabytes
// in a large repository; mapped, only the pages a lookup touches are read,
// and a repack that deletes the file under us does not change what we see.
func mapFile(f *os.File) ([]byte, func(), error) {
	fi, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	if fi.Size() == 0 {
		return nil, func() {}, nil
	}
	data, err := syscall.Mmap(int(f.Fd()), 0, int(fi.Size()), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil, nil, err
	}
	return data, func() { _ = syscall.Munmap(data) }, nil
}
