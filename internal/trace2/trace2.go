// Package trace2 writes git's trace2 events for git-backfill, in git's
// three formats, to the targets that git's own variables name:
// GIT_TRACE2_EVENT (JSON lines), GIT_TRACE2 (the "normal" text) and
// GIT_TRACE2_PERF (the "perf" columns). A "git backfill" then traces as a
// git command does: tools that read git's traces, and git's own tests
// (test_trace2_data), find the same events, and the git processes it
// starts nest their events under its session id.
//
// The values mean what they mean to git (see parseTarget and openTarget):
// an absolute path is a file appended to, a directory gets a file per
// session, "1", "2" or "true" is standard error, another digit a file
// descriptor, "af_unix:..." a socket; "", "0" and "false" turn a target
// off. A target that cannot be opened or written is dropped silently, as
// git drops it (GIT_TRACE2_DST_DEBUG asks for a warning). Git also reads
// its trace2.* config keys from the system and global config; those are
// not read here.
//
// When no variable names a target, Open returns nil, and every function
// and method of this package does nothing on a nil *Trace or a context
// without one: no file is opened, no goroutine started, nothing is
// formatted.
//
// Events are told through a context.Context (NewContext, Region, Data):
// the regions a context is in stand for what git calls the nesting of a
// thread. Every event says thread "main".
package trace2

import (
	"context"
	"io"
	"os"
	"sync"
	"time"
)

// processStart stands for the process's start, which git's "t_abs" counts
// from: the package's initialisation, before main runs.
var processStart = time.Now()

// Options are what a Trace needs from its program.
type Options struct {
	// Version is the program's version: the "exe" of the version event.
	Version string
	// Stderr receives the events of the targets set to "1", "2" or "true",
	// which git writes to its standard error; nil turns those targets off.
	// Each event is one Write.
	Stderr io.Writer
	// Warn, if not nil, is told of unusable targets, as git warns of them:
	// always for a value git does not understand, else only when
	// GIT_TRACE2_DST_DEBUG is set. It is called one call at a time, from
	// any goroutine.
	Warn func(msg string)
}

// Trace is one process's trace2 session: its session id and open
// targets. Its methods and the package's functions are safe for
// concurrent use; all do nothing on a nil *Trace.
type Trace struct {
	sid        string // this session's id, below its parents'
	depth      int    // git sessions above this one (perf's "d<n>")
	parentName string // GIT_TRACE2_PARENT_NAME: the commands above this one
	redact     bool   // hide passwords in URLs of the argv (GIT_TRACE2_REDACT)
	debug      bool   // warn of targets that fail (GIT_TRACE2_DST_DEBUG)
	warn       func(string)
	targets    []*target

	warnMu sync.Mutex

	mu        sync.Mutex
	hierarchy string // the command names from the top session to this one
	exited    bool
}

// Open starts a session if environ (as os.Environ) names at least one
// usable target, and writes the version event to each. It returns nil
// otherwise. The caller ends the session with Exit.
func Open(environ []string, opts Options) *Trace {
	env := traceEnv(environ)
	if !env.wantsAny() {
		return nil
	}
	t := &Trace{
		redact:     parseMaybeBool(env.get("GIT_TRACE2_REDACT"), true),
		debug:      atoi(env.get("GIT_TRACE2_DST_DEBUG")) > 0,
		parentName: env.get("GIT_TRACE2_PARENT_NAME"),
		warn:       opts.Warn,
	}
	host, herr := os.Hostname()
	t.sid, t.depth = newSID(env.get("GIT_TRACE2_PARENT_SID"), time.Now(), host, herr, os.Getpid())
	for _, f := range formats {
		if tg := t.openTarget(f, env, opts.Stderr); tg != nil {
			t.targets = append(t.targets, tg)
		}
	}
	if len(t.targets) == 0 {
		return nil
	}
	file, line := caller(1)
	t.emit(&record{name: "version", file: file, line: line, exe: opts.Version})
	return t
}

// SID returns the session id, "" for a nil Trace.
func (t *Trace) SID() string {
	if t == nil {
		return ""
	}
	return t.sid
}

// Start writes the start event: the command line, argv[0] included, with
// passwords in http(s) URLs replaced (unless GIT_TRACE2_REDACT is false).
func (t *Trace) Start(argv []string) {
	if t == nil {
		return
	}
	if t.redact {
		argv = redactArgv(argv)
	}
	file, line := caller(1)
	t.emit(&record{name: "start", file: file, line: line, abs: true, argv: argv})
}

// CmdName writes the cmd_name event: name, and the hierarchy of command
// names from the top git process down to this one, which Environ passes
// on to child processes.
func (t *Trace) CmdName(name string) {
	if t == nil {
		return
	}
	h := name
	if t.parentName != "" {
		h = t.parentName + "/" + name
	}
	t.mu.Lock()
	t.hierarchy = h
	t.mu.Unlock()
	file, line := caller(1)
	t.emit(&record{name: "cmd_name", file: file, line: line, cmdName: name, hierarchy: h})
}

