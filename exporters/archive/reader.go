package archive

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// maxInfoSize bounds the metadata.json that Open reads into memory.
const maxInfoSize = 1 << 20

// Reader reads an archive in the layout Writer writes: the directory,
// then metadata.json, then commit-metadata.jsonl. Open reads up to the
// metadata, so checking an archive or reading its Info costs little.
type Reader struct {
	// Name is the directory inside the archive, e.g.
	// backfill-git-backfill-20261122T031500Z.
	Name string
	// Info is the archive's metadata.json.
	Info Info
	// RawInfo is metadata.json as stored, for archives whose metadata
	// has other fields than Info's (see WithMetadata).
	RawInfo []byte

	f  *os.File
	gz *gzip.Reader
	tr *tar.Reader
}

// Open opens the archive at path and reads its metadata.json. The caller
// closes the Reader.
func Open(path string) (*Reader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	r := &Reader{f: f}
	if err := r.readHead(); err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: not a git-backfill archive: %w", path, err)
	}
	return r, nil
}

func (r *Reader) readHead() error {
	var err error
	if r.gz, err = gzip.NewReader(bufio.NewReaderSize(r.f, bufSize)); err != nil {
		return err
	}
	r.tr = tar.NewReader(r.gz)
	dir, err := r.tr.Next()
	if err != nil {
		return err
	}
	if dir.Typeflag != tar.TypeDir || !strings.HasPrefix(dir.Name, "backfill-") ||
		strings.Count(strings.TrimSuffix(dir.Name, "/"), "/") != 0 {
		return fmt.Errorf("first entry %q is not a backfill-* directory", dir.Name)
	}
	r.Name = strings.TrimSuffix(dir.Name, "/")
	if err := r.next(MetadataFile); err != nil {
		return err
	}
	data, err := io.ReadAll(io.LimitReader(r.tr, maxInfoSize+1))
	if err != nil {
		return err
	}
	if len(data) > maxInfoSize {
		return errors.New(MetadataFile + " too large")
	}
	if err := json.Unmarshal(data, &r.Info); err != nil {
		return fmt.Errorf("%s: %w", MetadataFile, err)
	}
	r.RawInfo = data
	return nil
}

// next moves to the entry named file in the archive's directory, which
// must be the next one.
func (r *Reader) next(file string) error {
	h, err := r.tr.Next()
	if err == io.EOF {
		return fmt.Errorf("no %s", file)
	}
	if err != nil {
		return err
	}
	if h.Name != r.Name+"/"+file || h.Typeflag != tar.TypeReg {
		return fmt.Errorf("entry %q where %s/%s was expected", h.Name, r.Name, file)
	}
	return nil
}

// Records returns the content of commit-metadata.jsonl, valid until the
// Reader is closed. Call it once.
func (r *Reader) Records() (io.Reader, error) {
	if err := r.next(RecordsFile); err != nil {
		return nil, fmt.Errorf("%s: %w", r.f.Name(), err)
	}
	return r.tr, nil
}

// Close closes the archive file.
func (r *Reader) Close() error { return r.f.Close() }

// ReadRecords returns every record of the archive at path, each without its
// newline: for tests and tools that check an archive whole. It fails if
// the JSON Lines do not end in a newline (a truncated record).
func ReadRecords(path string) ([][]byte, error) {
	r, err := Open(path)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	rd, err := r.Records()
	if err != nil {
		return nil, err
	}
	data, err := io.ReadAll(rd)
	if err != nil {
		return nil, fmt.Errorf("%s: reading %s: %w", path, RecordsFile, err)
	}
	if len(data) == 0 {
		return nil, nil
	}
	if data[len(data)-1] != '\n' {
		return nil, fmt.Errorf("%s: %s does not end in a newline", path, RecordsFile)
	}
	return bytes.Split(data[:len(data)-1], []byte("\n")), nil
}

// Verify checks a whole archive before it is sent anywhere: the layout
// Writer writes and nothing else (no entry outside its directory, none
// after the records), every record valid JSON on a line of its own, and as
// many records as its metadata says. It returns the metadata.
func Verify(path string) (Info, error) {
	r, err := Open(path)
	if err != nil {
		return Info{}, err
	}
	defer r.Close()
	rd, err := r.Records()
	if err != nil {
		return Info{}, err
	}
	br := bufio.NewReaderSize(rd, bufSize)
	var n int64
	for {
		line, err := br.ReadBytes('\n')
		if err == io.EOF {
			if len(line) > 0 {
				return Info{}, fmt.Errorf("%s: %s does not end in a newline", path, RecordsFile)
			}
			break
		}
		if err != nil {
			return Info{}, fmt.Errorf("%s: reading %s: %w", path, RecordsFile, err)
		}
		n++
		if !json.Valid(line[:len(line)-1]) {
			return Info{}, fmt.Errorf("%s: record %d of %s is not valid JSON", path, n, RecordsFile)
		}
	}
	if n != r.Info.CommitCount {
		return Info{}, fmt.Errorf("%s: %d records where %s says %d", path, n, MetadataFile, r.Info.CommitCount)
	}
	if h, err := r.tr.Next(); err != io.EOF {
		if err != nil {
			return Info{}, fmt.Errorf("%s: after %s: %w", path, RecordsFile, err)
		}
		return Info{}, fmt.Errorf("%s: unexpected entry %q after %s", path, h.Name, RecordsFile)
	}
	return r.Info, nil
}
