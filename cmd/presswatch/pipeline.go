package main

import (
	"context"
	"fmt"

	"presswatch/crawler"
	"presswatch/crawler/fetch"
	"presswatch/internal/config"
	"presswatch/internal/ingest"
)

// version is presswatch's version, sent in the User-Agent.
const version = "0.1"

// pipeline is the crawler wired to the store and index of an app.
type pipeline struct {
	fetcher  *fetch.Fetcher
	release  func() // of the topic matcher
	ingester *ingest.Ingester
	crawler  *crawler.Crawler
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
	}
}

func (a *app) pipeline(ctx context.Context) (*pipeline, error) {
	cfg := a.cfg
	f, err := fetch.New(fetchOptions(cfg))
	if err != nil {
		return nil, err
	}
	topics, release, err := a.topicMatcher(ctx)
	if err != nil {
		f.Close()
		return nil, err
	}
	p := &pipeline{fetcher: f, release: release}
	p.ingester = ingest.New(a.store, topics, a.indexer)
	p.crawler, err = crawler.New(crawler.Options{
		Fetcher: f, Sink: p.ingester, State: a.store, MaxItems: cfg.Crawl.MaxItems,
		MaxBackoff: cfg.Crawl.MaxBackoff, Log: a.log,
	})
	if err != nil {
		p.Close()
		return nil, err
	}
	return p, nil
}

func (p *pipeline) Close() {
	p.fetcher.Close()
	p.release()
}
