package trace2

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// record is one event, formatted by each target in its own way.
type record struct {
	name    string        // "version", "start", "cmd_name", "region_enter", ...
	now     time.Time     // when it happened
	elapsed time.Duration // since the process started (t_abs)
	file    string        // where it was told, relative to the module
	line    int
	abs     bool          // the perf format shows elapsed
	rel     time.Duration // time in the innermost region (t_rel)
	hasRel  bool
	nesting int // open regions, the thread counting as one

	category, label, key, value string

	argv               []string
	code               int
	exe                string
	cmdName, hierarchy string
}

// threadName is the name every event carries: goroutines are not threads
// that git would name.
const threadName = "main"

// format returns r as the target's format writes it, whole lines, or nil
// when the target does not take r.
func (tg *target) format(t *Trace, r *record) []byte {
	switch tg.f.name {
	case "event":
		return tg.formatEvent(t, r)
	case "perf":
		return formatPerf(t, r, tg.brief)
	}
	return formatNormal(r, tg.brief)
}

// formatEvent writes r as the event format does (tr2_tgt_event.c): one
// JSON object per line, keys in git's order. Regions and data deeper than
// GIT_TRACE2_EVENT_NESTING (2 by default) are left out, as git leaves them.
func (tg *target) formatEvent(t *Trace, r *record) []byte {
	switch r.name {
	case "region_enter", "region_leave", "data":
		if r.nesting > tg.nesting {
			return nil
		}
	}
	var j jsonLine
	tg.eventHeader(&j, t, r.name, r)
	switch r.name {
	case "version":
		j.str("evt", "4")
		j.str("exe", r.exe)
	case "start":
		j.seconds("t_abs", r.elapsed)
		j.strs("argv", r.argv)
	case "cmd_name":
		j.str("name", r.cmdName)
		if r.hierarchy != "" {
			j.str("hierarchy", r.hierarchy)
		}
	case "region_enter":
		j.int("nesting", r.nesting)
		j.str("category", r.category)
		j.str("label", r.label)
	case "region_leave":
		j.seconds("t_rel", r.rel)
		j.int("nesting", r.nesting)
		j.str("category", r.category)
		j.str("label", r.label)
	case "data":
		j.seconds("t_abs", r.elapsed)
		j.seconds("t_rel", r.rel)
		j.int("nesting", r.nesting)
		j.str("category", r.category)
		j.str("key", r.key)
		j.str("value", r.value)
	case "exit", "atexit":
		j.seconds("t_abs", r.elapsed)
		j.int("code", r.code)
	}
	out := j.end()
	if r.name == "version" && tg.tooMany {
		// A directory over GIT_TRACE2_MAX_FILES: this trace went to the
		// sentinel file, and says why.
		var k jsonLine
		tg.eventHeader(&k, t, "too_many_files", r)
		out = append(out, k.end()...)
	}
	return out
}

// eventHeader writes the fields every event starts with. Brief events
// (GIT_TRACE2_EVENT_BRIEF) have no file and line, and a time only on
// version and atexit.
func (tg *target) eventHeader(j *jsonLine, t *Trace, name string, r *record) {
	j.str("event", name)
	j.str("sid", t.sid)
	j.str("thread", threadName)
	if !tg.brief || name == "version" || name == "atexit" {
		j.str("time", r.now.UTC().Format("2006-01-02T15:04:05.000000Z"))
	}
	if !tg.brief && r.file != "" {
		j.str("file", r.file)
		j.int("line", r.line)
	}
}

// normalWidth is where the normal format's message starts, after the
// time, file and line (TR2FMT_NORMAL_FL_WIDTH).
const normalWidth = 50

// formatNormal writes r as the normal format does (tr2_tgt_normal.c):
// "<local time> <file>:<line>" padded, then the message. It has no
// regions and no data.
func formatNormal(r *record, brief bool) []byte {
	var msg string
	switch r.name {
	case "version":
		msg = "version " + r.exe
	case "start":
		msg = "start " + sqArgv(r.argv)
	case "cmd_name":
		msg = "cmd_name " + r.cmdName
		if r.hierarchy != "" {
			msg += " (" + r.hierarchy + ")"
		}
	case "exit", "atexit":
		msg = fmt.Sprintf("%s elapsed:%s code:%d", r.name, seconds(r.elapsed), r.code)
	default:
		return nil
	}
	var b []byte
	if !brief {
		b = append(b, r.now.Format("15:04:05.000000")...)
		b = append(b, ' ')
		if r.file != "" {
			b = fmt.Appendf(b, "%s:%d ", r.file, r.line)
		}
		for len(b) < normalWidth {
			b = append(b, ' ')
		}
	}
	b = append(b, msg...)
	return append(b, '\n')
}

