package plugins

import "time"

// SetBatchRecords sets the records per Write message, for the benchmark's
// comparison with one record per message, and returns what undoes it.
func SetBatchRecords(n int) (restore func()) {
	old := batchRecords
	batchRecords = n
	return func() { batchRecords = old }
}

// SetAbortTimeout sets how long an Abort may take, and returns what undoes
// it.
func SetAbortTimeout(d time.Duration) (restore func()) {
	old := abortTimeout
	abortTimeout = d
	return func() { abortTimeout = old }
}

// SetKillGrace sets how long Close lets go-plugin's shutdown run before it
// kills the plugin's process group, and returns what undoes it.
func SetKillGrace(d time.Duration) (restore func()) {
	old := killGrace
	killGrace = d
	return func() { killGrace = old }
}
