package trace2

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
)

// format is one of git's three trace2 formats, with the variables that
// set its target and its brevity.
type format struct {
	name     string // "normal", "perf" or "event"
	variable string
	brief    string
}

// formats in git's order (tr2_tgt_builtins).
var formats = []*format{
	{name: "normal", variable: "GIT_TRACE2", brief: "GIT_TRACE2_BRIEF"},
	{name: "perf", variable: "GIT_TRACE2_PERF", brief: "GIT_TRACE2_PERF_BRIEF"},
	{name: "event", variable: "GIT_TRACE2_EVENT", brief: "GIT_TRACE2_EVENT_BRIEF"},
}

// badValue is why a target's value cannot be used.
type badValue int

const (
	valueOK       badValue = iota
	valueUnknown           // not a value git knows: it always warns
	socketNoPath           // "af_unix:" with no path
	socketBadPath          // "af_unix:" with a relative or too long path
)

// targetSpec is what a target variable's value asks for.
type targetSpec struct {
	off    bool
	stderr bool   // "1", "2" or "true"
	fd     int    // another single digit: that file descriptor
	path   string // an absolute path: a file appended to, or a directory
	socket string // "af_unix:[stream:|dgram:]<absolute path>"
	stream bool   // socket types to try, stream first
	dgram  bool
	bad    badValue
}

// sunPathLen is the size of sockaddr_un's sun_path on Linux; git refuses
// paths that do not fit with their final NUL.
const sunPathLen = 108

// parseTarget reads a target variable's value as git's
// tr2_dst_get_trace_fd does.
func parseTarget(v string) targetSpec {
	switch {
	case v == "" || v == "0" || strings.EqualFold(v, "false"):
		return targetSpec{off: true}
	case v == "1" || v == "2" || strings.EqualFold(v, "true"):
		return targetSpec{stderr: true}
	case len(v) == 1 && v[0] >= '0' && v[0] <= '9':
		return targetSpec{fd: int(v[0] - '0')}
	case filepath.IsAbs(v):
		return targetSpec{path: v}
	case strings.HasPrefix(v, "af_unix:"):
		s := targetSpec{stream: true, dgram: true}
		rest := strings.TrimPrefix(v, "af_unix:")
		if p, ok := strings.CutPrefix(rest, "stream:"); ok {
			s.dgram, rest = false, p
		} else if p, ok := strings.CutPrefix(rest, "dgram:"); ok {
			s.stream, rest = false, p
		}
		s.socket = rest
		switch {
		case rest == "":
			s.bad = socketNoPath
		case !filepath.IsAbs(rest) || len(rest) >= sunPathLen:
			s.bad = socketBadPath
		}
		return s
	}
	return targetSpec{bad: valueUnknown}
}

// target is one open destination of one format.
type target struct {
	f       *format
	brief   bool
	nesting int  // event format: the deepest region level written
	tooMany bool // writes to the discard sentinel of a full directory

	mu   sync.Mutex
	w    io.Writer
	c    io.Closer // nil when the destination is not ours to close
	dead bool
}

// openTarget opens f's target as the environment sets it, or returns nil
// (with a warning where git gives one) when it is off or unusable.
func (t *Trace) openTarget(f *format, env envVars, stderr io.Writer) *target {
	value := env.get(f.variable)
	spec := parseTarget(value)
	switch spec.bad {
	case valueUnknown:
		t.warnf(false, fmt.Sprintf("trace2: unknown value for '%s': '%s'", f.variable, value))
		return nil
	case socketNoPath:
		t.warnf(true, fmt.Sprintf("trace2: invalid AF_UNIX value '%s' for '%s' tracing", value, f.variable))
		return nil
	case socketBadPath:
		t.warnf(true, fmt.Sprintf("trace2: invalid AF_UNIX path '%s' for '%s' tracing", spec.socket, f.variable))
		return nil
	}
	if spec.off {
		return nil
	}
	tg := &target{f: f, brief: parseMaybeBool(env.get(f.brief), false)}
	if f.name == "event" {
		tg.nesting = 2
		if n := atoi(env.get("GIT_TRACE2_EVENT_NESTING")); n > 0 {
			tg.nesting = n
		}
	}
	switch {
	case spec.stderr:
		if stderr == nil {
			return nil
		}
		tg.w = stderr
	case spec.fd > 0:
		w, err := openFD(spec.fd)
		if err != nil {
			t.warnf(true, fmt.Sprintf("unable to write trace to '%s': %s", f.variable, errText(err)))
			return nil
		}
		tg.w = boundedWriter{w}
	case spec.path != "":
		if st, err := os.Stat(spec.path); err == nil && st.IsDir() {
			file, tooMany := t.openInDir(spec.path, f, env)
			if file == nil {
				return nil
			}
			tg.w, tg.c, tg.tooMany = file, file, tooMany
			break
		}
		// O_APPEND: each event is one write, which the kernel appends
		// whole, so the lines of concurrent processes never mix.
		// O_NONBLOCK: a FIFO nobody reads fails to open (git would wait
		// for a reader for ever); it changes nothing for a regular file.
		file, err := os.OpenFile(spec.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE|nonblock, 0o666)
		if err != nil {
			t.warnf(true, fmt.Sprintf("trace2: could not open '%s' for '%s' tracing: %s", spec.path, f.variable, errText(err)))
			return nil
		}
		tg.w, tg.c = file, file
		if st, err := file.Stat(); err != nil || !st.Mode().IsRegular() {
			tg.w = boundedWriter{file}
		}
	default:
		conn, err := dialSocket(spec)
		if err != nil {
			t.warnf(true, fmt.Sprintf("trace2: could not connect to socket '%s' for '%s' tracing: %s", spec.socket, f.variable, errText(err)))
			return nil
		}
		tg.w, tg.c = boundedWriter{conn}, conn
	}
	return tg
}