// Environ returns environ for child processes: with this session as
// their parent (GIT_TRACE2_PARENT_SID) and, after CmdName, the command
// hierarchy (GIT_TRACE2_PARENT_NAME), as git sets them for its children.
// It returns environ itself for a nil Trace.
func (t *Trace) Environ(environ []string) []string {
	if t == nil {
		return environ
	}
	t.mu.Lock()
	hierarchy := t.hierarchy
	t.mu.Unlock()
	out := setEnv(environ, "GIT_TRACE2_PARENT_SID", t.sid)
	if hierarchy != "" {
		out = setEnv(out, "GIT_TRACE2_PARENT_NAME", hierarchy)
	}
	return out
}

// Exit writes the exit and atexit events with the process's exit code and
// closes the targets. Events told after it are dropped; a second Exit does
// nothing.
func (t *Trace) Exit(code int) {
	if t == nil {
		return
	}
	t.mu.Lock()
	done := t.exited
	t.exited = true
	t.mu.Unlock()
	if done {
		return
	}
	file, line := caller(1)
	t.emit(&record{name: "exit", file: file, line: line, abs: true, code: code})
	t.emit(&record{name: "atexit", file: file, line: line, abs: true, code: code})
	for _, tg := range t.targets {
		tg.close()
	}
}

// warnf reports an unusable target; debugOnly warnings need
// GIT_TRACE2_DST_DEBUG, as in git.
func (t *Trace) warnf(debugOnly bool, msg string) {
	if t.warn == nil || (debugOnly && !t.debug) {
		return
	}
	t.warnMu.Lock()
	defer t.warnMu.Unlock()
	t.warn(msg)
}

// scope is where in a trace a context is: its enclosing region.
type scope struct {
	t      *Trace
	parent *scope
	start  time.Time // of the innermost region; of the process at the top
	// nesting is git's count of open regions on a thread, the thread
	// itself counting as one: 1 at the top.
	nesting int
}

type ctxKey struct{}

// NewContext returns ctx carrying t, at the top of its regions. With a nil
// t it returns ctx.
func NewContext(ctx context.Context, t *Trace) context.Context {
	if t == nil {
		return ctx
	}
	return context.WithValue(ctx, ctxKey{}, &scope{t: t, start: processStart, nesting: 1})
}

func fromContext(ctx context.Context) *scope {
	s, _ := ctx.Value(ctxKey{}).(*scope)
	return s
}

// Enabled reports whether ctx carries a Trace: whether events told
// through it are written anywhere.
func Enabled(ctx context.Context) bool {
	return fromContext(ctx) != nil
}

func noop() {}

// Region writes region_enter with category and label, and returns a
// context inside the region, for the events told within it, and the
// function that leaves it (writing region_leave with the time spent). The
// function must be called once, after the events inside the region.
func Region(ctx context.Context, category, label string) (context.Context, func()) {
	s := fromContext(ctx)
	if s == nil {
		return ctx, noop
	}
	file, line := caller(1)
	s.t.emit(&record{name: "region_enter", file: file, line: line, abs: true,
		nesting: s.nesting, category: category, label: label})
	inner := &scope{t: s.t, parent: s, start: time.Now(), nesting: s.nesting + 1}
	var once sync.Once
	return context.WithValue(ctx, ctxKey{}, inner), func() {
		file, line := caller(1)
		once.Do(func() {
			s.t.emit(&record{name: "region_leave", file: file, line: line, abs: true,
				rel: time.Since(inner.start), hasRel: true,
				nesting: s.nesting, category: category, label: label})
		})
	}
}

// Data writes a data event: key's value in category, at ctx's nesting.
func Data(ctx context.Context, category, key, value string) {
	s := fromContext(ctx)
	if s == nil {
		return
	}
	file, line := caller(1)
	s.t.data(s, file, line, category, key, value)
}

// DataInt is Data with an integer value, written in decimal as git's
// trace2_data_intmax does.
func DataInt(ctx context.Context, category, key string, value int64) {
	s := fromContext(ctx)
	if s == nil {
		return
	}
	file, line := caller(1)
	s.t.data(s, file, line, category, key, formatInt(value))
}

func (t *Trace) data(s *scope, file string, line int, category, key, value string) {
	t.emit(&record{name: "data", file: file, line: line, abs: true,
		rel: time.Since(s.start), hasRel: true, nesting: s.nesting,
		category: category, key: key, value: value})
}

// emit stamps r and writes it to every target that takes its kind.
func (t *Trace) emit(r *record) {
	r.now = time.Now()
	r.elapsed = r.now.Sub(processStart)
	for _, tg := range t.targets {
		if line := tg.format(t, r); line != nil {
			tg.write(t, line)
		}
	}
}
