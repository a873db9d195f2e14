package cli

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestParseArgs(t *testing.T) {
	for _, tc := range []struct {
		args   []string
		values map[string]string
		revs   []string
		specs  []string
	}{
		{nil, map[string]string{}, nil, nil},
		{[]string{"--min-batch-size=20", "HEAD~2..HEAD"}, map[string]string{"min-batch-size": "20"}, []string{"HEAD~2..HEAD"}, nil},
		{[]string{"--min-batch-size", "1k", "--no-sparse", "-q"},
			map[string]string{"min-batch-size": "1k", "sparse": "false", "quiet": "true"}, nil, nil},
		{[]string{"--sparse", "--no-include-edges", "--remote", "up"},
			map[string]string{"sparse": "true", "include-edges": "false", "remote": "up"}, nil, nil},
		{[]string{"--since", "2 weeks ago", "-n", "5", "-3", "--first-parent", "^X", "Y", "--branches=r*"},
			map[string]string{}, []string{"--since=2 weeks ago", "-n", "5", "-3", "--first-parent", "^X", "Y", "--branches=r*"}, nil},
		{[]string{"HEAD", "--", "d/f", "--sparse"}, map[string]string{}, []string{"HEAD"}, []string{"d/f", "--sparse"}},
		{[]string{"--stdin", "--all", "--not", "--tags"}, map[string]string{}, []string{"--stdin", "--all", "--not", "--tags"}, nil},
	} {
		p, err := parseArgs(backfillOptions, tc.args)
		if err != nil {
			t.Errorf("%q: %v", tc.args, err)
			continue
		}
		if !reflect.DeepEqual(p.values, tc.values) || !reflect.DeepEqual(p.revs, tc.revs) || !reflect.DeepEqual(p.pathspecs, tc.specs) {
			t.Errorf("%q: values %v revs %q specs %q", tc.args, p.values, p.revs, p.pathspecs)
		}
	}
}

func TestParseArgsRefuses(t *testing.T) {
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"-S", "foo"}, "'-S' cannot be used with 'git backfill'"},
		{[]string{"-Gfoo"}, "'-G' cannot be used with 'git backfill'"},
		{[]string{"--diff-filter=M"}, "'--diff-filter' cannot be used with 'git backfill'"},
		{[]string{"--follow"}, "'--follow' cannot be used with 'git backfill'"},
		{[]string{"-L", "1,2:f"}, "'-L' cannot be used with 'git backfill'"},
		{[]string{"--diff-merges=on"}, "'--diff-merges' cannot be used with 'git backfill'"},
		{[]string{"--objects", "--filter=tree:1"}, "cannot backfill with these filter options (--filter=tree:1)"},
		{[]string{"--objects", "--filter=blob:none"}, "cannot backfill with these filter options"},
		{[]string{"--filter=blob:limit=10m", "--objects", "HEAD"}, "cannot backfill with blob size limits (--filter=blob:limit=10m)"},
		{[]string{"--objects", "--filter=blob:limit=1k", "--filter=tree:0"}, "cannot backfill with these filter options (--filter=tree:0)"},
		{[]string{"--filter=tree:1"}, "object filtering requires --objects"},
		{[]string{"--objects", "--filter=tree:1", "--", "d"}, "cannot backfill with these filter options"},
		{[]string{"--filter", "tree:1"}, "unrecognized argument: --filter"},
		{[]string{"--pretty=oneline"}, "unrecognized argument: --pretty=oneline"},
		{[]string{"--all", "--bogus", "--first-parent"}, "unrecognized argument: --bogus"},
		{[]string{"-x"}, "unrecognized argument: -x"},
		{[]string{"--min-batch-size"}, "requires a value"},
		{[]string{"--since"}, "requires a value"},
		{[]string{"--dry-run=yes"}, "takes no value"},
		{[]string{"--verbose=yes"}, "takes no value"},
		{[]string{"--no-remote"}, "unrecognized argument"},
	} {
		_, err := parseArgs(backfillOptions, tc.args)
		var usage *usageError
		if !errors.As(err, &usage) || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%q: got %v, want a usage error containing %q", tc.args, err, tc.msg)
		}
	}
}

