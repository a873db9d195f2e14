package cli

import (
	"context"
	"errors"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// signalCause is why a run's context was cancelled: a signal.
type signalCause struct{ sig syscall.Signal }

func (s signalCause) Error() string { return "interrupted by " + s.sig.String() }

// MainWithSignals is Main for a process: SIGINT and SIGTERM cancel the run,
// which then exits 130 or 143 (128 + the signal, as a shell reports it).
func MainWithSignals(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	deferGC()
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(signals)
	go func() {
		if s, ok := (<-signals).(syscall.Signal); ok {
			cancel(signalCause{s})
		}
	}()
	return Main(ctx, args, stdin, stdout, stderr)
}

// interruptedCode is the exit code of a run stopped by its context: 128
// plus the signal that stopped it, 130 (as SIGINT) when no signal did.
func interruptedCode(ctx context.Context) int {
	var sc signalCause
	if errors.As(context.Cause(ctx), &sc) {
		return 128 + int(sc.sig)
	}
	return exitInterrupted
}
