package parquet

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	pq "github.com/parquet-go/parquet-go"
)

// limits bound the memory and the files of an export.
type limits struct {
	// A row group is written when it has groupRows rows or its buffered
	// (uncompressed) data reaches groupBytes: the memory an open partition
	// takes, besides one record.
	groupRows  int64
	groupBytes int64
	// A part file is finished once it reaches partBytes.
	partBytes int64
	// At most openParts partitions have an open part file; opening one
	// more finishes the least recently written one.
	openParts int
}

var defaultLimits = limits{groupRows: 100_000, groupBytes: 32 << 20, partBytes: 256 << 20, openParts: 4}

// partition is a Hive partition of the dataset: a month of committer
// dates, in UTC.
type partition struct{ year, month int }

// dir is the partition's directory under the repository's.
func (p partition) dir() string { return fmt.Sprintf("year=%04d/month=%02d", p.year, p.month) }

// part is a part file being written, under a temporary name.
type part struct {
	partition partition
	name      string // final file name, without ".parquet"
	tmp       string // its path while written
	f         *os.File
	w         *pq.GenericWriter[row]
	flushed   int64 // w.Size() at the last row group's end
	groupRows int64
	commits   []string
	lastUse   int64
}

// newPart creates a part file named ".<name>.parquet.tmp-<random>" in dir.
func newPart(p partition, dir, name string) (*part, error) {
	var f *os.File
	var err error
	for range 10 {
		tmp := filepath.Join(dir, "."+name+ext+".tmp-"+rand.Text()[:12])
		f, err = os.OpenFile(tmp, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
		if !errors.Is(err, fs.ErrExist) {
			break
		}
	}
	if err != nil {
		return nil, fmt.Errorf("creating a part file in %s: %w", dir, err)
	}
	w := pq.NewGenericWriter[row](f, writerOptions...)
	return &part{partition: p, name: name, tmp: f.Name(), f: f, w: w}, nil
}

// write adds a row, ending the row group at the limits.
func (p *part) write(r *row, l limits) error {
	if _, err := p.w.Write([]row{*r}); err != nil {
		return fmt.Errorf("writing %s: %w", p.tmp, err)
	}
	p.commits = append(p.commits, r.CommitSHA)
	p.groupRows++
	if p.groupRows >= l.groupRows || p.w.Size()-p.flushed >= l.groupBytes {
		if err := p.w.Flush(); err != nil {
			return fmt.Errorf("writing %s: %w", p.tmp, err)
		}
		p.flushed, p.groupRows = p.w.Size(), 0
	}
	return nil
}

// full reports whether the part reached its size.
func (p *part) full(l limits) bool { return p.w.Size() >= l.partBytes }

// finish writes the footer and makes the file durable. It returns its
// size.
func (p *part) finish() (int64, error) {
	err := p.w.Close()
	if err == nil {
		err = p.f.Sync()
	}
	var size int64
	if err == nil {
		var fi os.FileInfo
		if fi, err = p.f.Stat(); err == nil {
			size = fi.Size()
		}
	}
	if cerr := p.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, fmt.Errorf("writing %s: %w", p.tmp, err)
	}
	return size, nil
}

// discard closes and removes the temporary file.
func (p *part) discard() error {
	p.f.Close()
	if err := os.Remove(p.tmp); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// textColumns hold whole messages and diffs. Their min/max statistics,
// which parquet-go keeps uncut in page headers and the footer, would store
// a large diff several times over (an 8 MiB diff made a 50 MiB file) and
// help no query: they get none.
var textColumns = []string{"message", "files_changed", "diff_stat", "git_diff", "git_diff_raw"}

var writerOptions = func() []pq.WriterOption {
	opts := []pq.WriterOption{pq.Compression(&pq.Zstd), pq.CreatedBy("git-backfill", "", "")}
	for _, c := range textColumns {
		opts = append(opts, pq.SkipPageBounds(c), pq.SkipPageStatistics(c))
	}
	return opts
}()