// TestObjectOptions: rev-list's object options that git's builtin accepts
// are taken and never reach rev-list, whose output they would change.
func TestObjectOptions(t *testing.T) {
	for _, args := range [][]string{
		{"--objects", "HEAD"},
		{"--objects-edge", "HEAD"},
		{"--objects", "--filter=tree:1", "--no-filter", "HEAD"},
	} {
		p, err := parseArgs(backfillOptions, args)
		if err != nil {
			t.Errorf("%q: %v", args, err)
			continue
		}
		if !reflect.DeepEqual(p.revs, []string{"HEAD"}) || !reflect.DeepEqual(p.rangeRevs, []string{"HEAD"}) {
			t.Errorf("%q: revs %q, range %q; want HEAD only", args, p.revs, p.rangeRevs)
		}
	}
}

// TestVerbosity: -q and -v turn each other off, so the later one wins.
func TestVerbosity(t *testing.T) {
	for _, tc := range []struct {
		args           []string
		quiet, verbose bool
	}{
		{nil, false, false},
		{[]string{"-v"}, false, true},
		{[]string{"--verbose"}, false, true},
		{[]string{"-q"}, true, false},
		{[]string{"-v", "-q"}, true, false},
		{[]string{"-q", "--verbose"}, false, true},
		{[]string{"-vq"}, true, false},
		{[]string{"-qv"}, false, true},
		{[]string{"-v", "--no-quiet"}, false, true},
		{[]string{"-v", "--no-verbose"}, false, false},
	} {
		p, err := parseArgs(backfillOptions, tc.args)
		if err != nil {
			t.Errorf("%q: %v", tc.args, err)
			continue
		}
		if p.flags.Quiet != tc.quiet || p.flags.Verbose != tc.verbose {
			t.Errorf("%q: quiet %v verbose %v, want %v %v", tc.args, p.flags.Quiet, p.flags.Verbose, tc.quiet, tc.verbose)
		}
	}
}

func TestHelp(t *testing.T) {
	for _, args := range [][]string{{"-h"}, {"--sparse", "--help"}} {
		p, err := parseArgs(backfillOptions, args)
		if err != nil || !p.help {
			t.Errorf("%q: help=%v err=%v", args, p != nil && p.help, err)
		}
	}
	var b strings.Builder
	writeUsage(&b, usageLine, backfillOptions, backfillArgs)
	for _, o := range backfillOptions {
		if !strings.Contains(b.String(), optionSynopsis(o)) || !strings.Contains(b.String(), o.help) {
			t.Errorf("usage lacks --%s or its help", o.long)
		}
	}
}

func FuzzParseArgs(f *testing.F) {
	f.Add("--min-batch-size=20\x00HEAD\x00--\x00d")
	f.Add("-Sx\x00-j\x00--since")
	f.Fuzz(func(t *testing.T, joined string) {
		p, err := parseArgs(backfillOptions, strings.Split(joined, "\x00"))
		if err == nil && p == nil {
			t.Fatal("nil result without error")
		}
	})
}

func TestRangeRevsAndTips(t *testing.T) {
	p, err := parseArgs(backfillOptions, []string{"--since=2024-01-01", "-n", "3", "--first-parent", "A..B", "--no-merges", "-5"})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"--first-parent", "A..B"}; !reflect.DeepEqual(p.rangeRevs, want) {
		t.Fatalf("rangeRevs = %q, want %q", p.rangeRevs, want)
	}
	for _, tc := range []struct {
		revs []string
		want bool
	}{
		{nil, false}, {[]string{"--since=x", "--first-parent"}, false}, {[]string{"HEAD"}, true},
		{[]string{"--all"}, true}, {[]string{"--branches=r*"}, true}, {[]string{"--stdin"}, true},
	} {
		if got := hasTips(tc.revs); got != tc.want {
			t.Errorf("hasTips(%q) = %v", tc.revs, got)
		}
	}
}

