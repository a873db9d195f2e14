package archive

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/git-backfill/git-backfill/exporters"
)

const (
	blockSize = 512       // tar's
	bufSize   = 256 << 10 // before and after compression
)

// Writer writes one archive: Create, Write any number of times, then Close
// or Abort. Its memory use is a few buffers whatever the records' sizes. A
// Writer is not safe for concurrent use.
type Writer struct {
	path  string
	name  string // the directory inside the archive
	meta  exporters.Metadata
	level int
	perm  fs.FileMode
	// unique: Close picks a free name rather than replace a file at path.
	unique bool

	spool   *os.File      // the records' gzip member
	out     *bufio.Writer // compressed bytes, to spool
	gz      *gzip.Writer
	in      *bufio.Writer // records, to gz
	tmp     string        // the archive under its temporary name, once created
	size    int64         // bytes of commit-metadata.jsonl so far
	records int64
	done    bool
}

// Create starts the archive that Close writes at path, for the export that
// meta describes (meta.GeneratedAt names the directory inside). Its
// temporary files go in path's directory, named after it with a leading
// dot. level is a gzip level; perm is the archive's permission bits, less
// the umask.
func Create(path string, meta exporters.Metadata, level int, perm fs.FileMode) (*Writer, error) {
	spool, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".spool-*")
	if err != nil {
		return nil, fmt.Errorf("creating the archive's spool file: %w", err)
	}
	w := &Writer{path: path, name: Name(meta.Repository, meta.GeneratedAt), meta: meta,
		level: level, perm: perm, spool: spool, out: bufio.NewWriterSize(spool, bufSize)}
	if w.gz, err = gzip.NewWriterLevel(w.out, level); err != nil {
		w.Abort()
		return nil, err
	}
	w.in = bufio.NewWriterSize(w.gz, bufSize)
	return w, nil
}

// Path returns the archive's final path.
func (w *Writer) Path() string { return w.path }

// Records returns the number of records written.
func (w *Writer) Records() int64 { return w.records }

// Write adds records, each one JSON object without a newline, to
// commit-metadata.jsonl. A record containing a newline is an error.
func (w *Writer) Write(records [][]byte) error {
	if w.done {
		return errors.New("archive already closed")
	}
	for _, r := range records {
		if bytes.IndexByte(r, '\n') >= 0 {
			return fmt.Errorf("record %d contains a newline", w.records+1)
		}
		if _, err := w.in.Write(r); err != nil {
			return fmt.Errorf("writing %s: %w", w.spool.Name(), err)
		}
		if err := w.in.WriteByte('\n'); err != nil {
			return fmt.Errorf("writing %s: %w", w.spool.Name(), err)
		}
		w.size += int64(len(r)) + 1
		w.records++
	}
	return nil
}

// Close writes the archive with summary in its metadata.json, renames it
// to its final path and removes the temporary files. It returns the
// archive's size in bytes. On error nothing is left under the final path
// (an archive already there is unchanged) and the temporary files are
// removed.
func (w *Writer) Close(summary exporters.Summary) (int64, error) {
	if w.done {
		return 0, errors.New("archive already closed")
	}
	size, err := w.finish(summary)
	w.done = true
	if cerr := w.cleanup(); err == nil && cerr != nil {
		return size, cerr
	}
	return size, err
}

// Abort removes the temporary files. It may be called at any time, also
// after Close, when it does nothing.
func (w *Writer) Abort() error {
	if w.done {
		return nil
	}
	w.done = true
	return w.cleanup()
}

func (w *Writer) finish(summary exporters.Summary) (int64, error) {
	// End the records' member: the entry's padding to a whole block, then
	// the end of the tar, two zero blocks.
	pad := (blockSize - w.size%blockSize) % blockSize
	if _, err := w.in.Write(make([]byte, pad+2*blockSize)); err != nil {
		return 0, fmt.Errorf("writing %s: %w", w.spool.Name(), err)
	}
	for _, err := range []error{w.in.Flush(), w.gz.Close(), w.out.Flush()} {
		if err != nil {
			return 0, fmt.Errorf("writing %s: %w", w.spool.Name(), err)
		}
	}
	f, err := w.createTemp()
	if err != nil {
		return 0, err
	}
	defer f.Close()
	if err := w.writeHead(f, summary); err != nil {
		return 0, fmt.Errorf("writing %s: %w", w.tmp, err)
	}
	if _, err := w.spool.Seek(0, io.SeekStart); err != nil {
		return 0, fmt.Errorf("reading %s: %w", w.spool.Name(), err)
	}
	// Between two files, io.Copy is a kernel-side copy (copy_file_range).
	if _, err := io.Copy(f, w.spool); err != nil {
		return 0, fmt.Errorf("writing %s: %w", w.tmp, err)
	}
	if err := f.Sync(); err != nil {
		return 0, fmt.Errorf("writing %s: %w", w.tmp, err)
	}
	fi, err := f.Stat()
	if err != nil {
		return 0, err
	}
	if err := f.Close(); err != nil {
		return 0, fmt.Errorf("writing %s: %w", w.tmp, err)
	}
	if err := w.place(); err != nil {
		return 0, err
	}
	w.tmp = ""
	syncDir(filepath.Dir(w.path))
	return fi.Size(), nil
}

