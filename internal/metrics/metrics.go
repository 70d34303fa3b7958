// Package metrics exposes presswatch's running figures to Prometheus:
// source runs and their articles, fetches by outcome and their time, the
// crawler's work under way, the index's lag behind the store, the revisits
// due, digests by where their sending stands, the web's load and its
// searches' time. It owns its registry (nothing is registered globally),
// and the packages it observes do not import Prometheus: serve hands it
// their reports and counts, and wires their hooks (fetch.Options.Observe,
// web.Options.ObserveSearch) to ObserveFetch and ObserveSearch.
package metrics

import (
	"context"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Run is one source run as the crawler reports it.
type Run struct {
	Source      string
	Err         bool
	NotModified bool
	Duration    time.Duration
	// Articles by outcome: new, updated, unchanged, skipped, failed.
	New, Updated, Unchanged, Skipped, Failed int
}

// Load is the web's admission counts for one limit.
type Load struct {
	InFlight, Waiting int
	Shed              uint64
}

// Sources of the gauges read at scrape time; any may be nil.
type Sources struct {
	// Unindexed is how many stored articles the index lacks.
	Unindexed func(context.Context) (int, error)
	// Digests counts digests by send state ("", sent, failed, uncertain).
	Digests func(context.Context) (map[string]int, error)
	// Load is the web's load per limit ("search", "export").
	Load map[string]func() Load
	// RevisitsDue counts the stored articles whose revisit is due now.
	RevisitsDue func(context.Context) (int, error)
	// Queues is the crawler's work under way.
	Queues Queues
}

// Queues read the crawler's work under way at scrape time; any may be nil.
type Queues struct {
	// FetchesInFlight counts the requests on the network.
	FetchesInFlight func() int
	// Extracting counts the pages being extracted and those waiting for
	// an extraction slot.
	Extracting func() (running, waiting int)
	// ItemsInFlight counts the items source runs are reading.
	ItemsInFlight func() int
}

// Metrics holds presswatch's collectors and their registry.
type Metrics struct {
	reg      *prometheus.Registry
	runs     *prometheus.CounterVec
	duration *prometheus.HistogramVec
	articles *prometheus.CounterVec
	fetches  *prometheus.CounterVec
	fetchDur *prometheus.HistogramVec
	search   *prometheus.HistogramVec
}

// scrapeTimeout bounds the store queries of one scrape.
const scrapeTimeout = 5 * time.Second

// New registers the collectors.
func New(src Sources) *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		runs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "presswatch_source_runs_total", Help: "Source runs by outcome (ok, not_modified, error).",
		}, []string{"source", "outcome"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "presswatch_source_run_duration_seconds", Help: "How long a source run took.",
			Buckets: []float64{0.1, 0.5, 1, 5, 15, 60, 300, 900},
		}, []string{"source"}),
		articles: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "presswatch_articles_ingested_total", Help: "Items of source runs by outcome (new, updated, unchanged, skipped, failed).",
		}, []string{"source", "outcome"}),
		fetches: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "presswatch_fetches_total", Help: "HTTP fetches by outcome: ok, not_modified, or the error's kind (timeout, http_4xx, http_5xx, robots_disallowed, blocked_address, too_large ...); robots.txt reads aside.",
		}, []string{"outcome"}),
		fetchDur: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "presswatch_fetch_duration_seconds", Help: "Network time of an HTTP fetch, redirects included, politeness waits not, by outcome (ok, not_modified, error).",
			Buckets: []float64{0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60},
		}, []string{"outcome"}),
		search: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "presswatch_search_duration_seconds", Help: "How long the web took to answer a search, by route (/search, /api/search).",
			Buckets: []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10},
		}, []string{"route"}),
	}
	m.reg.MustRegister(m.runs, m.duration, m.articles, m.fetches, m.fetchDur, m.search,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if src.Unindexed != nil {
		m.reg.MustRegister(storeGauge("presswatch_index_lag_articles", "Stored articles the search index does not hold yet.", src.Unindexed))
	}
	if src.RevisitsDue != nil {
		m.reg.MustRegister(storeGauge("presswatch_revisits_due", "Stored articles whose revisit is due now.", src.RevisitsDue))
	}
	m.registerQueues(src.Queues)
	if src.Digests != nil {
		m.reg.MustRegister(&digestCollector{count: src.Digests, desc: prometheus.NewDesc(
			"presswatch_digests", "Stored digests by where their sending stands (not_sent, sending, sent, failed, uncertain).",
			[]string{"state"}, nil)})
	}
	for limit, load := range src.Load {
		labels := prometheus.Labels{"limit": limit}
		m.reg.MustRegister(
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "presswatch_web_in_flight", Help: "Web requests being served under the limit.", ConstLabels: labels},
				func() float64 { return float64(load().InFlight) }),
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "presswatch_web_waiting", Help: "Web requests waiting for a slot under the limit.", ConstLabels: labels},
				func() float64 { return float64(load().Waiting) }),
			prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "presswatch_web_shed_total", Help: "Web requests answered 503 because the server was busy.", ConstLabels: labels},
				func() float64 { return float64(load().Shed) }),
		)
	}
	return m
}

