package main

import (
	"context"
	"fmt"
	"io/fs"
	"path/filepath"
	"strconv"

	"os"
)

// parquetRuns exports HEAD's history with the parquet exporter and with the
// tar exporter (--output), b.runs times each, interleaved: the time, the
// peak memory of the process tree (the exporter plugins are its children)
// and the bytes written.
func (b *bench) parquetRuns(ctx context.Context, p params, clone string, total int) error {
	dir := filepath.Join(filepath.Dir(clone), "parquet-vs-tar")
	defer os.RemoveAll(dir)
	if _, err := b.sb.git(ctx, clone, "config", "backfill.exporter.bench-parquet.type", "parquet"); err != nil {
		return err
	}
	var pq, tar []sample
	var pqBytes, tarBytes []int64
	for i := range b.runs {
		run := filepath.Join(dir, strconv.Itoa(i))
		out := filepath.Join(run, "parquet")
		if _, err := b.sb.git(ctx, clone, "config", "backfill.exporter.bench-parquet.output", out); err != nil {
			return err
		}
		s, _, err := timed(b.sb.command(ctx, clone, b.binary, "export", "--quiet", "--exporter=bench-parquet", "HEAD"), "")
		if err != nil {
			return fmt.Errorf("parquet export: %w", err)
		}
		pq, pqBytes = append(pq, s), append(pqBytes, treeBytes(out))
		out = filepath.Join(run, "tar")
		if s, _, err = timed(b.sb.command(ctx, clone, b.binary, "export", "--quiet", "--output="+out+"/", "HEAD"), ""); err != nil {
			return fmt.Errorf("tar export: %w", err)
		}
		tar, tarBytes = append(tar, s), append(tarBytes, treeBytes(out))
		os.RemoveAll(run)
	}
	ps, ts := summarize(pq), summarize(tar)
	pb, tb := medianBytes(pqBytes), medianBytes(tarBytes)
	t := b.table(fmt.Sprintf("parquet exporter against tar, HEAD's %d commits with full diffs (median of %d; RSS: peak of the tree)", total, b.runs),
		"time", "rss tree", "bytes", "x tar time", "x tar rss", "x tar bytes")
	t.row("parquet dataset (zstd)", seconds(ps.wall), kib(ps.rssTree), humanBytes(pb),
		ratio(ps.wall, ts.wall), ratio(ps.rssTree, ts.rssTree), ratio(pb, tb))
	t.row("tar.gz archive (--output)", seconds(ts.wall), kib(ts.rssTree), humanBytes(tb), "1.000", "1.000", "1.000")
	t.flush("both exports compute the same records; the parquet exporter decodes each into typed columns")
	b.ratio("parquet_vs_tar_time", p.Name, ratio(ps.wall, ts.wall))
	b.ratio("parquet_vs_tar_rss", p.Name, ratio(ps.rssTree, ts.rssTree))
	b.ratio("parquet_vs_tar_bytes", p.Name, ratio(pb, tb))
	return nil
}

// treeBytes is the size of the regular files below dir.
func treeBytes(dir string) int64 {
	var n int64
	filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			if fi, err := d.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return n
}

func medianBytes(v []int64) int64 {
	s := make([]sample, len(v))
	for i, n := range v {
		s[i].packBytes = n
	}
	return summarize(s).packBytes
}
