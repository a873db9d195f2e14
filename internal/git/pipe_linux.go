package git

import (
	"io"
	"os"
	"syscall"
)

// fSetPipeSize is Linux's F_SETPIPE_SZ fcntl command.
const fSetPipeSize = 1031

// growPipe raises the capacity of a pipe git writes to from the kernel's
// 64 KiB to 1 MiB (the unprivileged maximum). cat-file sends gigabytes of
// trees through it in a large repository; a bigger pipe means far fewer
// context switches between git and us. Failure is harmless: the pipe
// keeps its size.
func growPipe(r io.Reader) {
	f, ok := r.(*os.File)
	if !ok {
		return
	}
	if sc, err := f.SyscallConn(); err == nil {
		_ = sc.Control(func(fd uintptr) {
			_, _, _ = syscall.Syscall(syscall.SYS_FCNTL, fd, fSetPipeSize, 1<<20)
		})
	}
}
