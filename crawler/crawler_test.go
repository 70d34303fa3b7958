package crawler

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"presswatch/crawler/extract"
	"presswatch/crawler/fetch"
	"presswatch/internal/model"
)

// memState is an in-memory State.
type memState struct {
	mu      sync.Mutex
	states  map[string]model.SourceState
	fetches []model.Fetch
}

func (m *memState) SourceState(_ context.Context, id string) (model.SourceState, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.states[id], nil
}

func (m *memState) SaveSourceState(_ context.Context, st model.SourceState) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.states[st.SourceID] = st
	return nil
}

func (m *memState) RecordFetch(_ context.Context, f *model.Fetch) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.fetches = append(m.fetches, *f)
	f.ID = int64(len(m.fetches))
	return f.ID, nil
}

func (m *memState) FetchUnreadable(_ context.Context, id int64, kind model.ErrorKind, msg string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.fetches[id-1].ErrorKind, m.fetches[id-1].Error = kind, msg
	return nil
}

// memSink is an in-memory Sink.
type memSink struct {
	mu     sync.Mutex
	docs   map[string]*model.Document
	failed map[string]model.ErrorKind
}

func (m *memSink) Known(_ context.Context, _ model.Source, urls []string) (map[string]bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	k := map[string]bool{}
	for _, u := range urls {
		if _, ok := m.docs[u]; ok {
			k[u] = true
		}
	}
	return k, nil
}

func (m *memSink) Put(_ context.Context, _ model.Source, d *model.Document) (model.Outcome, *model.Article, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.docs[d.ItemURL] = d
	return model.OutcomeNew, nil, nil
}

func (m *memSink) Failed(_ context.Context, _ model.Source, u string, k model.ErrorKind) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.failed[u] = k
	return nil
}