// Observe records a source run.
func (m *Metrics) Observe(r Run) {
	outcome := "ok"
	switch {
	case r.Err:
		outcome = "error"
	case r.NotModified:
		outcome = "not_modified"
	}
	m.runs.WithLabelValues(r.Source, outcome).Inc()
	m.duration.WithLabelValues(r.Source).Observe(r.Duration.Seconds())
	for o, n := range map[string]int{"new": r.New, "updated": r.Updated, "unchanged": r.Unchanged, "skipped": r.Skipped, "failed": r.Failed} {
		m.articles.WithLabelValues(r.Source, o).Add(float64(n))
	}
}

// ObserveFetch records one fetch: its outcome (fetch.Outcome's names, a
// small fixed set) and its network time. It has fetch.Options.Observe's
// signature and is safe for concurrent use.
func (m *Metrics) ObserveFetch(outcome string, d time.Duration) {
	m.fetches.WithLabelValues(outcome).Inc()
	class := "error"
	if outcome == "ok" || outcome == "not_modified" {
		class = outcome
	}
	m.fetchDur.WithLabelValues(class).Observe(d.Seconds())
}

// ObserveSearch records how long the web took to answer one search on
// route ("/search" or "/api/search"). It has web.Options.ObserveSearch's
// signature and is safe for concurrent use.
func (m *Metrics) ObserveSearch(route string, d time.Duration) {
	m.search.WithLabelValues(route).Observe(d.Seconds())
}

// Handler serves the metrics in Prometheus's text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// storeGauge is a gauge read from the store at scrape time: -1 when the
// store cannot say.
func storeGauge(name, help string, count func(context.Context) (int, error)) prometheus.Collector {
	return prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help}, func() float64 {
		ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
		defer cancel()
		n, err := count(ctx)
		if err != nil {
			return -1
		}
		return float64(n)
	})
}

// registerQueues registers a gauge for each of q's counts that is set.
func (m *Metrics) registerQueues(q Queues) {
	gauge := func(name, help string, read func() int) {
		m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help},
			func() float64 { return float64(read()) }))
	}
	if q.FetchesInFlight != nil {
		gauge("presswatch_fetches_in_flight", "HTTP requests of the crawler on the network now.", q.FetchesInFlight)
	}
	if q.Extracting != nil {
		gauge("presswatch_extractions_running", "Pages being extracted now (abandoned ones too, until they end).",
			func() int { n, _ := q.Extracting(); return n })
		gauge("presswatch_extractions_waiting", "Fetched pages waiting for an extraction slot.",
			func() int { _, n := q.Extracting(); return n })
	}
	if q.ItemsInFlight != nil {
		gauge("presswatch_items_in_flight", "Items source runs are reading now (fetching, extracting or storing).", q.ItemsInFlight)
	}
}

// digestCollector reads the digests' states at scrape time.
type digestCollector struct {
	count func(context.Context) (map[string]int, error)
	desc  *prometheus.Desc
}

func (c *digestCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

func (c *digestCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
	defer cancel()
	states, err := c.count(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(c.desc, err)
		return
	}
	for _, s := range []string{"not_sent", "sending", "sent", "failed", "uncertain"} {
		key := s
		if s == "not_sent" {
			key = ""
		}
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, float64(states[key]), s)
	}
}
