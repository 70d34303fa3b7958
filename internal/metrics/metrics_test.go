package metrics

import (
	"context"
	"errors"
	"net/http/httptest"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

func scrape(t *testing.T, m *Metrics) map[string]*dto.MetricFamily {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != 200 {
		t.Fatalf("GET /metrics: %d %s", rec.Code, rec.Body)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := parser.TextToMetricFamilies(rec.Body)
	if err != nil {
		t.Fatal(err)
	}
	return fams
}

// value returns the value of the family's metric whose labels include
// labels (pairs), or -1.
func value(fams map[string]*dto.MetricFamily, name string, labels ...string) float64 {
	f, ok := fams[name]
	if !ok {
		return -1
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
		if !match {
			continue
		}
		switch {
		case mt.Counter != nil:
			return mt.Counter.GetValue()
		case mt.Gauge != nil:
			return mt.Gauge.GetValue()
		case mt.Histogram != nil:
			return float64(mt.Histogram.GetSampleCount())
		}
	}
	return -1
}

func TestMetricsCountWhatHappened(t *testing.T) {
	shed := uint64(0)
	m := New(Sources{
		Unindexed: func(context.Context) (int, error) { return 7, nil },
		Digests: func(context.Context) (map[string]int, error) {
			return map[string]int{"": 2, "sent": 5, "uncertain": 1}, nil
		},
		Load: map[string]func() Load{"search": func() Load { return Load{InFlight: 3, Waiting: 1, Shed: shed} }},
	})
	m.Observe(Run{Source: "tengri", New: 4, Unchanged: 2, Failed: 1, Duration: 2 * time.Second})
	m.Observe(Run{Source: "tengri", NotModified: true, Duration: time.Second})
	m.Observe(Run{Source: "azattyq", Err: true, Duration: 3 * time.Second})
	shed = 9
	f := scrape(t, m)
	for _, c := range []struct {
		name   string
		labels []string
		want   float64
	}{
		{"presswatch_source_runs_total", []string{"source", "tengri", "outcome", "ok"}, 1},
		{"presswatch_source_runs_total", []string{"source", "tengri", "outcome", "not_modified"}, 1},
		{"presswatch_source_runs_total", []string{"source", "azattyq", "outcome", "error"}, 1},
		{"presswatch_source_run_duration_seconds", []string{"source", "tengri"}, 2},
		{"presswatch_articles_ingested_total", []string{"source", "tengri", "outcome", "new"}, 4},
		{"presswatch_articles_ingested_total", []string{"source", "tengri", "outcome", "unchanged"}, 2},
		{"presswatch_articles_ingested_total", []string{"source", "tengri", "outcome", "failed"}, 1},
		{"presswatch_index_lag_articles", nil, 7},
		{"presswatch_digests", []string{"state", "not_sent"}, 2},
		{"presswatch_digests", []string{"state", "sent"}, 5},
		{"presswatch_digests", []string{"state", "uncertain"}, 1},
		{"presswatch_digests", []string{"state", "failed"}, 0},
		{"presswatch_web_in_flight", []string{"limit", "search"}, 3},
		{"presswatch_web_waiting", []string{"limit", "search"}, 1},
		{"presswatch_web_shed_total", []string{"limit", "search"}, 9},
	} {
		if got := value(f, c.name, c.labels...); got != c.want {
			t.Errorf("%s%v = %v, want %v", c.name, c.labels, got, c.want)
		}
	}
	if _, ok := f["go_goroutines"]; !ok {
		t.Error("no Go runtime metrics")
	}
}

func TestMetricsSayWhenTheStoreFails(t *testing.T) {
	m := New(Sources{
		Unindexed: func(context.Context) (int, error) { return 0, errors.New("disk I/O error") },
		Digests:   func(context.Context) (map[string]int, error) { return nil, errors.New("disk I/O error") },
	})
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	// The lag reads -1 (unknown), and the failed digest count makes the
	// scrape an error rather than a silent zero.
	if rec.Code != 500 {
		t.Errorf("scrape with a failing store: %d, want 500", rec.Code)
	}
}
