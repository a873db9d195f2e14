package archive

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/git-backfill/git-backfill/exporters"
)

// Output is where an exporter writes archives, resolved from its "output"
// option by ParseOutput.
type Output struct {
	// Dir holds the archive and, while it is written, its temporary files.
	Dir string
	// File is the archive's file name, or "" for Name(...) + Ext.
	File string
}

// ParseOutput resolves an output option. It names a directory when it is
// an existing directory or ends in a path separator (the directory is then
// created if missing), and otherwise an archive file in an existing
// directory. ParseOutput checks that the directory is writable by creating
// and removing a probe file in it, so a bad output fails before any work.
func ParseOutput(output string) (Output, error) {
	if output == "" {
		return Output{}, fmt.Errorf("output: empty path")
	}
	var o Output
	fi, err := os.Stat(output)
	switch {
	case err == nil && fi.IsDir():
		o.Dir = output
	case strings.HasSuffix(output, "/") || strings.HasSuffix(output, string(os.PathSeparator)):
		if err := os.MkdirAll(output, 0o755); err != nil {
			return Output{}, fmt.Errorf("output: %w", err)
		}
		o.Dir = output
	case err == nil && !fi.Mode().IsRegular():
		return Output{}, fmt.Errorf("output %s: not a regular file or a directory", output)
	default:
		o.Dir, o.File = filepath.Dir(output), filepath.Base(output)
		di, err := os.Stat(o.Dir)
		if err != nil {
			return Output{}, fmt.Errorf("output %s: %w", output, err)
		}
		if !di.IsDir() {
			return Output{}, fmt.Errorf("output %s: %s is not a directory", output, o.Dir)
		}
	}
	if err := checkWritable(o.Dir); err != nil {
		return Output{}, fmt.Errorf("output %s: %w", output, err)
	}
	return o, nil
}

// checkWritable creates and removes a probe file in dir.
func checkWritable(dir string) error {
	f, err := os.CreateTemp(dir, ".git-backfill-probe-*")
	if err != nil {
		return fmt.Errorf("directory not writable: %w", err)
	}
	name := f.Name()
	err = f.Close()
	if rmErr := os.Remove(name); err == nil {
		err = rmErr
	}
	return err
}

// Path returns the path of the archive of the export that meta describes,
// named as opts say (see WithDir and WithFileName).
func (o Output) Path(meta exporters.Metadata, opts ...Option) string {
	if o.File != "" {
		return filepath.Join(o.Dir, o.File)
	}
	var l layout
	for _, opt := range opts {
		opt(&l)
	}
	switch {
	case l.file != "":
		return filepath.Join(o.Dir, l.file)
	case l.dir != "":
		return filepath.Join(o.Dir, l.dir+Ext)
	}
	return filepath.Join(o.Dir, Name(meta.Repository, meta.GeneratedAt)+Ext)
}

// Create starts the archive of the export that meta describes, at Path.
// In a directory output, Close never replaces an archive already there
// (two exports in one second, in one process or several): the archive
// then gets the first free name with a "-2", "-3"... suffix.
func (o Output) Create(meta exporters.Metadata, level int, perm fs.FileMode, opts ...Option) (*Writer, error) {
	if _, err := newLayout(opts); err != nil {
		return nil, err
	}
	w, err := Create(o.Path(meta, opts...), meta, level, perm, opts...)
	if err == nil {
		w.unique = o.File == ""
	}
	return w, err
}
