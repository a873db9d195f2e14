package trace2

import (
	"math"
	"path"
	"runtime"
	"strconv"
	"strings"
	"sync"
)

// envVars are the GIT_TRACE2* variables of an environment. As getenv,
// the first of repeated names counts; as in git, an empty value is no
// value.
type envVars map[string]string

func traceEnv(environ []string) envVars {
	var env envVars
	for _, kv := range environ {
		if !strings.HasPrefix(kv, "GIT_TRACE2") {
			continue
		}
		name, value, ok := strings.Cut(kv, "=")
		if !ok {
			continue
		}
		if env == nil {
			env = envVars{}
		}
		if _, dup := env[name]; !dup {
			env[name] = value
		}
	}
	return env
}

func (e envVars) get(name string) string { return e[name] }

// wantsAny reports whether a target variable is set to anything but off.
func (e envVars) wantsAny() bool {
	for _, f := range formats {
		if !parseTarget(e.get(f.variable)).off {
			return true
		}
	}
	return false
}

// setEnv returns environ with name set to value: a copy, without the
// entries that set name before.
func setEnv(environ []string, name, value string) []string {
	out := make([]string, 0, len(environ)+1)
	for _, kv := range environ {
		if n, _, _ := strings.Cut(kv, "="); n != name {
			out = append(out, kv)
		}
	}
	return append(out, name+"="+value)
}

// parseMaybeBool reads a boolean as git_parse_maybe_bool: true, yes, on
// and false, no, off in any case, or an integer (non-zero is true, with an
// optional k, m or g unit). "" is def, as for an unset variable; anything
// else is def too (git ignores what it cannot read).
func parseMaybeBool(s string, def bool) bool {
	if s == "" {
		return def
	}
	switch strings.ToLower(s) {
	case "true", "yes", "on":
		return true
	case "false", "no", "off":
		return false
	}
	num := strings.TrimRight(s, "kKmMgG")
	if len(s)-len(num) > 1 {
		return def
	}
	n, err := strconv.ParseInt(num, 0, 64)
	if err != nil {
		return def
	}
	return n != 0
}

// atoi reads a number as C's atoi, which git uses for the nesting, file
// count and debug settings: leading blanks, a sign, then as many digits as
// there are; 0 when there are none.
func atoi(s string) int {
	s = strings.TrimLeft(s, " \t\n\v\f\r")
	neg := false
	if s != "" && (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-'
		s = s[1:]
	}
	n := 0
	for i := 0; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		d := int(s[i] - '0')
		if n > (math.MaxInt32-d)/10 {
			n = math.MaxInt32 // atoi's overflow is undefined: saturate
			break
		}
		n = n*10 + d
	}
	if neg {
		return -n
	}
	return n
}

func formatInt(v int64) string { return strconv.FormatInt(v, 10) }

var (
	rootOnce sync.Once
	root     string // the module's directory (or import path), with a final "/"
)

// caller returns the source file (relative to the module, as git names
// its files relative to its source tree) and line of the function skip
// frames above caller's caller.
func caller(skip int) (string, int) {
	_, file, line, ok := runtime.Caller(skip + 1)
	if !ok {
		return "", 0
	}
	rootOnce.Do(func() {
		if _, self, _, ok := runtime.Caller(0); ok {
			// self is <root>internal/trace2/env.go
			root = path.Dir(path.Dir(path.Dir(self))) + "/"
		}
	})
	if rel, ok := strings.CutPrefix(file, root); ok && root != "/" {
		return rel, line
	}
	return path.Base(file), line
}
