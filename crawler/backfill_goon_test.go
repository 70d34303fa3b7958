package crawler_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"presswatch/crawler"
	"presswatch/crawler/fetch"
	"presswatch/internal/ingest"
	"presswatch/internal/model"
	"presswatch/internal/store"
)

// A backfill whose run budget ends with captures left runs again at once,
// not after its interval (an hour here): the archive's pace is what bounds
// it. Every request still keeps to the pace across the runs.
func TestSchedulerGoesOnWithABackfillCutByItsBudget(t *testing.T) {
	const captures = 12
	var mu sync.Mutex
	var times []time.Time
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		times = append(times, time.Now())
		mu.Unlock()
		switch {
		case r.URL.Path == "/cdx/search/cdx":
			var b strings.Builder
			b.WriteString(`[["timestamp","original","digest"]`)
			for i := 1; i <= captures; i++ {
				fmt.Fprintf(&b, `,["201112%02d100000","http://x.kz/%d","D%d"]`, i, i, i)
			}
			b.WriteString("]")
			io.WriteString(w, b.String())
		case strings.HasPrefix(r.URL.Path, "/web/"):
			fmt.Fprintf(w, `<html><head><title>Report %s</title></head><body><article><h1>Report %s</h1>%s</article></body></html>`,
				r.URL.Path, r.URL.Path, strings.Repeat("<p>Oil workers of Zhanaozen stood on the square for the seventh month of their strike, and the police answered.</p>", 6))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "presswatch.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	const rate = 10 // a request each 100 ms
	src := model.Source{ID: "x-2011", Name: "X", Type: model.SourceWayback, URL: "x.kz", Keep: model.KeepAll, Every: time.Hour,
		RunBudget: 400 * time.Millisecond, Stance: model.StanceIndependent, AllowPrivate: true,
		Wayback: &model.Wayback{From: time.Date(2011, 12, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2012, 12, 31, 0, 0, 0, 0, time.UTC),
			Endpoint: srv.URL, Rate: rate}}
	if err := st.SyncSources(context.Background(), []model.Source{src}); err != nil {
		t.Fatal(err)
	}
	f, err := fetch.New(fetch.Options{UserAgent: "presswatch-test", MinDelay: time.Millisecond, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	c, err := crawler.New(crawler.Options{Fetcher: f, Sink: ingest.New(st, nil, nil), State: st,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	reports := make(chan crawler.Report, 100)
	s, err := crawler.NewScheduler(c, st, []model.Source{src}, crawler.SchedulerOptions{OnRun: func(r crawler.Report) { reports <- r }})
	if err != nil {
		t.Fatal(err)
	}
	s.Start()
	defer s.Stop()
	var runs []crawler.Report
	timeout := time.After(30 * time.Second)
	for stored := 0; stored < captures; {
		select {
		case r := <-reports:
			if r.Err != nil {
				t.Fatalf("run %d: %s", len(runs)+1, r)
			}
			runs = append(runs, r)
			stored += r.New
		case <-timeout:
			t.Fatalf("after 30 s, %d runs stored %d of %d captures; a backfill cut by its budget must go on at once, not wait its hour",
				len(runs), stored, captures)
		}
	}
	if len(runs) < 2 || runs[0].Budget == 0 || !runs[0].GoOn {
		t.Errorf("runs = %v; want the first cut by its 400 ms budget (14 requests at 10 a second) and going on", runs)
	}
	if last := runs[len(runs)-1]; last.GoOn {
		t.Errorf("the last run (%s) says it goes on with nothing left", last)
	}
	mu.Lock()
	defer mu.Unlock()
	// The pace is the client's: any 6 requests in a row span 5 turns of
	// 100 ms. A request whose goroutine waited for a core arrives late and
	// the next on time, so one turn may look short; the span of six never
	// falls below 4 turns, where requests without a pace take milliseconds.
	const n = 6
	for i := 0; i+n-1 < len(times); i++ {
		if span := times[i+n-1].Sub(times[i]); span < time.Duration(n-2)*time.Second/time.Duration(rate) {
			t.Errorf("requests %d to %d came within %s; at %d a second they take about %s", i+1, i+n, span, rate, time.Duration(n-1)*time.Second/time.Duration(rate))
		}
	}
}
