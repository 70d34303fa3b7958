package web

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"presswatch/index"
)

// searchTimes records the calls of Options.ObserveSearch.
type searchTimes struct {
	mu     sync.Mutex
	routes []string
	times  []time.Duration
}

func (st *searchTimes) observe(route string, d time.Duration) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.routes = append(st.routes, route)
	st.times = append(st.times, d)
}

// The search page and the search API each tell ObserveSearch once per
// request, with their route and the time taken; a server not ready yet,
// and pages that are no search, tell it nothing.
func TestSearchesAreTimed(t *testing.T) {
	ix, err := index.OpenMem(index.WithSources(spSources))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	if err := ix.Put(context.Background(), spArticles()); err != nil {
		t.Fatal(err)
	}
	q := "?" + url.Values{"q": {"Жанаозен"}}.Encode()
	for name, tc := range map[string]struct {
		path   string
		ready  bool
		status int
		want   []string
	}{
		"the search page":               {path: "/search" + q, ready: true, status: 200, want: []string{"/search"}},
		"the search API":                {path: "/api/search" + q, ready: true, status: 200, want: []string{"/api/search"}},
		"a query the API refuses":       {path: "/api/search?q=x&limit=many", ready: true, status: 400, want: []string{"/api/search"}},
		"the search page before ready":  {path: "/search" + q, status: 503},
		"the search API before ready":   {path: "/api/search" + q, status: 503},
		"a page that runs no search":    {path: "/help", ready: true, status: 200},
		"the search page with no query": {path: "/search", ready: true, status: 200, want: []string{"/search"}},
	} {
		t.Run(name, func(t *testing.T) {
			var times searchTimes
			s, err := New(Options{Search: ix, KeyDates: spKeyDates, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
				ObserveSearch: times.observe})
			if err != nil {
				t.Fatal(err)
			}
			s.SetReady(tc.ready)
			// Served in this goroutine: the deferred report is made
			// before ServeHTTP returns.
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, httptest.NewRequest("GET", tc.path, nil))
			if rec.Code != tc.status {
				t.Fatalf("GET %s: %d, want %d: %.300s", tc.path, rec.Code, tc.status, rec.Body)
			}
			if len(times.routes) != len(tc.want) {
				t.Fatalf("ObserveSearch saw %v, want %v", times.routes, tc.want)
			}
			for i, route := range tc.want {
				if times.routes[i] != route || times.times[i] <= 0 {
					t.Errorf("call %d: %s after %s, want %s after some time", i, times.routes[i], times.times[i], route)
				}
			}
		})
	}
}

// Without ObserveSearch the search page answers as before.
func TestSearchesUntimed(t *testing.T) {
	srv := newSearchServer(t, spArticles(), true)
	if res, body := get(t, srv.URL+"/search?q=Zhanaozen"); res.StatusCode != 200 {
		t.Fatalf("search page without ObserveSearch: %d %.300s", res.StatusCode, body)
	}
}