// TestParseOptionsLikeGit: what git's parse-options accepts beyond the
// basics: bundled short options, --no- for every boolean, and
// --end-of-options.
func TestParseOptionsLikeGit(t *testing.T) {
	for _, tc := range []struct {
		args   []string
		values map[string]string
		revs   []string
	}{
		{[]string{"-qj4"}, map[string]string{"quiet": "true", "jobs": "4"}, nil},
		{[]string{"-qj", "4", "HEAD"}, map[string]string{"quiet": "true", "jobs": "4"}, []string{"HEAD"}},
		{[]string{"-qn5"}, map[string]string{"quiet": "true"}, []string{"-n5"}},
		{[]string{"-n5"}, map[string]string{}, []string{"-n5"}},
		{[]string{"--dry-run", "--no-dry-run", "--no-quiet"}, map[string]string{"dry-run": "false", "quiet": "false"}, nil},
		{[]string{"--end-of-options", "-weird", "HEAD"}, map[string]string{}, []string{"--end-of-options", "-weird", "HEAD"}},
		{[]string{"-q", "--end-of-options", "--sparse"}, map[string]string{"quiet": "true"}, []string{"--end-of-options", "--sparse"}},
	} {
		p, err := parseArgs(backfillOptions, tc.args)
		if err != nil {
			t.Errorf("%q: %v", tc.args, err)
			continue
		}
		if !reflect.DeepEqual(p.values, tc.values) || !reflect.DeepEqual(p.revs, tc.revs) {
			t.Errorf("%q: values %v revs %q, want %v %q", tc.args, p.values, p.revs, tc.values, tc.revs)
		}
	}
	if p, err := parseArgs(backfillOptions, []string{"-qh"}); err != nil || !p.help {
		t.Errorf("-qh: help %v, err %v; want help", p != nil && p.help, err)
	}
	if p, _ := parseArgs(backfillOptions, []string{"--end-of-options", "--", "d"}); !reflect.DeepEqual(p.pathspecs, []string{"d"}) {
		t.Errorf("-- after --end-of-options must still start pathspecs: %q", p.pathspecs)
	}
	for _, revs := range [][]string{{"--end-of-options"}, {"--all"}} {
		want := revs[0] == "--all"
		if hasTips(revs) != want {
			t.Errorf("hasTips(%q) = %v", revs, !want)
		}
	}
	if !hasTips([]string{"--end-of-options", "-x"}) {
		t.Error("a revision after --end-of-options is a tip")
	}
}

// TestEveryKeylessOptionIsTyped: an option that no configuration key backs
// has a typed place in flags, and the parser fills it.
func TestEveryKeylessOptionIsTyped(t *testing.T) {
	for _, opts := range [][]option{backfillOptions, exportOptions, exportersOptions} {
		for _, o := range opts {
			if o.key == "" && o.set == nil {
				t.Errorf("--%s has neither a configuration key nor a field in flags", o.long)
			}
		}
	}
	p, err := parseArgs(exportOptions, []string{"-q", "--no-progress", "--output=o/", "--commits-from", "-", "--incremental", "--upload=a.tar.gz", "--config=c.toml"})
	if err != nil {
		t.Fatal(err)
	}
	f := p.flags
	if !f.Quiet || f.Progress == nil || *f.Progress || f.Output == nil || *f.Output != "o/" ||
		f.CommitsFrom == nil || *f.CommitsFrom != "-" || !f.Incremental || f.Upload != "a.tar.gz" || f.Config != "c.toml" {
		t.Fatalf("flags %+v", f)
	}
	p, _ = parseArgs(backfillOptions, []string{"--dry-run", "--stats=json"})
	if !p.flags.DryRun || p.flags.Stats == nil || *p.flags.Stats != "json" || p.flags.Progress != nil || p.flags.Output != nil {
		t.Fatalf("flags %+v", p.flags)
	}
}
