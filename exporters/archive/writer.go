package archive

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

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
	info  func(exporters.Summary) ([]byte, error) // metadata.json, if not NewInfo's
	level int
	perm  fs.FileMode
	// unique: Close picks a free name rather than replace a file at path.
	unique bool

	// spool becomes the archive: reserve bytes kept for the head, then
	// the records' gzip member.
	spool   *os.File
	reserve int64
	out     *bufio.Writer // compressed bytes, to spool
	gz      *gzip.Writer
	in      *bufio.Writer // records, to gz
	tmp     string        // a copy of the archive, if the head did not fit
	size    int64         // bytes of commit-metadata.jsonl so far
	records int64
	done    bool
}

// Create starts the archive that Close writes at path, for the export that
// meta describes (meta.GeneratedAt names the directory inside). Its
// temporary files go in path's directory, named after it with a leading
// dot: .<name>.spool-<random> holds the archive being written. level is a
// gzip level; perm is the archive's permission bits, less the umask, which
// the spool has from the start. opts change the directory's name and
// metadata.json (WithFileName does not apply: path is the file).
func Create(path string, meta exporters.Metadata, level int, perm fs.FileMode, opts ...Option) (*Writer, error) {
	l, err := newLayout(opts)
	if err != nil {
		return nil, err
	}
	w := &Writer{path: path, name: Name(meta.Repository, meta.GeneratedAt), meta: meta, info: l.info,
		level: level, perm: perm}
	if l.dir != "" {
		w.name = l.dir
	}
	reserve, err := w.reservation()
	if err != nil {
		return nil, fmt.Errorf("sizing the archive's head: %w", err)
	}
	spool, err := w.createFile("spool")
	if err != nil {
		return nil, fmt.Errorf("creating the archive's spool file: %w", err)
	}
	w.spool, w.reserve = spool, reserve
	// Zeros rather than a hole: the head's disk is taken now, so Close
	// only overwrites (on file systems that do not copy on write).
	if _, err := spool.Write(make([]byte, reserve)); err != nil {
		w.Abort()
		return nil, fmt.Errorf("writing %s: %w", spool.Name(), err)
	}
	w.out = bufio.NewWriterSize(spool, bufSize)
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

// Close writes the archive's head, with summary in its metadata.json, and
// gives the spool the final name, so the archive never takes more disk
// than its size. Only a head too large for the room Create kept for it
// (a metadata.json of hundreds of KiB, such as thousands of pathspecs)
// makes Close copy the spool to a second temporary file, needing twice
// the archive's size until it returns. Close returns the archive's size
// in bytes. On error nothing is left under the final path (an archive
// already there is unchanged) and the temporary files are removed.
// CloseKeep is Close for an archive that is uploaded next, and kept if the
// upload fails: it also returns the archive's absolute path, which the
// message about a kept archive names.
func (w *Writer) CloseKeep(summary exporters.Summary) (path string, size int64, err error) {
	if size, err = w.Close(summary); err != nil {
		return "", 0, err
	}
	path = w.Path()
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	return path, size, nil
}

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
	head, err := w.headTar(summary, w.size)
	if err != nil {
		return 0, fmt.Errorf("writing the archive's head: %w", err)
	}
	m, ok, err := paddedMember(head, w.level, w.reserve)
	if err != nil {
		return 0, fmt.Errorf("writing the archive's head: %w", err)
	}
	if !ok {
		return w.finishCopy(head)
	}
	if _, err := w.spool.WriteAt(m, 0); err != nil {
		return 0, fmt.Errorf("writing %s: %w", w.spool.Name(), err)
	}
	return w.seal(w.spool, w.spool.Name())
}

// finishCopy writes the archive as a new file: the head, unpadded, then
// the records' member copied from the spool.
func (w *Writer) finishCopy(head []byte) (int64, error) {
	m, err := gzipMember(head, w.level, nil)
	if err != nil {
		return 0, fmt.Errorf("writing the archive's head: %w", err)
	}
	f, err := w.createFile("tmp")
	if err != nil {
		return 0, fmt.Errorf("creating the archive: %w", err)
	}
	defer f.Close()
	w.tmp = f.Name()
	if _, err := f.Write(m); err != nil {
		return 0, fmt.Errorf("writing %s: %w", w.tmp, err)
	}
	if _, err := w.spool.Seek(w.reserve, io.SeekStart); err != nil {
		return 0, fmt.Errorf("reading %s: %w", w.spool.Name(), err)
	}
	// Between two files, io.Copy is a kernel-side copy (copy_file_range).
	if _, err := io.Copy(f, w.spool); err != nil {
		return 0, fmt.Errorf("writing %s: %w", w.tmp, err)
	}
	size, err := w.seal(f, w.tmp)
	if err == nil {
		w.tmp = ""
	}
	return size, err
}

// cleanup closes and removes the spool and the copy, if any. After Close
// the spool's name is gone (renamed) or a second name of the archive
// (linked, see place), which is removed.
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
