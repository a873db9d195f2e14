package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/git-backfill/git-backfill/internal/git"
	"github.com/git-backfill/git-backfill/internal/trace2"
)

func TestStartTraceOff(t *testing.T) {
	ctx := context.Background()
	environ := []string{"PATH=/bin", "GIT_TRACE=1"}
	tctx, env, exit := startTrace(ctx, []string{"-h"}, environ, &bytes.Buffer{})
	if tctx != ctx || !slices.Equal(env, environ) || exit(7) != 7 || trace2.Enabled(tctx) {
		t.Fatal("without a trace2 variable startTrace must change nothing")
	}
}

// TestMainTraces: a run writes git's session events, ending with its exit
// code, and the git processes it starts get our session as their parent.
func TestMainTraces(t *testing.T) {
	file := filepath.Join(t.TempDir(), "trace")
	t.Setenv("GIT_TRACE2_EVENT", file)
	t.Setenv("GIT_TRACE2_PARENT_NAME", "_run_dashed_")
	var stdout, stderr bytes.Buffer
	if code := Main(context.Background(), []string{"-h"}, nil, &stdout, &stderr); code != exitUsage {
		t.Fatalf("exit %d, want %d", code, exitUsage)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	var got []string
	for _, l := range lines {
		_, rest, _ := strings.Cut(l, `"event":"`)
		name, _, _ := strings.Cut(rest, `"`)
		got = append(got, name)
	}
	if want := []string{"version", "start", "cmd_name", "exit", "atexit"}; !slices.Equal(got, want) {
		t.Fatalf("events %v, want %v:\n%s", got, want, data)
	}
	for _, want := range []string{`"argv":["`, `","-h"]`, `"name":"backfill","hierarchy":"_run_dashed_/backfill"`, `"code":129}`} {
		if !strings.Contains(string(data), want) {
			t.Errorf("the trace lacks %s:\n%s", want, data)
		}
	}

	_, environ, exit := startTrace(context.Background(), nil, []string{"GIT_TRACE2_EVENT=" + file, "GIT_TRACE2_PARENT_SID=up"}, &stderr)
	exit(0)
	var sid string
	for _, kv := range git.CleanEnv(environ) {
		if v, ok := strings.CutPrefix(kv, "GIT_TRACE2_PARENT_SID="); ok {
			sid = v
		}
	}
	if !strings.HasPrefix(sid, "up/") || !slices.Contains(git.CleanEnv(environ), "GIT_TRACE2_PARENT_NAME=backfill") {
		t.Fatalf("child environment %q: want our session as the parent", git.CleanEnv(environ))
	}
}
