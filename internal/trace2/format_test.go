package trace2

import (
	"testing"
	"time"
)

// The normal and perf formats, line by line as git writes them (compare
// the examples in git's Documentation/technical/api-trace2.adoc).
func TestTextFormats(t *testing.T) {
	now := time.Date(2026, 12, 3, 14, 29, 9, 922034000, time.UTC)
	tr := &Trace{sid: "s", depth: 1}
	for _, tc := range []struct {
		r            record
		normal, perf string
	}{
		{
			record{name: "version", file: "internal/cli/trace.go", line: 22, exe: "1.0"},
			"14:29:09.922034 internal/cli/trace.go:22          version 1.0\n",
			"14:29:09.922034 internal/cli/trace.go:22     | d1 | main                     | version      |     |           |           |              | 1.0\n",
		},
		{
			record{name: "start", file: "internal/cli/trace.go", line: 34, abs: true, elapsed: 2986 * time.Microsecond,
				argv: []string{"/bin/git-backfill", "--min-batch-size=20", "a b"}},
			"14:29:09.922034 internal/cli/trace.go:34          start /bin/git-backfill --min-batch-size=20 'a b'\n",
			"14:29:09.922034 internal/cli/trace.go:34     | d1 | main                     | start        |     |  0.002986 |           |              | /bin/git-backfill --min-batch-size=20 'a b'\n",
		},
		{
			record{name: "cmd_name", file: "internal/cli/trace.go", line: 35, cmdName: "backfill", hierarchy: "_run_dashed_/backfill"},
			"14:29:09.922034 internal/cli/trace.go:35          cmd_name backfill (_run_dashed_/backfill)\n",
			"14:29:09.922034 internal/cli/trace.go:35     | d1 | main                     | cmd_name     |     |           |           |              | backfill (_run_dashed_/backfill)\n",
		},
		{
			record{name: "region_enter", file: "internal/backfill/walk.go", line: 68, abs: true, elapsed: 11073 * time.Microsecond,
				nesting: 1, category: "backfill", label: "walk"},
			"",
			"14:29:09.922034 internal/backfill/walk.go:68 | d1 | main                     | region_enter |     |  0.011073 |           | backfill     | label:walk\n",
		},
		{
			record{name: "data", file: "internal/backfill/fetcher.go", line: 210, abs: true, elapsed: 17874 * time.Microsecond,
				hasRel: true, rel: 17873 * time.Microsecond, nesting: 2, category: "promisor", key: "fetch_count", value: "48"},
			"",
			"14:29:09.922034 ...l/backfill/fetcher.go:210 | d1 | main                     | data         |     |  0.017874 |  0.017873 | promisor     | ..fetch_count:48\n",
		},
		{
			record{name: "region_leave", file: "f.go", line: 1, abs: true, elapsed: 20856 * time.Microsecond,
				hasRel: true, rel: 9740 * time.Microsecond, nesting: 1, category: "a-long-category", label: "walk"},
			"",
			"14:29:09.922034 f.go:1                       | d1 | main                     | region_leave |     |  0.020856 |  0.009740 | a-long-categ | label:walk\n",
		},
		{
			record{name: "atexit", file: "internal/cli/trace.go", line: 37, abs: true, elapsed: 67064 * time.Microsecond, code: 129},
			"14:29:09.922034 internal/cli/trace.go:37          atexit elapsed:0.067064 code:129\n",
			"14:29:09.922034 internal/cli/trace.go:37     | d1 | main                     | atexit       |     |  0.067064 |           |              | code:129\n",
		},
	} {
		tc.r.now = now
		normal := &target{f: formats[0]}
		perf := &target{f: formats[1]}
		if got := string(normal.format(tr, &tc.r)); got != tc.normal {
			t.Errorf("normal %s:\n got %q\nwant %q", tc.r.name, got, tc.normal)
		}
		if got := string(perf.format(tr, &tc.r)); got != tc.perf {
			t.Errorf("perf %s:\n got %q\nwant %q", tc.r.name, got, tc.perf)
		}
	}
	// Brief: no time, no file and line.
	r := record{name: "exit", now: now, file: "x.go", line: 1, abs: true, elapsed: time.Second, code: 0}
	if got := string(formatNormal(&r, true)); got != "exit elapsed:1.000000 code:0\n" {
		t.Errorf("brief normal: %q", got)
	}
	if got := string(formatPerf(tr, &r, true)); got != "d1 | main                     | exit         |     |  1.000000 |           |              | code:0\n" {
		t.Errorf("brief perf: %q", got)
	}
}
