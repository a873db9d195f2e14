// Package stdout is the built-in exporter that writes the records as JSON
// Lines, one record and a newline each, to standard output or another
// writer. Output is buffered and flushed at End, and at Abort so that the
// output ends after a whole record. It has no options.
package stdout

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/git-backfill/git-backfill/exporters"
)

// bufSize is the output buffer: large enough that a pipe gets few, big
// writes.
const bufSize = 256 << 10

// hostKeys are the options that the host uses to choose and start an
// exporter (backfill.exporter.<name>.type, path, sha256); they are
// accepted and ignored.
var hostKeys = []string{"type", "path", "sha256"}

// Exporter writes JSON Lines. Its methods follow exporters.Exporter and are
// not safe for concurrent use.
type Exporter struct {
	w       io.Writer
	bw      *bufio.Writer
	records int64
	bytes   int64
}

// New returns an exporter writing to os.Stdout.
func New() exporters.Exporter { return NewWriter(os.Stdout) }

// NewWriter returns an exporter writing to w. The exporter does not close
// w.
func NewWriter(w io.Writer) *Exporter { return &Exporter{w: w} }

// Configure accepts no options apart from the host's.
func (e *Exporter) Configure(ctx context.Context, options map[string]string) error {
	var unknown []string
	for k := range options {
		if !slices.Contains(hostKeys, strings.ToLower(k)) {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) > 0 {
		slices.Sort(unknown)
		return fmt.Errorf("unknown option %s (stdout has no options)", strings.Join(unknown, ", "))
	}
	return nil
}

// Begin starts the output.
func (e *Exporter) Begin(ctx context.Context, meta exporters.Metadata) error {
	e.bw = bufio.NewWriterSize(e.w, bufSize)
	return nil
}

// Write writes each record followed by a newline. A record containing a
// newline is an error: it would break the lines.
func (e *Exporter) Write(ctx context.Context, records [][]byte) error {
	if e.bw == nil {
		return errors.New("write before begin")
	}
	for _, r := range records {
		if bytes.IndexByte(r, '\n') >= 0 {
			return fmt.Errorf("record %d contains a newline", e.records+1)
		}
		if _, err := e.bw.Write(r); err != nil {
			return fmt.Errorf("writing records: %w", err)
		}
		if err := e.bw.WriteByte('\n'); err != nil {
			return fmt.Errorf("writing records: %w", err)
		}
		e.records++
		e.bytes += int64(len(r)) + 1
	}
	return nil
}

// End flushes the output. Result.Location is "stdout"; Bytes counts the
// bytes written, newlines included.
func (e *Exporter) End(ctx context.Context, summary exporters.Summary) (exporters.Result, error) {
	if e.bw == nil {
		return exporters.Result{}, errors.New("end before begin")
	}
	if err := e.bw.Flush(); err != nil {
		return exporters.Result{}, fmt.Errorf("writing records: %w", err)
	}
	return exporters.Result{Location: "stdout", Records: e.records, Bytes: e.bytes}, nil
}

// Abort flushes the records written so far: they are complete lines.
func (e *Exporter) Abort(ctx context.Context, reason string) error {
	if e.bw == nil {
		return nil
	}
	if err := e.bw.Flush(); err != nil {
		return fmt.Errorf("writing records: %w", err)
	}
	return nil
}
