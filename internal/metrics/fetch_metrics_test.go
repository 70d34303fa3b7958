package metrics

import (
	"context"
	"errors"
	"math"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
)

// histogram returns the family's histogram whose labels include labels
// (pairs), or nil.
func histogram(fams map[string]*dto.MetricFamily, name string, labels ...string) *dto.Histogram {
	f, ok := fams[name]
	if !ok {
		return nil
	}
	for _, mt := range f.Metric {
		got := map[string]string{}
		for _, l := range mt.Label {
			got[l.GetName()] = l.GetValue()
		}
		match := true
		for i := 0; i+1 < len(labels); i += 2 {
			match = match && got[labels[i]] == labels[i+1]
		}
		if match && mt.Histogram != nil {
			return mt.Histogram
		}
	}
	return nil
}

// below returns how many of h's observations are at most le, or -1 when
// h has no such bucket.
func below(h *dto.Histogram, le float64) float64 {
	for _, b := range h.GetBucket() {
		if b.GetUpperBound() == le {
			return float64(b.GetCumulativeCount())
		}
	}
	return -1
}

func TestFetchesCountByOutcome(t *testing.T) {
	m := New(Sources{})
	for _, f := range []struct {
		outcome string
		d       time.Duration
	}{
		{"ok", 20 * time.Millisecond}, {"ok", 20 * time.Millisecond}, {"ok", 2 * time.Second},
		{"not_modified", 5 * time.Millisecond},
		{"http_4xx", 30 * time.Millisecond}, {"http_5xx", 40 * time.Millisecond},
		{"timeout", 30 * time.Second},
		{"robots_disallowed", 0}, // refused before any request
	} {
		m.ObserveFetch(f.outcome, f.d)
	}
	fams := scrape(t, m)
	for outcome, want := range map[string]float64{
		"ok": 3, "not_modified": 1, "http_4xx": 1, "http_5xx": 1, "timeout": 1, "robots_disallowed": 1,
		"dns": -1, // never seen, so not there
	} {
		if got := value(fams, "presswatch_fetches_total", "outcome", outcome); got != want {
			t.Errorf("presswatch_fetches_total{outcome=%q} = %v, want %v", outcome, got, want)
		}
	}
	if n := len(fams["presswatch_fetches_total"].GetMetric()); n != 6 {
		t.Errorf("presswatch_fetches_total has %d series, want 6", n)
	}
	// The time is kept by class: ok, not_modified and every error as one.
	for name, c := range map[string]struct {
		class      string
		count, sum float64
		le         float64 // a bucket's bound, and the observations at most it
		below      float64
	}{
		"ok, two fast and one slow": {"ok", 3, 2.04, 0.025, 2},
		"not modified":              {"not_modified", 1, 0.005, 0.01, 1},
		"errors, refusals at 0 s":   {"error", 4, 30.07, 0.01, 1},
		"errors up to a minute":     {"error", 4, 30.07, 30, 4},
	} {
		h := histogram(fams, "presswatch_fetch_duration_seconds", "outcome", c.class)
		if h == nil {
			t.Errorf("%s: no presswatch_fetch_duration_seconds{outcome=%q}", name, c.class)
			continue
		}
		if float64(h.GetSampleCount()) != c.count || math.Abs(h.GetSampleSum()-c.sum) > 1e-9 || below(h, c.le) != c.below {
			t.Errorf("%s: %d fetches taking %v s, %v at most %v s; want %v, %v s, %v",
				name, h.GetSampleCount(), h.GetSampleSum(), below(h, c.le), c.le, c.count, c.sum, c.below)
		}
	}
	if h := histogram(fams, "presswatch_fetch_duration_seconds", "outcome", "ok"); below(h, 0.01) < 0 || below(h, 60) < 0 {
		t.Error("the fetch time's buckets do not run from 10 ms to 60 s")
	}
}

func TestSearchTimeByRoute(t *testing.T) {
	m := New(Sources{})
	m.ObserveSearch("/search", 40*time.Millisecond)
	m.ObserveSearch("/search", 300*time.Millisecond)
	m.ObserveSearch("/api/search", 3*time.Millisecond)
	fams := scrape(t, m)
	for route, want := range map[string]struct{ count, sum float64 }{
		"/search":     {2, 0.34},
		"/api/search": {1, 0.003},
	} {
		h := histogram(fams, "presswatch_search_duration_seconds", "route", route)
		if h == nil || float64(h.GetSampleCount()) != want.count || math.Abs(h.GetSampleSum()-want.sum) > 1e-9 {
			t.Errorf("presswatch_search_duration_seconds{route=%q} = %v, want %v searches taking %v s", route, h, want.count, want.sum)
		}
	}
}

// The revisits due and the queues are read at each scrape.
func TestRevisitsAndQueuesAreReadAtScrape(t *testing.T) {
	due, fetching, extracting, waiting, items := 4, 2, 1, 5, 6
	m := New(Sources{
		RevisitsDue: func(context.Context) (int, error) { return due, nil },
		Queues: Queues{
			FetchesInFlight: func() int { return fetching },
			Extracting:      func() (int, int) { return extracting, waiting },
			ItemsInFlight:   func() int { return items },
		},
	})
	check := func(wants map[string]float64) {
		t.Helper()
		fams := scrape(t, m)
		for name, want := range wants {
			if got := value(fams, name); got != want {
				t.Errorf("%s = %v, want %v", name, got, want)
			}
		}
	}
	check(map[string]float64{"presswatch_revisits_due": 4, "presswatch_fetches_in_flight": 2,
		"presswatch_extractions_running": 1, "presswatch_extractions_waiting": 5, "presswatch_items_in_flight": 6})
	due, fetching, extracting, waiting, items = 0, 8, 2, 0, 3
	check(map[string]float64{"presswatch_revisits_due": 0, "presswatch_fetches_in_flight": 8,
		"presswatch_extractions_running": 2, "presswatch_extractions_waiting": 0, "presswatch_items_in_flight": 3})
}

// A store that cannot count the revisits due makes the gauge -1
// (unknown), not 0; gauges with no source are left out.
func TestRevisitsDueUnknownAndAbsentGauges(t *testing.T) {
	fams := scrape(t, New(Sources{RevisitsDue: func(context.Context) (int, error) { return 0, errors.New("disk I/O error") }}))
	if got := value(fams, "presswatch_revisits_due"); got != -1 {
		t.Errorf("presswatch_revisits_due with a failing store = %v, want -1", got)
	}
	for _, name := range []string{"presswatch_fetches_in_flight", "presswatch_extractions_running",
		"presswatch_extractions_waiting", "presswatch_items_in_flight", "presswatch_index_lag_articles"} {
		if _, ok := fams[name]; ok {
			t.Errorf("%s is served without a source", name)
		}
	}
}