// maxAutoAttempts is how many names openInDir tries: the session's, then
// with ".1" to ".9" appended.
const maxAutoAttempts = 10

// discardSentinel is the file whose presence in a trace directory stops
// new trace files there (GIT_TRACE2_MAX_FILES).
const discardSentinel = "git-trace2-discard"

// openInDir creates a new file in dir named after the session (its last
// component), as git does for a directory target. With
// GIT_TRACE2_MAX_FILES set, a directory holding that many entries gets
// the discard sentinel instead (and the trace is written to it, marked
// too_many_files); one holding the sentinel gets nothing.
func (t *Trace) openInDir(dir string, f *format, env envVars) (*os.File, bool) {
	prefix := dir
	if !strings.HasSuffix(prefix, "/") {
		prefix += "/"
	}
	base := prefix + t.sid[strings.LastIndexByte(t.sid, '/')+1:]
	if maxFiles := atoi(env.get("GIT_TRACE2_MAX_FILES")); maxFiles > 0 {
		sentinel := prefix + discardSentinel
		if _, err := os.Stat(sentinel); err == nil {
			t.warnf(true, fmt.Sprintf("trace2: not opening %s trace file due to too many files in target directory %s", f.variable, dir))
			return nil, false
		}
		if countEntries(dir, maxFiles) >= maxFiles {
			file, err := os.OpenFile(sentinel, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
			if err != nil {
				t.warnf(true, fmt.Sprintf("trace2: could not open '%s' for '%s' tracing: %s", base, f.variable, errText(err)))
				return nil, false
			}
			return file, true
		}
	}
	var err error
	for i := 0; i < maxAutoAttempts; i++ {
		name := base
		if i > 0 {
			name += "." + strconv.Itoa(i)
		}
		var file *os.File
		if file, err = os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666); err == nil {
			return file, false
		}
	}
	t.warnf(true, fmt.Sprintf("trace2: could not open '%s' for '%s' tracing: %s", base, f.variable, errText(err)))
	return nil, false
}

// countEntries counts dir's entries up to limit as git's readdir loop
// does, "." and ".." included.
func countEntries(dir string, limit int) int {
	d, err := os.Open(dir)
	if err != nil {
		return 0
	}
	defer d.Close()
	names, _ := d.Readdirnames(limit)
	return min(len(names)+2, limit)
}

// dialSocket connects to a Unix socket: a stream socket, or a datagram
// one when the path is one (or the value asks for it). Each event is one
// write, so either kind gets whole messages.
func dialSocket(spec targetSpec) (net.Conn, error) {
	var err error
	if spec.stream {
		var c net.Conn
		if c, err = net.DialTimeout("unix", spec.socket, writeTimeout); err == nil {
			return c, nil
		}
		if !errors.Is(err, syscall.EPROTOTYPE) {
			return nil, err
		}
	}
	if spec.dgram {
		return net.DialTimeout("unixgram", spec.socket, writeTimeout)
	}
	return nil, err
}

// errText is the system's description of err, as git's strerror.
func errText(err error) string {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		return errno.Error()
	}
	return err.Error()
}

// write writes one or more whole lines in one call. A destination that
// fails is closed and dropped, as git drops it.
func (tg *target) write(t *Trace, line []byte) {
	tg.mu.Lock()
	if tg.dead {
		tg.mu.Unlock()
		return
	}
	_, err := tg.w.Write(line)
	if err != nil {
		tg.dead = true
		if tg.c != nil {
			tg.c.Close()
		}
	}
	tg.mu.Unlock()
	if err != nil {
		t.warnf(true, fmt.Sprintf("unable to write trace to '%s': %s", tg.f.variable, errText(err)))
	}
}

func (tg *target) close() {
	tg.mu.Lock()
	defer tg.mu.Unlock()
	if !tg.dead && tg.c != nil {
		tg.c.Close()
	}
	tg.dead = true
}
