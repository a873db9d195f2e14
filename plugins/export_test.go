package plugins

// SetBatchRecords sets the records per Write message, for the benchmark's
// comparison with one record per message, and returns what undoes it.
func SetBatchRecords(n int) (restore func()) {
	old := batchRecords
	batchRecords = n
	return func() { batchRecords = old }
}
