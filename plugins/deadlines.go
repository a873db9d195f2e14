package plugins

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// StageTimeouts bound each call to a plugin, so that one that hangs (in
// Configure, a Write, End...) fails the export with a message naming it
// and the stage, instead of holding it forever. Manifest may wait for
// another export to the same destination; End includes the delivery (an
// upload of the whole archive). backfill.exporter.<name>.timeout replaces
// them all with one bound.
var StageTimeouts = map[string]time.Duration{
	"Configure": 2 * time.Minute,
	"Manifest":  15 * time.Minute,
	"Begin":     2 * time.Minute,
	"Write":     10 * time.Minute,
	"End":       2 * time.Hour,
}

// StageTimeoutError is a plugin call that did not return in time.
type StageTimeoutError struct {
	Exporter, Stage string
	After           time.Duration
}

func (e *StageTimeoutError) Error() string {
	return fmt.Sprintf("exporter %s: %s did not return within %s (backfill.exporter.%s.timeout sets the limit)",
		e.Exporter, e.Stage, e.After, e.Exporter)
}

// SetTimeout bounds every call to the plugin by d instead of the default
// StageTimeouts; 0 keeps the defaults.
func (p *Plugin) SetTimeout(d time.Duration) { p.timeout = d }

// stage returns ctx bounded for one call, and the function that turns the
// call's error into a *StageTimeoutError when the bound was what ended it.
func (p *Plugin) stage(ctx context.Context, stage string) (context.Context, func(error) error) {
	d := p.timeout
	if d <= 0 {
		d = StageTimeouts[stage]
	}
	if d <= 0 {
		return ctx, func(err error) error { return err }
	}
	limit := &StageTimeoutError{Exporter: p.name, Stage: stage, After: d}
	ctx, cancel := context.WithTimeoutCause(ctx, d, limit)
	return ctx, func(err error) error {
		defer cancel()
		if err != nil && errors.Is(context.Cause(ctx), limit) {
			return limit
		}
		return err
	}
}
