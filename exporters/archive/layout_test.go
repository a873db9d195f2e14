package archive

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	"github.com/git-backfill/git-backfill/exporters"
)

// Options name the directory and the file and replace metadata.json; the
// archive still reads and verifies as any other.
func TestLayoutOptions(t *testing.T) {
	dir := t.TempDir()
	out, err := ParseOutput(dir)
	if err != nil {
		t.Fatal(err)
	}
	info := func(s exporters.Summary) ([]byte, error) {
		return fmt.Appendf(nil, "{\"format\": \"theirs\", \"commit_count\": %d}\n", s.CommitCount), nil
	}
	opts := []Option{WithDir("backfill-org-suite-x"), WithFileName("theirs-x.tar.gz"), WithMetadata(info)}
	var paths []string
	for range 2 {
		w, err := out.Create(testMeta(), 1, 0o644, opts...)
		if err != nil {
			t.Fatal(err)
		}
		recs := testRecords(5, 100)
		w.Write(recs)
		if _, err := w.Close(exporters.Summary{CommitCount: 5}); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, filepath.Base(w.Path()))
	}
	if want := []string{"theirs-x.tar.gz", "theirs-x-2.tar.gz"}; !slices.Equal(paths, want) {
		t.Errorf("paths %v, want %v", paths, want)
	}
	path := filepath.Join(dir, paths[0])
	if info, err := Verify(path); err != nil || info.CommitCount != 5 {
		t.Fatalf("Verify: %+v, %v", info, err)
	}
	r, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var m map[string]any
	if r.Name != "backfill-org-suite-x" || json.Unmarshal(r.RawInfo, &m) != nil || m["format"] != "theirs" {
		t.Errorf("directory %q, metadata.json %s", r.Name, r.RawInfo)
	}
	// A directory name alone names the file too.
	if got := out.Path(testMeta(), WithDir("backfill-d")); got != filepath.Join(dir, "backfill-d.tar.gz") {
		t.Errorf("Path = %s", got)
	}
}

func TestLayoutNames(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		opt  Option
		want string
	}{
		{WithDir("other-name"), `archive directory "other-name": not one path element starting with backfill-`},
		{WithDir("backfill-a/b"), `archive directory "backfill-a/b": not one path element starting with backfill-`},
		{WithFileName("x.zip"), `archive file name "x.zip": not one path element ending in .tar.gz`},
		{WithFileName("../x.tar.gz"), `archive file name "../x.tar.gz": not one path element ending in .tar.gz`},
	} {
		_, err := Create(filepath.Join(dir, "a.tar.gz"), testMeta(), 1, 0o644, tc.opt)
		if err == nil || err.Error() != tc.want {
			t.Errorf("Create: %v, want %s", err, tc.want)
		}
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "*")); len(left) > 0 {
		t.Errorf("left: %v", left)
	}
}
