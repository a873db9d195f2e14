package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"time"
)

// latencyRuns measures what -j buys on a network with latency. This
// machine's kernel has no netem, so the server is git daemon on loopback
// behind toxiproxy, which delays the data by bench.latency in each
// direction. The repository is cloned blobless through the proxy, and
// git-backfill fetches the missing blobs in about bench.batches requests
// with each -j of bench.jobs: with -j1 every request pays its round trips
// in turn; with more jobs they overlap. Times are reported against -j1,
// and one fetch of everything through the same proxy shows the floor.
func (b *bench) latencyRuns(ctx context.Context, r *repo) error {
	ports := make([]int, 3)
	for i := range ports {
		p, err := freePort()
		if err != nil {
			return err
		}
		ports[i] = p
	}
	daemonPort, apiPort, proxyPort := ports[0], ports[1], ports[2]
	daemon, err := b.gitDaemon(ctx, r.dir, daemonPort)
	if err != nil {
		return err
	}
	defer daemon.stop()
	direct := fmt.Sprintf("git://127.0.0.1:%d/server.git", daemonPort)
	if err := daemon.waitFor(ctx, func() error {
		_, err := b.sb.git(ctx, r.dir, "ls-remote", direct, "HEAD")
		return err
	}); err != nil {
		return err
	}
	proxy, err := b.toxiproxy(ctx, r.dir, apiPort)
	if err != nil {
		return err
	}
	defer proxy.stop()
	upstream := "127.0.0.1:" + strconv.Itoa(daemonPort)
	if err := addLatencyProxy(ctx, apiPort, proxyPort, upstream, b.latency); err != nil {
		return err
	}
	url := fmt.Sprintf("git://127.0.0.1:%d/server.git", proxyPort)
	clone := filepath.Join(r.dir, "latency", "clone")
	start := time.Now()
	if _, err := b.sb.git(ctx, r.dir, "clone", "--quiet", "--filter=blob:none", "--no-checkout", url, clone); err != nil {
		return err
	}
	cloneTime := time.Since(start)

	small := fmt.Sprintf("--min-batch-size=%d", r.batch)
	variants := []variant{{"", "one fetch of all missing blobs", nil, false}}
	for _, j := range b.jobs {
		variants = append(variants, variant{fmt.Sprintf("latency_j%d", j),
			fmt.Sprintf("git-backfill %s -j%d", small, j), []string{small, "-j" + strconv.Itoa(j)}, false})
	}
	results := make([][]sample, len(variants))
	for round := range b.runs {
		for i, v := range variants {
			s, err := b.fetchRun(ctx, clone, r.missing, v, round == 0)
			if err != nil {
				return err
			}
			results[i] = append(results[i], s)
		}
	}
	title := fmt.Sprintf("latency: %s each way (git daemon behind toxiproxy; blobless clone through it took %s), median of %d",
		b.latency, seconds(cloneTime), b.runs)
	t := b.table(title, "time", "x -j1", "pack bytes", "requests", "rss self")
	var base sample
	for i, v := range variants {
		if v.key == "latency_j1" {
			base = summarize(results[i])
		}
	}
	for i, v := range variants {
		s := summarize(results[i])
		req := "1"
		if v.args != nil {
			req = fmt.Sprint(s.stats.Requests)
		}
		t.row(v.label, seconds(s.wall), ratio(s.wall, base.wall), humanBytes(s.packBytes), req, kib(s.rssSelf))
		switch {
		case v.key == "":
			b.ratio("latency_one_fetch_time_vs_j1", r.p.Name, ratio(s.wall, base.wall))
		case v.key != "latency_j1":
			b.ratio(v.key+"_time_vs_j1", r.p.Name, ratio(s.wall, base.wall))
		}
	}
	t.flush("")
	return nil
}
