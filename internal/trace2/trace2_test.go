package trace2

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
)

// openEvents starts a session whose event target is a file in a new
// directory, with extra variables; it returns the session and the file.
func openEvents(t *testing.T, extra ...string) (*Trace, string) {
	t.Helper()
	file := filepath.Join(t.TempDir(), "trace")
	tr := Open(append([]string{"GIT_TRACE2_EVENT=" + file}, extra...), Options{Version: "1.2.3"})
	if tr == nil {
		t.Fatal("Open returned nil with GIT_TRACE2_EVENT set")
	}
	return tr, file
}

// events reads a trace file: one JSON object per line.
func events(t *testing.T, file string) []map[string]any {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]any
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var e map[string]any
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		out = append(out, e)
	}
	return out
}

func names(evs []map[string]any) []string {
	var out []string
	for _, e := range evs {
		out = append(out, e["event"].(string))
	}
	return out
}

func TestNothingWithoutTargets(t *testing.T) {
	for _, environ := range [][]string{
		nil,
		{"PATH=/bin", "GIT_TRACE=1", "GIT_TRACE2_BRIEF=1"},
		{"GIT_TRACE2=", "GIT_TRACE2_EVENT=0", "GIT_TRACE2_PERF=false", "GIT_TRACE2_PARENT_SID=x"},
		{"GIT_TRACE2_EVENT=FALSE"},
	} {
		if tr := Open(environ, Options{}); tr != nil {
			t.Errorf("Open(%q) = %v, want nil", environ, tr)
		}
	}
	// A context without a session: nothing is told, nothing allocated.
	ctx := context.Background()
	var nilTrace *Trace
	if NewContext(ctx, nilTrace) != ctx || Enabled(ctx) {
		t.Fatal("a nil Trace must leave the context alone")
	}
	allocs := testing.AllocsPerRun(100, func() {
		rctx, leave := Region(ctx, "backfill", "walk")
		DataInt(rctx, "promisor", "fetch_count", 48)
		Data(rctx, "a", "b", "c")
		leave()
	})
	if allocs != 0 {
		t.Errorf("%v allocations per untraced region and data", allocs)
	}
	nilTrace.Start([]string{"x"})
	nilTrace.CmdName("backfill")
	nilTrace.Exit(0)
	if env := []string{"A=1"}; !slices.Equal(nilTrace.Environ(env), env) {
		t.Error("a nil Trace changed the environment")
	}
}

