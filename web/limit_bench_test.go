package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"presswatch/index"
	"presswatch/internal/corpus"
	"presswatch/internal/gencorpus"
	"presswatch/internal/model"
)

// BenchmarkLoad is the operations load test: PRESSWATCH_LOAD_CLIENTS
// clients (default 50) ask for search pages and /api/search over loopback
// for PRESSWATCH_LOAD_SECONDS (default 60) while a crawl writes 10
// generated articles every 100 ms, under the default limit
// (Options.MaxSearches: one per core); a client answered 503 waits its
// Retry-After before asking again. It reports the latency of every
// answer (p50, p95, p99), the answers per second, and the shares answered
// 503 (shed, with Retry-After) and 400; a plain query answered 400 fails
// it, since load must never be blamed on the query.
//
// It never runs by default: it skips unless PRESSWATCH_LOAD_INDEX names
// an index (made by index's BenchmarkSearchPage, e.g. 100,000 articles;
// the crawl's writes are added to it, so give it a copy) or
// PRESSWATCH_LOAD_N asks for an in-memory index of that many generated
// articles (a smoke run):
//
//	PRESSWATCH_BENCH_N=100000 go test -run '^$' -bench SearchPage ./index/
//	cp -r $TMPDIR/presswatch-bench-100000/presswatch /tmp/load-index
//	PRESSWATCH_LOAD_INDEX=/tmp/load-index go test -run '^$' -bench Load -benchtime 1x ./web/
func BenchmarkLoad(b *testing.B) {
	dir, n := os.Getenv("PRESSWATCH_LOAD_INDEX"), envInt("PRESSWATCH_LOAD_N", 0)
	if dir == "" && n == 0 {
		b.Skip("set PRESSWATCH_LOAD_INDEX to a copy of an index made by index's BenchmarkSearchPage, or PRESSWATCH_LOAD_N for an in-memory one")
	}
	clients := envInt("PRESSWATCH_LOAD_CLIENTS", 50)
	span := time.Duration(envInt("PRESSWATCH_LOAD_SECONDS", 60)) * time.Second
	g, err := gencorpus.New(filepath.Join(corpus.Dir(b), "lingua-sentences"), 1)
	if err != nil {
		b.Fatal(err)
	}
	var ix *index.Index
	if dir != "" {
		ix, err = index.Open(dir, index.WithSources(gencorpus.Sources()))
	} else {
		ix, err = index.OpenMem(index.WithSources(gencorpus.Sources()))
	}
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	ctx := context.Background()
	for batch := range g.Batches(n, 500) {
		if err := ix.Put(ctx, batch); err != nil {
			b.Fatal(err)
		}
	}
	s, err := New(Options{Search: ix, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	s.SetReady(true)
	srv := httptest.NewServer(s)
	defer srv.Close()
	queries := []string{"Zhanaozen", "Жанаозен", "Nazarbayev", "Назарбаев", "Aktau", "нефтяники", "strike oil workers", `"oil workers"`}
	paths := []string{"/search?q=", "/api/search?q="}

	for b.Loop() {
		stop := make(chan struct{})
		var wg sync.WaitGroup
		wg.Go(func() { // the crawl
			tick := time.NewTicker(100 * time.Millisecond)
			defer tick.Stop()
			next := max(n, 100000) + 1000000 // ids past the index's
			for {
				select {
				case <-stop:
					return
				case <-tick.C:
				}
				batch := make([]*model.Article, 0, 10)
				for range 10 {
					a := g.Article(next)
					a.ID = int64(next + 1)
					batch = append(batch, a)
					next++
				}
				if err := ix.Put(ctx, batch); err != nil {
					b.Error(err)
					return
				}
			}
		})
		var mu sync.Mutex
		var times []time.Duration
		codes := map[int]int{}
		deadline := time.Now().Add(span)
		for c := range clients {
			wg.Go(func() {
				for i := c; time.Now().Before(deadline); i += clients {
					u := srv.URL + paths[i%len(paths)] + url.QueryEscape(queries[i%len(queries)])
					start := time.Now()
					resp, err := http.Get(u)
					if err != nil {
						b.Error(err)
						return
					}
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					d := time.Since(start)
					mu.Lock()
					times = append(times, d)
					codes[resp.StatusCode]++
					mu.Unlock()
					if resp.StatusCode == http.StatusBadRequest {
						b.Errorf("%s: 400 under load", u)
					}
					if resp.StatusCode == http.StatusServiceUnavailable {
						// A client honours Retry-After, as browsers' users and
						// well-behaved API clients do.
						secs, err := strconv.Atoi(resp.Header.Get("Retry-After"))
						if err != nil {
							b.Errorf("%s: 503 without Retry-After", u)
							return
						}
						time.Sleep(time.Duration(secs) * time.Second)
					}
				}
			})
		}
		time.Sleep(span) // the load test's length, not a synchronisation
		close(stop)
		wg.Wait()
		slices.Sort(times)
		pct := func(p float64) float64 { return float64(times[int(float64(len(times)-1)*p)].Microseconds()) / 1000 }
		total := float64(len(times))
		b.ReportMetric(pct(0.5), "p50-ms")
		b.ReportMetric(pct(0.95), "p95-ms")
		b.ReportMetric(pct(0.99), "p99-ms")
		b.ReportMetric(total/span.Seconds(), "answers/s")
		b.ReportMetric(100*float64(codes[http.StatusServiceUnavailable])/total, "%503")
		b.ReportMetric(100*float64(codes[http.StatusBadRequest])/total, "%400")
		b.Logf("answers by status: %v; load %+v", codes, s.SearchLoad())
	}
}

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}
