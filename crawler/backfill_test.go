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

// countingClock never waits; it counts the waits asked of it.
type countingClock struct {
	mu    sync.Mutex
	now   time.Time
	waits int
}

func (c *countingClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *countingClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	c.waits++
	c.now = c.now.Add(d)
	c.mu.Unlock()
	return ctx.Err()
}

// TestRunDispatchesWaybackSources runs a wayback source through
// Crawler.Run against a loopback archive: its captures become articles of
// provenance archive, the report counts them, and the archive's 429 puts
// the source's next run after the back-off it asked for.
func TestRunDispatchesWaybackSources(t *testing.T) {
	page := func(n int) string {
		return fmt.Sprintf(`<html><head><title>Report %d</title></head><body><article><h1>Report %d</h1>%s</article></body></html>`,
			n, n, strings.Repeat("<p>Oil workers of Zhanaozen stood on the square for the seventh month of their strike, and the police answered.</p>", 6))
	}
	var mu sync.Mutex
	requests, reject := 0, 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		mu.Lock()
		requests++
		n := requests
		mu.Unlock()
		if n == reject {
			w.Header().Set("Retry-After", "10800")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		switch {
		case r.URL.Path == "/cdx/search/cdx":
			fmt.Fprint(w, `[["urlkey","timestamp","original","mimetype","statuscode","digest","length"],
["kz,x)/1","20111216100000","http://x.kz/1","text/html","200","A","1"],
["kz,x)/2","20111217100000","http://x.kz/2","text/html","200","B","1"],
["kz,x)/3","20111218100000","http://x.kz/3","text/html","200","C","1"]]`)
		case strings.HasPrefix(r.URL.Path, "/web/2011121"):
			fmt.Fprint(w, page(int(r.URL.Path[len("/web/2011121")]-'5')))
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
	src := model.Source{ID: "x-2011", Name: "X", Type: model.SourceWayback, URL: "x.kz", Keep: model.KeepAll, Every: time.Hour,
		Stance: model.StanceIndependent, AllowPrivate: true,
		Wayback: &model.Wayback{From: time.Date(2011, 12, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2012, 12, 31, 0, 0, 0, 0, time.UTC),
			Endpoint: srv.URL, Rate: 0.4}}
	if err := st.SyncSources(context.Background(), []model.Source{src}); err != nil {
		t.Fatal(err)
	}
	clock := &countingClock{now: time.Date(2026, 12, 3, 7, 0, 0, 0, time.UTC)}
	newCrawler := func() *crawler.Crawler {
		f, err := fetch.New(fetch.Options{UserAgent: "presswatch-test", MinDelay: time.Millisecond, Timeout: 5 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		c, err := crawler.New(crawler.Options{Fetcher: f, Sink: ingest.New(st, nil, nil), State: st, WaybackClock: clock,
			Now: clock.Now, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	reject = 3 // the second capture
	rep := newCrawler().Run(context.Background(), src)
	if rep.Err == nil || rep.New != 1 || rep.Announced != 3 || rep.Left != 2 {
		t.Fatalf("run = %s; want 3 listed, 1 new, 2 left and the 429", rep)
	}
	state, err := st.SourceState(context.Background(), src.ID)
	if err != nil {
		t.Fatal(err)
	}
	if want := clock.Now().Add(3 * time.Hour); !state.NextDue.Equal(want) || state.ErrorKind != model.ErrRateLimited {
		t.Errorf("after the 429: next due %s (%s), want %s, the archive's Retry-After", state.NextDue, state.ErrorKind, want)
	}
	clock.now = clock.now.Add(3 * time.Hour)
	rep = newCrawler().Run(context.Background(), src)
	if rep.Err != nil || rep.New != 2 || rep.Left != 0 {
		t.Fatalf("resumed run = %s", rep)
	}
	a, err := st.ArticleByURL(context.Background(), "http://x.kz/3")
	if err != nil || a.Provenance != model.ProvenanceArchive || !strings.Contains(a.Text, "Zhanaozen") {
		t.Errorf("article = %+v, %v", a, err)
	}
	if clock.waits != 5 { // 7 requests in two processes (robots.txt first in each), each's first at once
		t.Errorf("%d waits of the archive's pace for 7 requests in two runs, want 5", clock.waits)
	}
	p, err := st.WaybackProgress(context.Background(), src.ID)
	if err != nil || p.Stored != 3 || p.Remaining != 0 || !p.Done {
		t.Errorf("progress = %+v, %v", p, err)
	}
}