// TestEventFormat checks a whole session's events: their order, git's
// fields in git's order, and the exact text git's test_trace2_data greps
// for.
func TestEventFormat(t *testing.T) {
	tr, file := openEvents(t, "GIT_TRACE2_PARENT_SID=top/mid", "GIT_TRACE2_PARENT_NAME=_run_dashed_")
	tr.Start([]string{"git-backfill", "--sparse", "https://u:secret@example.com/r"})
	tr.CmdName("backfill")
	ctx := NewContext(context.Background(), tr)
	DataInt(ctx, "promisor", "fetch_count", 48)
	wctx, leave := Region(ctx, "backfill", "walk")
	DataInt(wctx, "path-walk", "paths", 30)
	leave()
	leave() // a second call does nothing
	tr.Exit(3)
	tr.Exit(4)                                 // nor does a second Exit
	DataInt(ctx, "promisor", "fetch_count", 1) // nor an event after it
	Data(wctx, "late", "key", "value")

	data, _ := os.ReadFile(file)
	// test_trace2_data promisor fetch_count 48, from git's test-lib-functions.sh.
	if !strings.Contains(string(data), `"category":"promisor","key":"fetch_count","value":"48"`) {
		t.Errorf("test_trace2_data promisor fetch_count 48 would not match:\n%s", data)
	}
	if !strings.Contains(string(data), `"category":"path-walk","key":"paths","value":"30"`) {
		t.Errorf("test_trace2_data path-walk paths 30 would not match:\n%s", data)
	}
	evs := events(t, file)
	want := []string{"version", "start", "cmd_name", "data", "region_enter", "data", "region_leave", "exit", "atexit"}
	if got := names(evs); !slices.Equal(got, want) {
		t.Fatalf("events %v, want %v", got, want)
	}
	sid := regexp.MustCompile(`^top/mid/\d{8}T\d{6}\.\d{6}Z-(H[0-9a-f]{8}|Localhost)-P[0-9a-f]{8}$`)
	for _, e := range evs {
		if !sid.MatchString(e["sid"].(string)) || e["thread"] != "main" {
			t.Errorf("%v: bad sid or thread", e)
		}
		if _, err := parseEventTime(e["time"]); err != nil {
			t.Errorf("%v: %v", e, err)
		}
		if f, _ := e["file"].(string); !strings.HasPrefix(f, "internal/trace2/") || e["line"].(float64) <= 0 {
			t.Errorf("%v: file and line should name this test", e)
		}
	}
	if evs[0]["evt"] != "4" || evs[0]["exe"] != "1.2.3" {
		t.Errorf("version: %v", evs[0])
	}
	if argv := evs[1]["argv"].([]any); len(argv) != 3 || argv[2] != "https://u:<REDACTED>@example.com/r" {
		t.Errorf("start argv %v: want the password redacted", argv)
	}
	if evs[2]["name"] != "backfill" || evs[2]["hierarchy"] != "_run_dashed_/backfill" {
		t.Errorf("cmd_name: %v", evs[2])
	}
	for i, nesting := range map[int]float64{3: 1, 4: 1, 5: 2, 6: 1} {
		if evs[i]["nesting"] != nesting {
			t.Errorf("%v: nesting %v, want %v", evs[i], evs[i]["nesting"], nesting)
		}
	}
	if evs[7]["code"] != 3.0 || evs[8]["code"] != 3.0 {
		t.Errorf("exit codes %v, %v; want 3", evs[7]["code"], evs[8]["code"])
	}
	// Keys in git's order (tr2_tgt_event.c).
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	keyOrder := map[string]string{
		"version":      "event,sid,thread,time,file,line,evt,exe",
		"start":        "event,sid,thread,time,file,line,t_abs,argv",
		"cmd_name":     "event,sid,thread,time,file,line,name,hierarchy",
		"region_enter": "event,sid,thread,time,file,line,nesting,category,label",
		"region_leave": "event,sid,thread,time,file,line,t_rel,nesting,category,label",
		"data":         "event,sid,thread,time,file,line,t_abs,t_rel,nesting,category,key,value",
		"exit":         "event,sid,thread,time,file,line,t_abs,code",
		"atexit":       "event,sid,thread,time,file,line,t_abs,code",
	}
	for i, line := range lines {
		if got := strings.Join(jsonKeys(t, line), ","); got != keyOrder[want[i]] {
			t.Errorf("%s keys: %s, want %s", want[i], got, keyOrder[want[i]])
		}
	}
	if env := tr.Environ([]string{"A=1", "GIT_TRACE2_PARENT_SID=old"}); !slices.Equal(env,
		[]string{"A=1", "GIT_TRACE2_PARENT_SID=" + tr.SID(), "GIT_TRACE2_PARENT_NAME=_run_dashed_/backfill"}) {
		t.Errorf("Environ = %q", env)
	}
}

// jsonKeys returns the top-level keys of a JSON object in order.
func jsonKeys(t *testing.T, line string) []string {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(line))
	if _, err := dec.Token(); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, k.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			t.Fatal(err)
		}
	}
	return keys
}

