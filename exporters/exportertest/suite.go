// Package exportertest is the conformance suite that every exporter passes,
// built in or plugin, in-process or over the plugin protocol: records
// arrive in order and byte for byte, an empty export works, records larger
// than 4 MiB pass, bad options fail in Configure, a broken destination
// fails the export without losing kept output, Abort leaves nothing
// behind, and an exporter that keeps a manifest (incremental exports)
// lists exactly the commits of the exports that ended. An exporter's
// hookup is one test:
//
//	func TestConformance(t *testing.T) {
//		var dir string
//		exportertest.Run(t, exportertest.Config{
//			New: func(t *testing.T) (exporters.Exporter, map[string]string) {
//				dir = t.TempDir()
//				return tar.New(), map[string]string{"output": dir}
//			},
//			Read:      func(t *testing.T, res exporters.Result) [][]byte { ... },
//			Leftovers: func(t *testing.T, res exporters.Result) []string { ... },
//		})
//	}
package exportertest

import (
	"context"
	"errors"
	"os"
	"slices"
	"testing"

	"github.com/git-backfill/git-backfill/exporters"
)

// Config connects an exporter to the suite. New and Read are required.
type Config struct {
	// New returns a fresh exporter and the options of one export; it may
	// make a new destination each time (t.TempDir()).
	New func(t *testing.T) (exporters.Exporter, map[string]string)

	// Read returns the records that the last export delivered to
	// res.Location, in stored order, each without its line end. It fails
	// t on malformed output.
	Read func(t *testing.T, res exporters.Result) [][]byte

	// Leftovers lists what the last export left at its destination and in
	// its temporary places, apart from res.Location ("" after Abort): the
	// suite requires nothing after End or Abort. Nil skips these checks.
	Leftovers func(t *testing.T, res exporters.Result) []string

	// BadOptions are option sets, by description, that Configure refuses.
	BadOptions map[string]map[string]string

	// Incremental says that the exporter keeps a manifest of the commits
	// at its destination (exporters.Incremental): the suite checks it. An
	// exporter without one must refuse Manifest, if it has the method.
	Incremental bool

	// Break, if set, makes the last export's destination fail (remove a
	// directory, stop a server) and returns what undoes it, or nil.
	Break func(t *testing.T) (restore func())
}

// Run runs the suite as subtests of t.
func Run(t *testing.T, c Config) {
	t.Run("Order", func(t *testing.T) { testOrder(t, c) })
	t.Run("Empty", func(t *testing.T) { roundTrip(t, c, nil) })
	t.Run("Large", func(t *testing.T) { roundTrip(t, c, largeBatches()) })
	t.Run("BadOptions", func(t *testing.T) { testBadOptions(t, c) })
	t.Run("Abort", func(t *testing.T) { testAbort(t, c) })
	t.Run("Incremental", func(t *testing.T) { testIncremental(t, c) })
	if c.Break != nil {
		t.Run("Broken", func(t *testing.T) { testBroken(t, c) })
	}
}

// start configures a new exporter and begins an export.
func start(t *testing.T, c Config) exporters.Exporter {
	t.Helper()
	e, opts := c.New(t)
	if err := e.Configure(t.Context(), opts); err != nil {
		t.Fatalf("Configure: %v", err)
	}
	if err := e.Begin(t.Context(), Metadata()); err != nil {
		t.Fatalf("Begin: %v", err)
	}
	return e
}

// roundTrip exports batches and checks what Read returns.
func roundTrip(t *testing.T, c Config, batches [][][]byte) {
	e := start(t, c)
	var want [][]byte
	for _, b := range batches {
		want = append(want, b...)
	}
	writeBatches(t, e, batches)
	res, err := e.End(t.Context(), Summary(want))
	if err != nil {
		t.Fatalf("End: %v", err)
	}
	if res.Records != int64(len(want)) || res.Location == "" || res.Bytes < 0 {
		t.Errorf("End: Result %+v, want Records %d and a Location", res, len(want))
	}
	got := c.Read(t, res)
	compare(t, got, want)
	checkLeftovers(t, c, res)
}