func newTestCrawler(t *testing.T) (*Crawler, *memState, *memSink) {
	t.Helper()
	f, err := fetch.New(fetch.Options{UserAgent: "presswatch-test", AllowPrivate: true, MinDelay: time.Millisecond, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(f.Close)
	st := &memState{states: map[string]model.SourceState{}}
	sink := &memSink{docs: map[string]*model.Document{}, failed: map[string]model.ErrorKind{}}
	c, err := New(Options{Fetcher: f, Sink: sink, State: st, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Extract: func(html []byte, u string) (*extract.Result, error) {
			if strings.Contains(string(html), "EMPTY") {
				return nil, model.Errorf(model.ErrExtract, "extract: %s: no main text found", u)
			}
			return &extract.Result{Title: "page title", Text: "text of " + u, Lang: "en"}, nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	return c, st, sink
}

func rss(base string, paths ...string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><language>ru</language>`)
	for _, p := range paths {
		fmt.Fprintf(&b, `<item><title>Item %s</title><link>%s%s</link><pubDate>Fri, 16 Dec 2011 10:00:00 +0600</pubDate>
<description>%s</description></item>`, p, base, p, strings.Repeat("long feed text ", 20))
	}
	b.WriteString(`</channel></rss>`)
	return b.String()
}

func TestRunFeedThenNotModified(t *testing.T) {
	var feedHits, conditional atomic.Int32
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	defer srv.Close()
	mux.HandleFunc("/feed", func(w http.ResponseWriter, r *http.Request) {
		feedHits.Add(1)
		if r.Header.Get("If-None-Match") == `"v1"` {
			conditional.Add(1)
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		io.WriteString(w, rss(srv.URL, "/a?utm_source=rss", "/b", "/gone", "/empty"))
	})
	mux.HandleFunc("/a", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "<html>A</html>") })
	mux.HandleFunc("/b", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "<html>B</html>") })
	mux.HandleFunc("/empty", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "<html>EMPTY</html>") })
	mux.HandleFunc("/gone", http.NotFound)

	c, st, sink := newTestCrawler(t)
	src := model.Source{ID: "s", Type: model.SourceFeed, URL: srv.URL + "/feed", Every: time.Hour, Lang: "kk"}
	rep := c.Run(context.Background(), src)
	if rep.Err != nil || rep.Announced != 4 || rep.New != 4 || rep.Failed != 0 {
		t.Fatalf("first run: %v", rep)
	}
	a := sink.docs[srv.URL+"/a"]
	if a == nil || a.Title != "Item /a?utm_source=rss" || a.DateSource != model.DateFromFeed || a.Lang != "en" ||
		!a.Published.Equal(time.Date(2011, 12, 16, 4, 0, 0, 0, time.UTC)) || a.Fetch == nil || a.Fetch.Status != 200 {
		t.Errorf("doc a = %+v", a)
	}
	// A 404 page and a page without text fall back to the feed's long text,
	// with the listing's fetch as provenance.
	if g := sink.docs[srv.URL+"/gone"]; g == nil || !strings.Contains(g.Text, "long feed text") || g.Fetch.URL != src.URL {
		t.Errorf("doc gone = %+v", g)
	}
	s := st.states["s"]
	if s.ETag != `"v1"` || s.Failures != 0 || s.LastSuccess.IsZero() || s.NextDue.Sub(s.LastSuccess) != time.Hour {
		t.Errorf("state = %+v", s)
	}
	rep = c.Run(context.Background(), src)
	if !rep.NotModified || rep.New != 0 || conditional.Load() != 1 {
		t.Fatalf("second run: %v (conditional requests %d)", rep, conditional.Load())
	}
}

func TestRunFailureBacksOff(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		if r.URL.Path == "/html" {
			io.WriteString(w, "<!doctype html><html><body>not a feed</body></html>")
			return
		}
		w.Header().Set("Retry-After", "3000")
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	c, st, _ := newTestCrawler(t)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c.opts.Now = func() time.Time { return now }
	for i, tc := range []struct {
		path string
		kind model.ErrorKind
		wait time.Duration
	}{
		{"/html", model.ErrNotFeed, 10 * time.Minute},
		{"/html", model.ErrNotFeed, 20 * time.Minute},     // the same body again is still read, and still fails
		{"/busy", model.ErrRateLimited, 50 * time.Minute}, // Retry-After beats 4 × 10m
	} {
		src := model.Source{ID: "s", Type: model.SourceFeed, URL: srv.URL + tc.path, Every: 10 * time.Minute}
		rep := c.Run(context.Background(), src)
		s := st.states["s"]
		if rep.Err == nil || s.ErrorKind != tc.kind || s.Failures != i+1 || s.NextDue.Sub(now) != tc.wait {
			t.Errorf("run %d: err %v, state %+v; want kind %s, wait %s", i+1, rep.Err, s, tc.kind, tc.wait)
		}
	}
}

func TestBackoff(t *testing.T) {
	for _, tc := range []struct {
		every    time.Duration
		failures int
		want     time.Duration
	}{
		{time.Hour, 1, time.Hour},
		{time.Hour, 3, 4 * time.Hour},
		{time.Hour, 10, 24 * time.Hour},
		{time.Hour, 5000, 24 * time.Hour},
		{48 * time.Hour, 2, 48 * time.Hour},
	} {
		if got := backoff(tc.every, tc.failures, 24*time.Hour); got != tc.want {
			t.Errorf("backoff(%s, %d) = %s, want %s", tc.every, tc.failures, got, tc.want)
		}
	}
}

func TestCanonicalFor(t *testing.T) {
	for name, tc := range map[string]struct{ canon, page, want string }{
		"same site":         {"https://rus.azattyq.org/a/1.html", "https://rus.azattyq.org/amp/x/1.html", "https://rus.azattyq.org/a/1.html"},
		"www variant":       {"https://www.example.org/a", "https://example.org/a?x", "https://www.example.org/a"},
		"other site's copy": {"https://original.example/a", "https://copy.example/a", "https://copy.example/a"},
		"front page":        {"https://example.org/", "https://example.org/news/1", "https://example.org/news/1"},
		"none":              {"", "https://example.org/news/1", "https://example.org/news/1"},
	} {
		if got := canonicalFor(&extract.Result{CanonicalURL: tc.canon}, tc.page); got != tc.want {
			t.Errorf("%s: %s, want %s", name, got, tc.want)
		}
	}
}

// A run that reads its listing but gets nothing from any item leaves the
// source marked (it showed as ok), without backing off; a run that gets
// one item is healthy again.
func TestEveryItemFailedIsNotOK(t *testing.T) {
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	defer srv.Close()
	feed := func(paths ...string) string {
		var b strings.Builder
		b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>`)
		for _, p := range paths {
			fmt.Fprintf(&b, `<item><title>Item %s</title><link>%s%s</link></item>`, p, srv.URL, p)
		}
		b.WriteString(`</channel></rss>`)
		return b.String()
	}
	mux.HandleFunc("/bad", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, feed("/e1", "/e2")) })
	mux.HandleFunc("/mixed", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, feed("/e3", "/ok")) })
	mux.HandleFunc("/ok", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "<html>OK</html>") })
	for _, p := range []string{"/e1", "/e2", "/e3"} {
		mux.HandleFunc(p, func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "<html>EMPTY</html>") })
	}
	c, st, _ := newTestCrawler(t)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c.opts.Now = func() time.Time { return now }

	src := model.Source{ID: "s", Type: model.SourceFeed, URL: srv.URL + "/bad", Every: 10 * time.Minute}
	rep := c.Run(context.Background(), src)
	s := st.states["s"]
	if rep.Err != nil || rep.Failed != 2 || !rep.AllItemsFailed() {
		t.Fatalf("run: %v", rep)
	}
	if s.ErrorKind != model.ErrItemsFailed || s.Failures != 0 || s.NextDue.Sub(now) != 10*time.Minute ||
		!strings.Contains(s.Error, "all 2 items tried failed") || !strings.Contains(s.Error, "no main text found") {
		t.Errorf("state after every item failed: %+v", s)
	}

	src.URL = srv.URL + "/mixed"
	rep = c.Run(context.Background(), src)
	if s := st.states["s"]; rep.Failed != 1 || rep.New != 1 || rep.AllItemsFailed() || s.ErrorKind != model.ErrNone || s.Error != "" {
		t.Errorf("one item of two read: %v, state %+v", rep, s)
	}
}