func TestEventNestingAndBrief(t *testing.T) {
	for _, tc := range []struct {
		env   []string
		depth []float64 // nesting of the data events written
		brief bool
	}{
		{nil, []float64{1, 2}, false},
		{[]string{"GIT_TRACE2_EVENT_NESTING=3", "GIT_TRACE2_EVENT_BRIEF=yes"}, []float64{1, 2, 3}, true},
		{[]string{"GIT_TRACE2_EVENT_NESTING=0", "GIT_TRACE2_EVENT_BRIEF=maybe"}, []float64{1, 2}, false},
	} {
		tr, file := openEvents(t, tc.env...)
		ctx := NewContext(context.Background(), tr)
		Data(ctx, "c", "k", "1")
		c2, leave2 := Region(ctx, "c", "outer")
		Data(c2, "c", "k", "2")
		c3, leave3 := Region(c2, "c", "inner") // nesting 2: written
		Data(c3, "c", "k", "3")                // nesting 3: only with NESTING=3
		c4, leave4 := Region(c3, "c", "deeper")
		Data(c4, "c", "k", "4")
		leave4()
		leave3()
		leave2()
		tr.Exit(0)
		var depths []float64
		for _, e := range events(t, file) {
			if e["event"] == "data" {
				depths = append(depths, e["nesting"].(float64))
			}
			_, hasTime := e["time"]
			_, hasFile := e["file"]
			wantTime := !tc.brief || e["event"] == "version" || e["event"] == "atexit"
			if hasTime != wantTime || hasFile == tc.brief {
				t.Errorf("%v with %q: time %v, file %v", e, tc.env, hasTime, hasFile)
			}
		}
		if !slices.Equal(depths, tc.depth) {
			t.Errorf("with %q: data at nesting %v, want %v", tc.env, depths, tc.depth)
		}
	}
}

func TestStderrTargets(t *testing.T) {
	for _, v := range []string{"1", "2", "true", "TRUE"} {
		var stderr bytes.Buffer
		tr := Open([]string{"GIT_TRACE2_EVENT=" + v}, Options{Stderr: &stderr})
		tr.Exit(0)
		if n := strings.Count(stderr.String(), "\n"); n != 3 || !strings.Contains(stderr.String(), `"event":"atexit"`) {
			t.Errorf("GIT_TRACE2_EVENT=%s wrote %q to stderr", v, stderr.String())
		}
	}
}

func TestUnusableTargets(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		value, debug, warning string
	}{
		{"relative/path", "", "trace2: unknown value for 'GIT_TRACE2_PERF': 'relative/path'"},
		{"af_unix:", "", ""},
		{"af_unix:", "1", "trace2: invalid AF_UNIX value 'af_unix:' for 'GIT_TRACE2_PERF' tracing"},
		{"af_unix:dgram:rel", "1", "trace2: invalid AF_UNIX path 'rel' for 'GIT_TRACE2_PERF' tracing"},
		{"af_unix:" + dir + "/none", "1", "trace2: could not connect to socket '" + dir + "/none' for 'GIT_TRACE2_PERF' tracing: no such file or directory"},
		{dir + "/no/such/dir/file", "", ""},
		{dir + "/no/such/dir/file", "1", "trace2: could not open '" + dir + "/no/such/dir/file' for 'GIT_TRACE2_PERF' tracing: no such file or directory"},
	} {
		var warnings []string
		tr := Open([]string{"GIT_TRACE2_PERF=" + tc.value, "GIT_TRACE2_DST_DEBUG=" + tc.debug},
			Options{Warn: func(m string) { warnings = append(warnings, m) }})
		if tr != nil {
			t.Errorf("%s: a session without a usable target", tc.value)
		}
		var want []string
		if tc.warning != "" {
			want = []string{tc.warning}
		}
		if !slices.Equal(warnings, want) {
			t.Errorf("%s (debug %q): warnings %q, want %q", tc.value, tc.debug, warnings, want)
		}
	}
}

// TestConcurrentWriters: events told at once from many goroutines, and
// by two sessions appending to one file (two processes), come out as
// whole lines.
func TestConcurrentWriters(t *testing.T) {
	tr1, file := openEvents(t)
	tr2 := Open([]string{"GIT_TRACE2_EVENT=" + file}, Options{})
	long := strings.Repeat("x", 3000)
	var wg sync.WaitGroup
	for _, tr := range []*Trace{tr1, tr2} {
		ctx := NewContext(context.Background(), tr)
		for g := range 8 {
			wg.Go(func() {
				rctx, leave := Region(ctx, "test", "worker")
				for i := range 50 {
					DataInt(rctx, "promisor", "fetch_count", int64(g*100+i))
					Data(rctx, "test", "long", long)
				}
				leave()
			})
		}
	}
	wg.Wait()
	tr1.Exit(0)
	tr2.Exit(0)
	evs := events(t, file)
	counts := map[string]int{}
	for _, e := range evs {
		counts[e["event"].(string)]++
	}
	if counts["data"] != 2*8*50*2 || counts["region_enter"] != 16 || counts["atexit"] != 2 {
		t.Errorf("event counts %v", counts)
	}
}

