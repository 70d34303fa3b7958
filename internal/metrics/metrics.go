// Package metrics exposes presswatch's running figures to Prometheus:
// source runs and their articles, the index's lag behind the store,
// digests by where their sending stands, and the web's load. It owns its
// registry (nothing is registered globally), and the packages it observes
// do not import Prometheus: serve hands it their reports and counts.
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
}

// Metrics holds presswatch's collectors and their registry.
type Metrics struct {
	reg      *prometheus.Registry
	runs     *prometheus.CounterVec
	duration *prometheus.HistogramVec
	articles *prometheus.CounterVec
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
	}
	m.reg.MustRegister(m.runs, m.duration, m.articles,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if src.Unindexed != nil {
		m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "presswatch_index_lag_articles", Help: "Stored articles the search index does not hold yet.",
		}, func() float64 {
			ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
			defer cancel()
			n, err := src.Unindexed(ctx)
			if err != nil {
				return -1
			}
			return float64(n)
		}))
	}
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

// Handler serves the metrics in Prometheus's text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
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
