package farm

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"presswatch/crawler"
	"presswatch/crawler/fetch"
	"presswatch/index"
	"presswatch/internal/config"
	"presswatch/internal/ingest"
	"presswatch/internal/store"
)

// BenchmarkCrawl crawls a small farm (4 hosts, 2 feeds each, 5 items a
// feed: 40 full news pages) into a fresh store and index per iteration,
// as presswatch crawl does: fetch, parse, extract, store, then index.
func BenchmarkCrawl(b *testing.B) {
	fm := start(b, Options{Hosts: 4, FeedsPerHost: 2, ItemsPerFeed: 5, Format: Mixed})
	cfg, err := config.Parse(fm.Config(config.Crawl{Workers: 8, PerHost: 1, MinDelay: time.Millisecond}), "farm.yaml")
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	articles := 0
	for b.Loop() {
		dir := b.TempDir()
		st, err := store.Open(ctx, filepath.Join(dir, "presswatch.db"))
		if err != nil {
			b.Fatal(err)
		}
		if err := st.SyncSources(ctx, cfg.Sources); err != nil {
			b.Fatal(err)
		}
		ix, err := index.Open(filepath.Join(dir, "index.bleve"), index.WithSources(cfg.Sources))
		if err != nil {
			b.Fatal(err)
		}
		f, err := fetch.New(fetch.Options{UserAgent: "presswatch-bench", PerHost: 1, Workers: 8,
			MinDelay: time.Millisecond, AllowPrivate: true})
		if err != nil {
			b.Fatal(err)
		}
		indexer := ingest.NewIndexer(st, ix, log)
		cr, err := crawler.New(crawler.Options{Fetcher: f, Sink: ingest.New(st, nil, indexer), State: st, Log: log})
		if err != nil {
			b.Fatal(err)
		}
		var wg sync.WaitGroup
		var mu sync.Mutex
		for _, src := range cfg.Sources {
			wg.Go(func() {
				rep := cr.Run(ctx, src)
				mu.Lock()
				articles += rep.New
				mu.Unlock()
				if rep.Err != nil {
					b.Error(rep.Err)
				}
			})
		}
		wg.Wait()
		if _, err := indexer.Drain(ctx); err != nil {
			b.Fatal(err)
		}
		f.Close()
		ix.Close()
		st.Close()
	}
	b.ReportMetric(float64(articles)/b.Elapsed().Seconds(), "articles/s")
	if s := fm.Stats(); s.MaxInFlight > 1 {
		b.Errorf("a host saw %d requests at once", s.MaxInFlight)
	}
}
