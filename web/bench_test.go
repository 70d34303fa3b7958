package web

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"sort"
	"testing"
	"time"

	"presswatch/index"
	"presswatch/internal/config"
	"presswatch/internal/gencorpus"
)

// BenchmarkSearchPageHTTP measures the whole search page — the query,
// facets, the timeline stacked by stance (one extra search per stance
// present) and 20 highlighted results rendered as HTML — on an index made
// by the index package's BenchmarkSearchPage. Point it at that index:
//
//	PRESSWATCH_BENCH_N=100000 go test -run '^$' -bench SearchPage ./index/
//	PRESSWATCH_BENCH_INDEX=$TMPDIR/presswatch-bench-100000/presswatch \
//	    go test -run '^$' -bench SearchPageHTTP -benchtime 200x ./web/
//
// It reports the server time per page as p50-ms and p95-ms, and the page
// size in KB.
func BenchmarkSearchPageHTTP(b *testing.B) {
	dir := os.Getenv("PRESSWATCH_BENCH_INDEX")
	if dir == "" {
		b.Skip("set PRESSWATCH_BENCH_INDEX to an index made by index's BenchmarkSearchPage")
	}
	cfg, err := config.Default()
	if err != nil {
		b.Fatal(err)
	}
	var aliases [][]string
	for _, t := range cfg.Topics {
		aliases = append(aliases, t.Aliases...)
	}
	// As serve opens it: the sources' stances (for the stacked timeline)
	// and the topics' alias groups.
	ix, err := index.Open(dir, index.WithSources(gencorpus.Sources()), index.WithAliases(aliases))
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	s, err := New(Options{Search: ix, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	s.SetReady(true)
	queries := []string{"Zhanaozen", "Жанаозен", "Nazarbayev", "Назарбаев", "Sokolova", "Aktau", "нефтяники",
		"strike oil workers", `"oil workers"`, "Ölarbeiter"}
	for _, q := range queries { // warm up
		s.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/search?q="+url.QueryEscape(q), nil))
	}
	var times []time.Duration
	size := 0
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		w := httptest.NewRecorder()
		r := httptest.NewRequest(http.MethodGet, "/search?q="+url.QueryEscape(queries[i%len(queries)]), nil)
		start := time.Now()
		s.ServeHTTP(w, r)
		times = append(times, time.Since(start))
		if w.Code != http.StatusOK {
			b.Fatalf("%s: %d", r.URL, w.Code)
		}
		size = max(size, w.Body.Len())
	}
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	pct := func(p float64) float64 {
		return float64(times[int(float64(len(times)-1)*p)].Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.5), "p50-ms")
	b.ReportMetric(pct(0.95), "p95-ms")
	b.ReportMetric(float64(size)/1024, "max-KB")
}
