package backfill

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

func TestTidyTempPacks(t *testing.T) {
	objects := t.TempDir()
	dir := filepath.Join(objects, "pack")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	touch := func(name string, age time.Duration) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
		when := time.Now().Add(-age)
		if err := os.Chtimes(p, when, when); err != nil {
			t.Fatal(err)
		}
		return p
	}
	touch("pack-1.pack", 3*time.Hour)
	touch("pack-1.idx", 3*time.Hour)
	touch("tmp_pack_killed", 2*time.Hour)   // a killed run's: removed at start
	touch("tmp_idx_recent", 10*time.Second) // maybe another fetch's: kept
	busy := touch("tmp_pack_busy", 2*time.Hour)
	held, err := os.Open(busy) // another process writing it, as /proc shows
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()

	done := tidyTempPacks(objects)
	want := []string{"pack-1.idx", "pack-1.pack", "tmp_idx_recent", "tmp_pack_busy"}
	if got := names(t, dir); !slices.Equal(got, want) {
		t.Fatalf("after the start: %v, want %v", got, want)
	}
	// During the run: a failed attempt's leftovers, and a file another
	// fetch is writing.
	touch("tmp_pack_failed", 0)
	touch("tmp_idx_failed", 0)
	writing, err := os.Create(filepath.Join(dir, "tmp_pack_writing"))
	if err != nil {
		t.Fatal(err)
	}
	defer writing.Close()
	done()
	want = []string{"pack-1.idx", "pack-1.pack", "tmp_idx_recent", "tmp_pack_busy", "tmp_pack_writing"}
	if got := names(t, dir); !slices.Equal(got, want) {
		t.Fatalf("after the run: %v, want %v", got, want)
	}
}

func names(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}
