// Package files is the example exporter, the model for plugin authors: it
// writes each record to its own file, <dir>/<commit_sha>.json, and is
// served as a plugin by plugins/example/git-backfill-exporter-files, whose
// main is one call:
//
//	plugins.Serve(files.New)
//
// Each file is written under a temporary name and then renamed, so a reader
// never sees half a record. Its one option is dir, created if missing.
//
// Like every exporter it imports only package exporters and the standard
// library (or its destination's SDK), so it runs in-process and as a plugin
// unchanged.
package files

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/git-backfill/git-backfill/exporters"
)

// Exporter writes one JSON file per commit. The host calls its methods one
// at a time, so it needs no locking.
type Exporter struct {
	dir     string
	temps   map[string]bool // temporary files not renamed yet
	records int64
	bytes   int64
}

// New returns an unconfigured exporter: the exporters.Factory that
// plugins.Serve takes.
func New() exporters.Exporter { return &Exporter{temps: map[string]bool{}} }

// Configure reads the options and checks that dir is a writable directory,
// so that a mistake shows before the long git work starts. Option names are
// case-insensitive, like git config's.
func (e *Exporter) Configure(ctx context.Context, options map[string]string) error {
	for k, v := range options {
		switch strings.ToLower(k) {
		case "dir":
			e.dir = v
		case "type", "path", "sha256":
			// The host's own keys, for choosing and starting the exporter.
		default:
			return fmt.Errorf("unknown option %q (files has one option: dir)", k)
		}
	}
	if e.dir == "" {
		return errors.New("option dir is required: the directory for the files")
	}
	dir, err := filepath.Abs(e.dir)
	if err != nil {
		return err
	}
	e.dir = dir
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err // *PathError messages name the path: "mkdir /x: permission denied"
	}
	f, err := os.CreateTemp(dir, ".check-*.tmp")
	if err != nil {
		return fmt.Errorf("directory %s is not writable: %w", dir, err)
	}
	f.Close()
	return os.Remove(f.Name())
}

// Begin has nothing to do: the files need no header.
func (e *Exporter) Begin(ctx context.Context, meta exporters.Metadata) error { return nil }

// Write writes each record to <commit_sha>.json, replacing an older file.
func (e *Exporter) Write(ctx context.Context, records [][]byte) error {
	for _, r := range records {
		var rec struct {
			CommitSHA string `json:"commit_sha"`
		}
		if err := json.Unmarshal(r, &rec); err != nil {
			return fmt.Errorf("record %d: %w", e.records+1, err)
		}
		// The SHA becomes a file name: only hex digits may pass.
		if !isSHA(rec.CommitSHA) {
			return fmt.Errorf("record %d: commit_sha %q is not a SHA-1 or SHA-256", e.records+1, rec.CommitSHA)
		}
		if err := e.writeFile(rec.CommitSHA+".json", append(r, '\n')); err != nil {
			return err
		}
		e.records++
		e.bytes += int64(len(r)) + 1
	}
	return nil
}

// writeFile writes data to a temporary file in the directory and renames
// it to name. On failure it removes the temporary file.
func (e *Exporter) writeFile(name string, data []byte) error {
	f, err := os.CreateTemp(e.dir, "."+name+".*.tmp")
	if err != nil {
		return err
	}
	e.temps[f.Name()] = true
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), filepath.Join(e.dir, name))
	}
	if err != nil {
		os.Remove(f.Name())
	}
	delete(e.temps, f.Name())
	return err
}

// End reports where the files are.
func (e *Exporter) End(ctx context.Context, summary exporters.Summary) (exporters.Result, error) {
	return exporters.Result{Location: e.dir, Records: e.records, Bytes: e.bytes}, nil
}

// Abort removes temporary files and keeps the complete ones. It runs also
// when ctx is cancelled, so it does not look at ctx.
func (e *Exporter) Abort(ctx context.Context, reason string) error {
	var errs []error
	for name := range e.temps {
		if err := os.Remove(name); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, err)
		}
		delete(e.temps, name)
	}
	return errors.Join(errs...)
}

// isSHA reports whether s is a full SHA-1 or SHA-256 in lower-case hex.
func isSHA(s string) bool {
	if len(s) != 40 && len(s) != 64 {
		return false
	}
	return strings.Trim(s, "0123456789abcdef") == ""
}
