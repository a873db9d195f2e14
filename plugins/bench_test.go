package plugins_test

import (
	"context"
	"testing"

	"github.com/git-backfill/git-backfill/exporters"
	"github.com/git-backfill/git-backfill/plugins"
	"github.com/git-backfill/git-backfill/plugins/internal/fake"
	"github.com/git-backfill/git-backfill/plugins/plugintest"
)

// BenchmarkWrite moves 100-byte records, 1,000 per Write, into an exporter
// that drops them: in the same process, and through the plugin boundary in
// messages of 1,000 records (the default) and of one record. It reports
// records/s.
func BenchmarkWrite(b *testing.B) {
	b.Run("in-process", func(b *testing.B) { benchWrite(b, fake.NewDiscard()) })
	b.Run("plugin", func(b *testing.B) { benchWrite(b, plugintest.Start(b, "discard", nil)) })
	b.Run("plugin-1-per-message", func(b *testing.B) {
		defer plugins.SetBatchRecords(1)()
		benchWrite(b, plugintest.Start(b, "discard", nil))
	})
}

func benchWrite(b *testing.B, e exporters.Exporter) {
	ctx := context.Background()
	records := make([][]byte, 1000)
	for i := range records {
		records[i] = record(i, 100)
	}
	if err := e.Configure(ctx, nil); err != nil {
		b.Fatal(err)
	}
	if err := e.Begin(ctx, meta); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(100 * int64(len(records)))
	b.ResetTimer()
	for range b.N {
		if err := e.Write(ctx, records); err != nil {
			b.Fatal(err)
		}
	}
	res, err := e.End(ctx, summary)
	b.StopTimer()
	if err != nil || res.Records != int64(b.N*len(records)) {
		b.Fatalf("End = %+v, %v", res, err)
	}
	b.ReportMetric(float64(res.Records)/b.Elapsed().Seconds(), "records/s")
}