func TestDirectoryTarget(t *testing.T) {
	dir := t.TempDir()
	environ := []string{"GIT_TRACE2_EVENT=" + dir, "GIT_TRACE2_PARENT_SID=parent"}
	tr := Open(environ, Options{})
	tr.Exit(0)
	own := tr.SID()[strings.LastIndexByte(tr.SID(), '/')+1:]
	if evs := events(t, filepath.Join(dir, own)); len(evs) != 3 {
		t.Fatalf("%d events in the session's file", len(evs))
	}
	// Another session of the same id gets the next free name.
	tr2 := &Trace{sid: tr.SID()}
	for i, want := range []string{own + ".1", own + ".2"} {
		f, tooMany := tr2.openInDir(dir, formats[2], envVars{})
		if f == nil || tooMany || filepath.Base(f.Name()) != want {
			t.Fatalf("attempt %d: %v, want %s", i, f, want)
		}
		f.Close()
	}
}

func TestDirectoryOverMaxFiles(t *testing.T) {
	dir := t.TempDir()
	environ := []string{"GIT_TRACE2_EVENT=" + dir, "GIT_TRACE2_MAX_FILES=3"} // "." and ".." count
	tr := Open(environ, Options{})
	tr.Exit(0)
	if _, err := os.Stat(filepath.Join(dir, tr.SID())); err != nil {
		t.Fatal("the first session should get its file")
	}
	tr = Open(environ, Options{})
	tr.Exit(0)
	if got := names(events(t, filepath.Join(dir, discardSentinel))); !slices.Equal(got,
		[]string{"version", "too_many_files", "exit", "atexit"}) {
		t.Fatalf("the sentinel holds %v", got)
	}
	var warnings []string
	tr = Open(append(environ, "GIT_TRACE2_DST_DEBUG=1"), Options{Warn: func(m string) { warnings = append(warnings, m) }})
	if tr != nil || len(warnings) != 1 || !strings.Contains(warnings[0], "too many files") {
		t.Fatalf("with the sentinel present: %v, %q", tr, warnings)
	}
}

func TestSocketTargets(t *testing.T) {
	dir, err := os.MkdirTemp("", "t2") // short: a socket's path has a limit
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	for i, tc := range []struct{ network, prefix string }{
		{"unix", "af_unix:"}, {"unix", "af_unix:stream:"}, {"unixgram", "af_unix:"}, {"unixgram", "af_unix:dgram:"},
	} {
		// A socket of its own: the last one's listener may not have
		// removed its file yet.
		path := filepath.Join(dir, fmt.Sprint("s", i))
		got := listen(t, tc.network, path)
		tr := Open([]string{"GIT_TRACE2_EVENT=" + tc.prefix + path}, Options{})
		if tr == nil {
			t.Fatalf("%s%s: no session", tc.prefix, tc.network)
		}
		tr.Exit(0)
		if text := <-got; strings.Count(text, "\n") != 3 || !strings.Contains(text, `"event":"atexit"`) {
			t.Errorf("%s over %s: got %q", tc.prefix, tc.network, text)
		}
	}
}

func TestWriteFailureDropsTheTarget(t *testing.T) {
	w := &failingWriter{}
	var warnings []string
	tr := &Trace{sid: "s", debug: true, warn: func(m string) { warnings = append(warnings, m) },
		targets: []*target{{f: formats[2], nesting: 2, w: w}}}
	ctx := NewContext(context.Background(), tr)
	Data(ctx, "a", "b", "c")
	Data(ctx, "a", "b", "c")
	if w.calls != 1 || len(warnings) != 1 || warnings[0] != "unable to write trace to 'GIT_TRACE2_EVENT': broken pipe" {
		t.Fatalf("%d writes, warnings %q", w.calls, warnings)
	}
}
