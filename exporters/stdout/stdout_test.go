package stdout

import (
	"bytes"
	"errors"
	"testing"

	"github.com/git-backfill/git-backfill/exporters"
	"github.com/git-backfill/git-backfill/exporters/exportertest"
)

func TestConformance(t *testing.T) {
	var out *bytes.Buffer
	exportertest.Run(t, exportertest.Config{
		New: func(t *testing.T) (exporters.Exporter, map[string]string) {
			out = new(bytes.Buffer)
			return NewWriter(out), map[string]string{"type": "stdout"}
		},
		Read: func(t *testing.T, res exporters.Result) [][]byte {
			if res.Location != "stdout" || res.Bytes != int64(out.Len()) {
				t.Errorf("Result %+v for %d bytes of output", res, out.Len())
			}
			return lines(t, out.Bytes())
		},
		BadOptions: map[string]map[string]string{"unknown": {"output": "x"}},
	})
}

// lines splits JSON Lines, each of which must end in a newline.
func lines(t *testing.T, b []byte) [][]byte {
	if len(b) == 0 {
		return nil
	}
	if b[len(b)-1] != '\n' {
		t.Fatalf("output does not end in a newline")
	}
	return bytes.Split(b[:len(b)-1], []byte("\n"))
}

// failWriter fails every write.
type failWriter struct{}

func (failWriter) Write(p []byte) (int, error) { return 0, errors.New("broken pipe") }

func TestErrors(t *testing.T) {
	ctx := t.Context()
	e := NewWriter(failWriter{})
	if err := e.Write(ctx, nil); err == nil {
		t.Error("Write before Begin succeeded")
	}
	e.Begin(ctx, exportertest.Metadata())
	if err := e.Write(ctx, [][]byte{[]byte("{\n}")}); err == nil || err.Error() != "record 1 contains a newline" {
		t.Errorf("Write with a newline: %v", err)
	}
	e.Write(ctx, exportertest.Records(0, 3))
	if _, err := e.End(ctx, exporters.Summary{}); err == nil || err.Error() != "writing records: broken pipe" {
		t.Errorf("End on a broken pipe: %v", err)
	}
}

func TestAbortFlushesWholeRecords(t *testing.T) {
	var out bytes.Buffer
	e := NewWriter(&out)
	e.Begin(t.Context(), exportertest.Metadata())
	recs := exportertest.Records(0, 5)
	e.Write(t.Context(), recs)
	if err := e.Abort(t.Context(), "interrupted"); err != nil {
		t.Fatal(err)
	}
	if got := lines(t, out.Bytes()); len(got) != len(recs) {
		t.Errorf("after Abort: %d lines, want %d", len(got), len(recs))
	}
}

// BenchmarkWrite measures JSON Lines throughput in batches of 100 records
// of about 2 KiB, a commit with a small diff.
func BenchmarkWrite(b *testing.B) {
	batch := make([][]byte, 100)
	var n int64
	for i := range batch {
		batch[i] = exportertest.Record(i, 1500)
		n += int64(len(batch[i])) + 1
	}
	e := NewWriter(discard{})
	e.Begin(b.Context(), exportertest.Metadata())
	b.SetBytes(n)
	b.ReportAllocs()
	for b.Loop() {
		if err := e.Write(b.Context(), batch); err != nil {
			b.Fatal(err)
		}
	}
	e.End(b.Context(), exporters.Summary{})
}

// discard is io.Discard without its io.ReaderFrom, like a pipe.
type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
