package main

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"presswatch/crawler"
	"presswatch/crawler/fetch"
	"presswatch/internal/archive"
	"presswatch/internal/config"
	"presswatch/internal/ingest"
)

// version is presswatch's version, sent in the User-Agent.
const version = "0.1"

// pipeline is the crawler wired to the store and index of an app.
type pipeline struct {
	archive  *archive.Writer
	fetcher  *fetch.Fetcher
	topics   *liveTopics // nil until made; the web UI changes them
	ingester *ingest.Ingester
	crawler  *crawler.Crawler
	fetches  *fetchObserver // every fetch, for serve's metrics
}

// fetchObserver passes the fetcher's reports (fetch.Options.Observe) on
// to the func set by observeFetches: serve's metrics. Until one is set,
// and in the commands that set none, they go nowhere.
type fetchObserver struct {
	to atomic.Pointer[func(outcome string, d time.Duration)]
}

func (o *fetchObserver) observe(outcome string, d time.Duration) {
	if to := o.to.Load(); to != nil {
		(*to)(outcome, d)
	}
}

// observeFetches has every fetch from now on reported to observe.
func (p *pipeline) observeFetches(observe func(outcome string, d time.Duration)) {
	p.fetches.to.Store(&observe)
}

func userAgent(cfg *config.Config) string {
	if cfg.Contact == "" {
		return "presswatch/" + version
	}
	return fmt.Sprintf("presswatch/%s (+%s)", version, cfg.Contact)
}

// fetchOptions are the fetcher's settings from the configuration.
func fetchOptions(cfg *config.Config) fetch.Options {
	return fetch.Options{
		UserAgent:      userAgent(cfg),
		ConnectTimeout: cfg.Crawl.ConnectTimeout,
		Timeout:        cfg.Crawl.Timeout,
		MaxBytes:       cfg.Crawl.MaxBytes,
		MaxRedirects:   cfg.Crawl.MaxRedirects,
		Workers:        cfg.Crawl.Workers,
		PerHost:        cfg.Crawl.PerHost,
		MinDelay:       cfg.Crawl.MinDelay,
		AllowPrivate:   cfg.AllowPrivateNetworks,
		PrivateSources: privateSources(cfg),
	}
}

// privateSources are the IDs of the sources with allow_private.
func privateSources(cfg *config.Config) map[string]bool {
	ids := map[string]bool{}
	for _, s := range cfg.Sources {
		if s.AllowPrivate {
			ids[s.ID] = true
		}
	}
	return ids
}

// openArchive opens the WARC archive of the data folder for writing. A file
// a crash left cut short is reported and left as it is; writing goes on in
// a new file.
func (a *app) openArchive() (*archive.Writer, error) {
	if a.readOnly != nil {
		return nil, nil // nothing is fetched: see common.readOnlyData
	}
	if a.cfg.Archive.Off {
		a.log.Warn("the WARC archive is turned off (archive: {enabled: false}): no exchange is archived")
		return nil, nil
	}
	w, damage, err := archive.Open(a.warcDir, archive.Options{Version: version, Contact: a.cfg.Contact, MaxSize: a.cfg.Archive.MaxSize})
	if err != nil {
		return nil, err
	}
	for _, d := range damage {
		a.log.Warn("a WARC file was left damaged, most likely by a crash; its records before the damage are intact, and writing goes on in a new file",
			"file", d.File, "good_until", d.Offset, "records", d.Records, "reason", d.Reason)
	}
	return w, nil
}

func (a *app) pipeline(ctx context.Context) (*pipeline, error) {
	cfg := a.cfg
	w, err := a.openArchive()
	if err != nil {
		return nil, err
	}
	opts := fetchOptions(cfg)
	opts.Log = a.log
	fetches := &fetchObserver{}
	opts.Observe = fetches.observe
	if w != nil {
		opts.Archive = w
	}
	f, err := fetch.New(opts)
	if err != nil {
		if w != nil {
			w.Close()
		}
		return nil, err
	}
	p := &pipeline{archive: w, fetcher: f, fetches: fetches}
	p.topics, err = newLiveTopics(ctx, a.store, a.index, a.indexer, a.log)
	if err != nil {
		p.Close()
		return nil, err
	}
	p.ingester = ingest.New(a.store, p.topics, a.indexer)
	p.ingester.SetSchedule(ingest.Schedule{Steps: cfg.Revisit.Steps, MaxAge: cfg.Revisit.MaxAge})
	archiveDir := ""
	if w != nil {
		archiveDir = a.warcDir
	}
	p.crawler, err = crawler.New(crawler.Options{
		Fetcher: f, Sink: p.ingester, State: a.store, MaxItems: cfg.Crawl.MaxItems,
		MaxBackoff: cfg.Crawl.MaxBackoff, RunBudget: cfg.Crawl.RunBudget, ArchiveDir: archiveDir, Log: a.log,
	})
	if err != nil {
		p.Close()
		return nil, err
	}
	p.ingester.SetReextract(func(ctx context.Context, fetchID int64) (string, string, error) {
		f, err := a.store.Fetch(ctx, fetchID)
		if err != nil {
			return "", "", err
		}
		return p.crawler.Reextract(ctx, archive.Dir(a.warcDir), f)
	})
	return p, nil
}

// Close stops the fetcher and closes the archive's file, reporting an error
// of that last write.
func (p *pipeline) Close() error {
	p.fetcher.Close()
	if p.topics != nil {
		p.topics.Close()
	}
	if p.archive == nil {
		return nil
	}
	if err := p.archive.Close(); err != nil {
		return fmt.Errorf("presswatch: closing the WARC archive: %w", err)
	}
	return nil
}