func testOrder(t *testing.T, c Config) {
	var batches [][][]byte
	n := 0
	for size := 1; n < 1500; size = size*2 + 1 {
		batches = append(batches, Records(n, size))
		n += size
	}
	roundTrip(t, c, batches)
}

// writeBatches writes each batch from one reused buffer, overwritten after
// each call, as a host may: an exporter must not keep the slices it got.
func writeBatches(t *testing.T, e exporters.Exporter, batches [][][]byte) {
	t.Helper()
	var buf []byte
	for _, b := range batches {
		buf = buf[:0]
		for _, r := range b {
			buf = append(buf, r...)
		}
		batch, off := make([][]byte, len(b)), 0
		for i, r := range b {
			batch[i] = buf[off : off+len(r) : off+len(r)]
			off += len(r)
		}
		if err := e.Write(t.Context(), batch); err != nil {
			t.Fatalf("Write: %v", err)
		}
		clear(buf)
	}
}

func testBadOptions(t *testing.T, c Config) {
	for name, opts := range c.BadOptions {
		e, _ := c.New(t)
		err := e.Configure(t.Context(), opts)
		if err == nil {
			t.Errorf("%s: Configure(%v) succeeded", name, opts)
			continue
		}
		CheckError(t, err)
		e.Abort(t.Context(), "bad options")
	}
}

func testAbort(t *testing.T, c Config) {
	stages := []struct {
		name   string
		before func(t *testing.T, e exporters.Exporter)
	}{
		{"AfterConfigure", nil},
		{"AfterBegin", func(t *testing.T, e exporters.Exporter) {}},
		{"AfterWrite", func(t *testing.T, e exporters.Exporter) { writeBatches(t, e, largeBatches()) }},
	}
	for _, s := range stages {
		t.Run(s.name, func(t *testing.T) {
			e, opts := c.New(t)
			if err := e.Configure(t.Context(), opts); err != nil {
				t.Fatalf("Configure: %v", err)
			}
			if s.before != nil {
				if err := e.Begin(t.Context(), Metadata()); err != nil {
					t.Fatalf("Begin: %v", err)
				}
				s.before(t, e)
			}
			// Abort cleans up also when the export's context is gone.
			ctx, cancel := context.WithCancel(t.Context())
			cancel()
			if err := e.Abort(ctx, "conformance test"); err != nil {
				t.Errorf("Abort: %v", err)
			}
			checkLeftovers(t, c, exporters.Result{})
		})
	}
}

// testBroken breaks the destination during the export: the export fails;
// output kept by a *exporters.KeptError survives Abort.
func testBroken(t *testing.T, c Config) {
	e := start(t, c)
	batches := largeBatches()
	writeBatches(t, e, batches[:1])
	restore := c.Break(t)
	undo := func() {
		if restore != nil {
			restore()
			restore = nil
		}
	}
	defer undo()
	var err error
	for _, b := range batches[1:] {
		if err = e.Write(t.Context(), b); err != nil {
			break
		}
	}
	if err == nil {
		_, err = e.End(t.Context(), exporters.Summary{})
		if err == nil {
			t.Fatal("End succeeded with a broken destination")
		}
	}
	CheckError(t, err)
	var kept *exporters.KeptError
	isKept := errors.As(err, &kept)
	if err := e.Abort(t.Context(), "destination broken"); err != nil {
		t.Errorf("Abort: %v", err)
	}
	res := exporters.Result{}
	if isKept {
		if _, err := os.Stat(kept.Path); err != nil {
			t.Errorf("kept output gone after Abort: %v", err)
		}
		res.Location = kept.Path
	}
	undo()
	checkLeftovers(t, c, res)
}

func checkLeftovers(t *testing.T, c Config, res exporters.Result) {
	t.Helper()
	if c.Leftovers == nil {
		return
	}
	if left := c.Leftovers(t, res); len(left) > 0 {
		slices.Sort(left)
		t.Errorf("left behind: %q", left)
	}
}