// Column widths of the perf format (tr2_tgt_perf.c).
const (
	perfFileWidth     = 28
	perfThreadWidth   = 24
	perfEventWidth    = 12
	perfRepoWidth     = 3
	perfCategoryWidth = 12
)

// formatPerf writes r as the perf format does: columns separated by " | "
// (time and file:line unless brief, session depth, thread, event, repo,
// elapsed time, time in the region, category) and the message, indented
// by two dots per open region.
func formatPerf(t *Trace, r *record, brief bool) []byte {
	var msg string
	switch r.name {
	case "version":
		msg = r.exe
	case "start":
		msg = sqArgv(r.argv)
	case "cmd_name":
		msg = r.cmdName
		if r.hierarchy != "" {
			msg += " (" + r.hierarchy + ")"
		}
	case "region_enter", "region_leave":
		msg = "label:" + r.label
	case "data":
		msg = r.key + ":" + r.value
	case "exit", "atexit":
		msg = "code:" + strconv.Itoa(r.code)
	default:
		return nil
	}
	var b []byte
	if !brief {
		b = append(b, r.now.Format("15:04:05.000000")...)
		b = append(b, ' ')
		end := len(b) + perfFileWidth
		if r.file != "" {
			fl := r.file + ":" + strconv.Itoa(r.line)
			if len(fl) > perfFileWidth {
				fl = "..." + fl[len(fl)-(perfFileWidth-3):]
			}
			b = append(b, fl...)
		}
		for len(b) < end {
			b = append(b, ' ')
		}
		b = append(b, " | "...)
	}
	b = fmt.Appendf(b, "d%d | %-*s | %-*s | ", t.depth, perfThreadWidth, threadName, perfEventWidth, r.name)
	b = append(b, strings.Repeat(" ", perfRepoWidth)...) // no repository ids
	b = append(b, " | "...)
	if r.abs {
		b = fmt.Appendf(b, "%9.6f | ", float64(r.elapsed.Microseconds())/1e6)
	} else {
		b = fmt.Appendf(b, "%9s | ", "")
	}
	if r.hasRel {
		b = fmt.Appendf(b, "%9.6f | ", float64(r.rel.Microseconds())/1e6)
	} else {
		b = fmt.Appendf(b, "%9s | ", "")
	}
	category := r.category
	if len(category) > perfCategoryWidth {
		category = category[:perfCategoryWidth]
	}
	b = fmt.Appendf(b, "%-*s | ", perfCategoryWidth, category)
	if n := max(r.nesting, 1); n > 1 {
		b = append(b, strings.Repeat(".", (n-1)*2)...)
	}
	b = append(b, msg...)
	return append(b, '\n')
}

// seconds formats d in seconds with six decimals, as git's "%.6f" of
// microseconds.
func seconds(d time.Duration) string {
	us := d.Microseconds()
	sign := ""
	if us < 0 {
		sign, us = "-", -us
	}
	return fmt.Sprintf("%s%d.%06d", sign, us/1e6, us%1e6)
}

// jsonLine builds one JSON object on one line, as git's json-writer.
type jsonLine struct {
	b []byte
}

func (j *jsonLine) key(k string) {
	if len(j.b) == 0 {
		j.b = append(j.b, '{')
	} else {
		j.b = append(j.b, ',')
	}
	j.b = appendJSONString(j.b, k)
	j.b = append(j.b, ':')
}

func (j *jsonLine) str(k, v string) {
	j.key(k)
	j.b = appendJSONString(j.b, v)
}

func (j *jsonLine) int(k string, v int) {
	j.key(k)
	j.b = strconv.AppendInt(j.b, int64(v), 10)
}

func (j *jsonLine) seconds(k string, d time.Duration) {
	j.key(k)
	j.b = append(j.b, seconds(d)...)
}

func (j *jsonLine) strs(k string, vs []string) {
	j.key(k)
	j.b = append(j.b, '[')
	for i, v := range vs {
		if i > 0 {
			j.b = append(j.b, ',')
		}
		j.b = appendJSONString(j.b, v)
	}
	j.b = append(j.b, ']')
}

// end closes the object and the line.
func (j *jsonLine) end() []byte {
	if len(j.b) == 0 {
		j.b = append(j.b, '{')
	}
	return append(j.b, '}', '\n')
}
