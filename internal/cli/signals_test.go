package cli

import (
	"bytes"
	"context"
	"errors"
	"syscall"
	"testing"
)

func TestInterruptedExitCodes(t *testing.T) {
	for _, tc := range []struct {
		cause error
		want  int
	}{
		{signalCause{syscall.SIGTERM}, 143},
		{signalCause{syscall.SIGINT}, 130},
		{errors.New("the caller gave up"), 130},
	} {
		ctx, cancel := context.WithCancelCause(context.Background())
		cancel(tc.cause)
		var stderr bytes.Buffer
		if got := report(ctx, &stderr, context.Canceled); got != tc.want {
			t.Errorf("cause %v: exit %d, want %d", tc.cause, got, tc.want)
		}
		if !bytes.Contains(stderr.Bytes(), []byte("interrupted")) {
			t.Errorf("cause %v: no message: %q", tc.cause, stderr.String())
		}
	}
}
