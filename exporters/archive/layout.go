package archive

import (
	"fmt"
	"strings"

	"github.com/git-backfill/git-backfill/exporters"
)

// An Option changes an archive from git-backfill's own layout, for an
// exporter that writes another tool's format (package buildkite). The
// archive keeps its shape: one backfill-* directory holding metadata.json
// then commit-metadata.jsonl, so Open and Verify read it.
type Option func(*layout)

// layout is what the options set; zero values mean git-backfill's own.
type layout struct {
	dir  string
	file string
	info func(exporters.Summary) ([]byte, error)
}

// WithDir names the directory inside the archive instead of
// Name(meta.Repository, meta.GeneratedAt). It must be one path element
// starting with "backfill-".
func WithDir(name string) Option { return func(l *layout) { l.dir = name } }

// WithFileName names the archive's file in a directory Output (see
// Output.Create) instead of its directory's name + Ext. It must be one
// path element ending in Ext. Create, given a path, ignores it.
func WithFileName(name string) Option { return func(l *layout) { l.file = name } }

// WithMetadata makes metadata.json what info returns for the export's
// summary, instead of NewInfo's fields. info must return a JSON object
// with the summary's commit_count, which Verify checks, and must not fail
// for any summary: Create calls it with the largest values to size the
// archive's head.
func WithMetadata(info func(exporters.Summary) ([]byte, error)) Option {
	return func(l *layout) { l.info = info }
}

// newLayout applies opts and checks the names they give.
func newLayout(opts []Option) (layout, error) {
	var l layout
	for _, o := range opts {
		o(&l)
	}
	if l.dir != "" && (!strings.HasPrefix(l.dir, "backfill-") || !safeElement(l.dir)) {
		return layout{}, fmt.Errorf("archive directory %q: not one path element starting with backfill-", l.dir)
	}
	if l.file != "" && (!strings.HasSuffix(l.file, Ext) || !safeElement(l.file)) {
		return layout{}, fmt.Errorf("archive file name %q: not one path element ending in %s", l.file, Ext)
	}
	return l, nil
}

// safeElement reports whether name is one path element that is neither
// "." nor "..", on any system.
func safeElement(name string) bool {
	return name != "" && name != "." && name != ".." && !strings.ContainsAny(name, `/\`+"\x00")
}