// place gives the finished temporary file its final name: w.path,
// replacing a file there, or with w.unique the first free one of w.path,
// then with a "-2", "-3"... suffix. A hard link fails rather than replace
// a file, which makes the choice safe against other processes.
func (w *Writer) place() error {
	if !w.unique {
		if err := os.Rename(w.tmp, w.path); err != nil {
			return fmt.Errorf("renaming the archive into place: %w", err)
		}
		return nil
	}
	base := strings.TrimSuffix(w.path, Ext)
	for i := 1; i <= 1000; i++ {
		path := base + Ext
		if i > 1 {
			path = fmt.Sprintf("%s-%d%s", base, i, Ext)
		}
		err := os.Link(w.tmp, path)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			// A file system without hard links: a rename, checked first.
			if _, serr := os.Lstat(path); !errors.Is(serr, fs.ErrNotExist) {
				return fmt.Errorf("linking the archive into place: %w", err)
			}
			if err := os.Rename(w.tmp, path); err != nil {
				return fmt.Errorf("renaming the archive into place: %w", err)
			}
		} else {
			// The archive is in place; a temporary name left over costs
			// disk, not data.
			os.Remove(w.tmp)
		}
		w.path = path
		return nil
	}
	return fmt.Errorf("no free name for the archive %s", w.path)
}

// createTemp creates the archive's temporary file with w.perm less the
// umask (os.CreateTemp would make it 0600).
func (w *Writer) createTemp() (*os.File, error) {
	for range 10 {
		name := filepath.Join(filepath.Dir(w.path), "."+filepath.Base(w.path)+".tmp-"+rand.Text()[:12])
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, w.perm)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("creating the archive: %w", err)
		}
		w.tmp = name
		return f, nil
	}
	return nil, errors.New("creating the archive: no free temporary name")
}

// writeHead writes the archive's first gzip member: the directory, the
// metadata.json entry and the header of the records' entry, whose content
// is the spool, appended next. So the tar writer is not closed: it would
// miss that content and end the tar.
func (w *Writer) writeHead(f io.Writer, summary exporters.Summary) error {
	info, err := json.MarshalIndent(NewInfo(w.meta, summary), "", "  ")
	if err != nil {
		return err
	}
	info = append(info, '\n')
	bw := bufio.NewWriter(f)
	zw, err := gzip.NewWriterLevel(bw, w.level)
	if err != nil {
		return err
	}
	tw := tar.NewWriter(zw)
	mtime := w.meta.GeneratedAt
	if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: w.name + "/", Mode: 0o755, ModTime: mtime}); err != nil {
		return err
	}
	if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: w.name + "/" + MetadataFile,
		Mode: 0o644, Size: int64(len(info)), ModTime: mtime}); err != nil {
		return err
	}
	if _, err := tw.Write(info); err != nil {
		return err
	}
	if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: w.name + "/" + RecordsFile,
		Mode: 0o644, Size: w.size, ModTime: mtime}); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return bw.Flush()
}

// cleanup closes and removes the spool and the temporary archive, if any.
func (w *Writer) cleanup() error {
	var errs []error
	w.spool.Close()
	if err := os.Remove(w.spool.Name()); err != nil && !errors.Is(err, fs.ErrNotExist) {
		errs = append(errs, err)
	}
	if w.tmp != "" {
		if err := os.Remove(w.tmp); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
		w.tmp = ""
	}
	return errors.Join(errs...)
}

// syncDir makes a rename in dir durable. It is best effort: the archive is
// complete either way, and some file systems refuse to sync directories.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
