package plugins

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"sync"
)

// passStdout moves cmd.Stdout to an extra file descriptor of the plugin,
// since go-plugin owns the plugin's fd 1, and returns its number for
// StdoutEnv ("" when there is none). A writer that is not a file gets the
// plugin's output through a pipe; if it fails, the pipe is closed and the
// plugin's next write fails.
func (p *Plugin) passStdout(cmd *exec.Cmd) (string, error) {
	w := cmd.Stdout
	cmd.Stdout = nil
	if w == nil {
		return "", nil
	}
	f, ok := w.(*os.File)
	if !ok {
		r, pw, err := os.Pipe()
		if err != nil {
			return "", fmt.Errorf("making a pipe for standard output: %w", err)
		}
		p.copying.Add(1)
		go func() {
			defer p.copying.Done()
			_, _ = io.Copy(w, r)
			r.Close()
		}()
		p.pipe, f = pw, pw
	}
	cmd.ExtraFiles = append(cmd.ExtraFiles, f)
	return strconv.Itoa(2 + len(cmd.ExtraFiles)), nil
}

// closeStdoutPipe closes the host's copy of the pipe's write end once the
// plugin has its own, so the copy ends when the plugin does.
func (p *Plugin) closeStdoutPipe() {
	if p.pipe != nil {
		p.pipe.Close()
		p.pipe = nil
	}
}

var (
	stdoutOnce sync.Once
	stdoutFile *os.File
)

// Stdout is the user's standard output as the host passed it to this
// plugin process (see StdoutEnv); the null device in a plugin that the host
// gave none; os.Stdout in a process that Start did not start. An exporter
// that writes data to standard output must write there: go-plugin turns a
// plugin's own os.Stdout into a slow relay that the host discards.
func Stdout() *os.File {
	stdoutOnce.Do(func() {
		v, ok := os.LookupEnv(StdoutEnv)
		if !ok {
			return
		}
		fd, err := strconv.Atoi(v)
		if err != nil || fd < 3 {
			stdoutFile, _ = os.OpenFile(os.DevNull, os.O_WRONLY, 0)
			return
		}
		// Inherited without close-on-exec: keep it from the plugin's own
		// children.
		closeOnExec(fd)
		stdoutFile = os.NewFile(uintptr(fd), "stdout")
	})
	if stdoutFile != nil {
		return stdoutFile
	}
	return os.Stdout
}

// tail passes a plugin's standard error on to w, if any, and keeps its
// last line for the message of a failed start. go-plugin writes to it from
// two goroutines.
type tail struct {
	mu  sync.Mutex
	w   io.Writer
	buf []byte
}

func newTail(w io.Writer) *tail { return &tail{w: w} }

func (t *tail) Write(b []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.w != nil {
		_, _ = t.w.Write(b)
	}
	t.buf = append(t.buf, b...)
	if len(t.buf) > 8<<10 {
		t.buf = append(t.buf[:0], t.buf[len(t.buf)-4<<10:]...)
	}
	return len(b), nil
}

// last returns the last non-empty line written, shortened to 300 bytes.
func (t *tail) last() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	lines := bytes.Split(bytes.TrimSpace(t.buf), []byte("\n"))
	line := string(bytes.TrimSpace(lines[len(lines)-1]))
	if len(line) > 300 {
		line = line[:300] + "..."
	}
	return line
}
