package pipeline

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/git-backfill/git-backfill/exporters"
	"github.com/git-backfill/git-backfill/internal/git"
)

// recordBatch is how many records, or bytes, go to exporters in one Write:
// batches cross the plugin boundary as one message each.
const (
	recordBatch      = 1000
	recordBatchBytes = 1 << 20
)

// output is one exporter of an export, running.
type output struct {
	name, typ string
	dest      string // where a built-in exporter writes (destination), "" for others
	exp       exporters.Exporter
	stop      func() error // ends the plugin process
	ended     bool

	// In an incremental export (--incremental), the commits already at the
	// destination, which it does not get again; nil otherwise.
	have map[git.OID]bool
	sum  exporters.Summary // of the records this exporter got
}

// outputs are the chosen exporters and the batch being filled for them.
type outputs struct {
	list  []*output
	batch [][]byte
	ids   []git.OID // the batch's commit ids
	size  int
}

// startExporters starts the request's exporters and has each check its
// destination, before any git work.
func startExporters(ctx context.Context, req Request) (*outputs, error) {
	outs := &outputs{}
	for _, cfg := range req.Exporters {
		exp, stop, err := req.Launch(ctx, cfg)
		if err != nil {
			outs.close()
			return nil, fmt.Errorf("exporter %s: %w", cfg.Name, err)
		}
		o := &output{name: cfg.Name, typ: cfg.Type, dest: destination(req.Dir, cfg), exp: exp, stop: stop}
		outs.list = append(outs.list, o)
		// The plugin's errors already name the exporter.
		if err := exp.Configure(ctx, cfg.Options); err != nil {
			outs.close()
			return nil, err
		}
	}
	return outs, nil
}

func (o *outputs) begin(ctx context.Context, meta exporters.Metadata) error {
	for _, out := range o.list {
		if err := out.exp.Begin(ctx, meta); err != nil {
			return err
		}
	}
	return nil
}

// write queues one record, of the commit r, and sends a full batch to
// every exporter.
func (o *outputs) write(ctx context.Context, rec []byte, r *exporters.Record) error {
	for _, out := range o.list {
		if !out.have[git.OID(r.CommitSHA)] {
			out.note(r)
		}
	}
	// rec is only valid during the call that handed it over.
	o.batch = append(o.batch, append([]byte(nil), rec...))
	o.ids = append(o.ids, git.OID(r.CommitSHA))
	o.size += len(rec)
	if len(o.batch) >= recordBatch || o.size >= recordBatchBytes {
		return o.flush(ctx)
	}
	return nil
}

func (o *outputs) flush(ctx context.Context) error {
	if len(o.batch) == 0 {
		return nil
	}
	for _, out := range o.list {
		batch := out.missing(o.batch, o.ids)
		if len(batch) == 0 {
			continue
		}
		if err := out.exp.Write(ctx, batch); err != nil {
			return err
		}
	}
	o.batch, o.ids, o.size = o.batch[:0], o.ids[:0], 0
	return nil
}

// end finishes every exporter. Failures of some do not stop the others;
// a delivery that failed with its output kept is partial (exit 1).
func (o *outputs) end(ctx context.Context, sum exporters.Summary) ([]Result, error) {
	var results []Result
	var errs []string
	var kept bool
	for _, out := range o.list {
		res, err := out.exp.End(ctx, out.summary(sum))
		out.ended = true
		results = append(results, Result{out.name, res, err})
		if err != nil {
			var k *exporters.KeptError
			kept = kept || errors.As(err, &k)
			errs = append(errs, err.Error())
		}
	}
	switch {
	case len(errs) == 0:
		return results, nil
	case kept:
		return results, &PartialError{strings.Join(errs, "\n")}
	}
	return results, errors.New(strings.Join(errs, "; "))
}

// abort tells every exporter not yet ended that the export failed.
func (o *outputs) abort(ctx context.Context, reason string) {
	for _, out := range o.list {
		if !out.ended {
			_ = out.exp.Abort(context.WithoutCancel(ctx), reason)
			out.ended = true
		}
	}
}

// close stops the exporter processes.
func (o *outputs) close() {
	for _, out := range o.list {
		if out.stop != nil {
			_ = out.stop()
		}
	}
}
