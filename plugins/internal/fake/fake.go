// Package fake is an exporter for the plugin tests: it records what it
// receives in files that the test reads back, and fails or blocks where its
// options say.
//
// Options:
//
//	out      file receiving each Write's records: a uint32 count, then
//	         each record as a uint32 length and its bytes (big-endian)
//	meta     file receiving the Begin metadata and End summary as JSON lines
//	abort    file receiving the Abort reason
//	fail     stage that fails: configure, begin, write, end, kept
//	failat   with fail=write: the record number (from 1) whose batch fails
//	block    "write": Write waits for its context to be cancelled
//	stdout   "yes": Begin writes "begin\n" to plugins.Stdout()
//	stderr   Begin writes this line to os.Stderr
//	flood    "stdout" or "stderr": Begin writes floodmib MiB (default 50)
//	         there without a newline, creates the file named by option
//	         flooded, then never returns
package fake

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"

	"github.com/git-backfill/git-backfill/exporters"
	"github.com/git-backfill/git-backfill/plugins"
)

// Exporter is the fake exporter.
type Exporter struct {
	opts    map[string]string
	out     *os.File
	records int64
	bytes   int64
}

// New returns a fake exporter.
func New() exporters.Exporter { return &Exporter{} }

// Description describes the fake for Describe.
func (e *Exporter) Description() string { return "records what it receives, for tests" }

func (e *Exporter) fail(stage string) error {
	if e.opts["fail"] == stage {
		return fmt.Errorf("%s failed on purpose", stage)
	}
	return nil
}

// Configure keeps the options and opens the out file.
func (e *Exporter) Configure(ctx context.Context, options map[string]string) error {
	e.opts = options
	if err := e.fail("configure"); err != nil {
		return err
	}
	if path := options["out"]; path != "" {
		f, err := os.Create(path)
		if err != nil {
			return err
		}
		e.out = f
	}
	if options["orphan"] == "yes" {
		// A child that outlives us holding our stdout and stderr, as a
		// careless plugin's helper would: the host must not wait for it.
		child := exec.Command("sleep", "600")
		child.Stdout, child.Stderr = os.NewFile(1, "stdout"), os.NewFile(2, "stderr")
		if err := child.Start(); err != nil {
			return err
		}
		if path := options["orphanpid"]; path != "" {
			if err := os.WriteFile(path, []byte(strconv.Itoa(child.Process.Pid)), 0o644); err != nil {
				return err
			}
		}
	}
	return nil
}

// Manifest reports the commits of option "manifest" (comma-separated) as
// already at the destination; none when it is not set.
func (e *Exporter) Manifest(ctx context.Context) (exporters.Manifest, error) {
	if err := e.fail("manifest"); err != nil {
		return exporters.Manifest{}, err
	}
	list, ok := e.opts["manifest"]
	if !ok {
		return exporters.Manifest{}, nil
	}
	return exporters.Manifest{Commits: strings.Split(list, ","), Found: true, Warning: e.opts["warning"]}, nil
}

// Begin records the metadata; option hang=begin makes it never return,
// whatever its context says, as a plugin stuck in a system call would.
func (e *Exporter) Begin(ctx context.Context, meta exporters.Metadata) error {
	if e.opts["hang"] == "begin" {
		select {}
	}
	if err := e.flood(); err != nil {
		return err
	}
	if e.opts["stdout"] == "yes" {
		if _, err := plugins.Stdout().WriteString("begin\n"); err != nil {
			return fmt.Errorf("writing to stdout: %w", err)
		}
	}
	if msg := e.opts["stderr"]; msg != "" {
		fmt.Fprintln(os.Stderr, msg)
	}
	if err := e.note(meta); err != nil {
		return err
	}
	return e.fail("begin")
}

// Write records the batch.
func (e *Exporter) Write(ctx context.Context, records [][]byte) error {
	if e.opts["block"] == "write" {
		<-ctx.Done()
		return ctx.Err()
	}
	if n, err := strconv.ParseInt(e.opts["failat"], 10, 64); err == nil && e.records+int64(len(records)) >= n {
		if err := e.fail("write"); err != nil {
			return fmt.Errorf("record %d: %w", n, err)
		}
	}
	e.records += int64(len(records))
	buf := binary.BigEndian.AppendUint32(nil, uint32(len(records)))
	for _, r := range records {
		buf = binary.BigEndian.AppendUint32(buf, uint32(len(r)))
		buf = append(buf, r...)
		e.bytes += int64(len(r))
	}
	if e.out == nil {
		return nil
	}
	_, err := e.out.Write(buf)
	return err
}

// End records the summary, and its commits if any, and reports the out
// file.
func (e *Exporter) End(ctx context.Context, summary exporters.Summary) (exporters.Result, error) {
	if err := e.note(summary); err != nil {
		return exporters.Result{}, err
	}
	if summary.Commits != nil {
		if err := e.note(summary.Commits); err != nil {
			return exporters.Result{}, err
		}
	}
	if err := e.fail("end"); err != nil {
		return exporters.Result{}, err
	}
	if e.opts["fail"] == "kept" {
		return exporters.Result{}, &exporters.KeptError{Path: "/kept/archive.tar.gz", Err: errors.New("upload failed on purpose")}
	}
	if e.out != nil {
		if err := e.out.Close(); err != nil {
			return exporters.Result{}, err
		}
	}
	return exporters.Result{Location: e.opts["out"], Records: e.records, Bytes: e.bytes}, nil
}

// Abort records the reason.
func (e *Exporter) Abort(ctx context.Context, reason string) error {
	if path := e.opts["abort"]; path != "" {
		return os.WriteFile(path, []byte(reason), 0o666)
	}
	return nil
}

// note appends v to the meta file as a JSON line.
func (e *Exporter) note(v any) error {
	path := e.opts["meta"]
	if path == "" {
		return nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o666)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = f.Write(append(b, '\n'))
	return err
}

// Discard is an exporter that counts and drops records, for benchmarks.
type Discard struct{ records, bytes int64 }

// NewDiscard returns a Discard exporter.
func NewDiscard() exporters.Exporter { return &Discard{} }

func (d *Discard) Configure(context.Context, map[string]string) error { return nil }
func (d *Discard) Begin(context.Context, exporters.Metadata) error    { return nil }
func (d *Discard) Abort(context.Context, string) error                { return nil }

// Write counts the records.
func (d *Discard) Write(_ context.Context, records [][]byte) error {
	d.records += int64(len(records))
	for _, r := range records {
		d.bytes += int64(len(r))
	}
	return nil
}

// End reports the counts.
func (d *Discard) End(context.Context, exporters.Summary) (exporters.Result, error) {
	return exporters.Result{Location: "discard", Records: d.records, Bytes: d.bytes}, nil
}

// flood writes 50 MiB without a newline to the stream the flood option
// names, then blocks for good, as a plugin gone wrong might.
func (e *Exporter) flood() error {
	var w *os.File
	switch e.opts["flood"] {
	case "":
		return nil
	case "stdout":
		w = plugins.Stdout()
	case "stderr":
		w = os.Stderr
	default:
		return fmt.Errorf("flood: %q is not stdout or stderr", e.opts["flood"])
	}
	mib := 50
	if n, err := strconv.Atoi(e.opts["floodmib"]); err == nil && n > 0 {
		mib = n
	}
	chunk := []byte(strings.Repeat("x", 1<<20))
	for range mib {
		if _, err := w.Write(chunk); err != nil {
			return err
		}
	}
	if err := os.WriteFile(e.opts["flooded"], nil, 0o644); err != nil {
		return err
	}
	select {}
}
