package git

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/git-backfill/git-backfill/internal/gittest"
)

func TestAutoMaintenancePolicy(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  map[string]string // in order of the slice below
		keys []string
		want AutoMaintenance
		bad  bool
	}{
		{name: "defaults", want: AutoMaintenance{Enabled: true, Detach: true}},
		{name: "maintenance.auto off", keys: []string{"maintenance.auto"}, cfg: map[string]string{"maintenance.auto": "false"}, want: AutoMaintenance{Detach: true}},
		{name: "gc.auto 0", keys: []string{"gc.auto"}, cfg: map[string]string{"gc.auto": "0"}, want: AutoMaintenance{Detach: true}},
		{name: "gc.auto with a suffix", keys: []string{"gc.auto"}, cfg: map[string]string{"gc.auto": "1k"}, want: AutoMaintenance{Enabled: true, Detach: true}},
		{name: "maintenance.auto wins over gc.auto", keys: []string{"gc.auto", "maintenance.auto"}, cfg: map[string]string{"gc.auto": "0", "maintenance.auto": "yes"}, want: AutoMaintenance{Enabled: true, Detach: true}},
		{name: "gc.autoDetach off", keys: []string{"gc.autoDetach"}, cfg: map[string]string{"gc.autoDetach": "false"}, want: AutoMaintenance{Enabled: true}},
		{name: "maintenance.autoDetach wins", keys: []string{"gc.autoDetach", "maintenance.autoDetach"}, cfg: map[string]string{"gc.autoDetach": "false", "maintenance.autoDetach": "true"}, want: AutoMaintenance{Enabled: true, Detach: true}},
		{name: "bad boolean", keys: []string{"maintenance.auto"}, cfg: map[string]string{"maintenance.auto": "sometimes"}, bad: true},
		{name: "bad number", keys: []string{"gc.auto"}, cfg: map[string]string{"gc.auto": "many"}, bad: true},
	} {
		var cfg Config
		for _, k := range tc.keys {
			cfg = append(cfg, ConfigEntry{Key: strings.ToLower(k), Value: tc.cfg[k], Origin: "file:.git/config"})
		}
		got, err := AutoMaintenancePolicy(cfg)
		if (err != nil) != tc.bad || (!tc.bad && got != tc.want) {
			t.Errorf("%s: got %+v, %v; want %+v (error %v)", tc.name, got, err, tc.want, tc.bad)
		}
	}
}

// Asked to detach, the run falls back to the foreground on a git without
// "maintenance run --detach"; disabled, it runs nothing.
func TestRunAutoMaintenance(t *testing.T) {
	repo := gittest.New(t, []string{"a.txt"})
	trace := filepath.Join(t.TempDir(), "trace")
	g := NewRunner(repo.Dir, append(repo.Env(), "GIT_TRACE="+trace))
	ctx := context.Background()
	if err := g.RunAutoMaintenance(ctx, AutoMaintenance{}); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(trace); strings.Contains(string(data), "maintenance") {
		t.Fatalf("disabled maintenance ran:\n%s", data)
	}
	for _, detach := range []bool{true, false} {
		if err := g.RunAutoMaintenance(ctx, AutoMaintenance{Enabled: true, Detach: detach}); err != nil {
			t.Fatalf("detach %v: %v", detach, err)
		}
	}
	data, err := os.ReadFile(trace)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(data), "built-in: git maintenance run --auto --quiet"); n < 2 {
		t.Fatalf("maintenance ran %d times, want at least 2:\n%s", n, data)
	}
}
