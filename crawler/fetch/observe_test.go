package fetch

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"
)

// observation is one call of Options.Observe.
type observation struct {
	outcome string
	d       time.Duration
}

// observer records the calls of Options.Observe.
type observer struct {
	mu    sync.Mutex
	calls []observation
}

func (o *observer) observe(outcome string, d time.Duration) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.calls = append(o.calls, observation{outcome, d})
}

func (o *observer) seen() []observation {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]observation(nil), o.calls...)
}

// Options.Observe is called once per Get, with the outcome Outcome names
// and the Get's network time; the robots.txt read each new fetcher makes
// first is not reported.
func TestObserveSeesEveryGetOnce(t *testing.T) {
	s := newServer(t, map[string]http.HandlerFunc{
		"/robots.txt": text("User-agent: *\nDisallow: /private\n"),
		"/page":       text("hello"),
		"/same": func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("If-None-Match") == `"v1"` {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Header().Set("ETag", `"v1"`)
			text("hello")(w, r)
		},
		"/busy": func(w http.ResponseWriter, _ *http.Request) {
			http.Error(w, "busy", http.StatusServiceUnavailable)
		},
		"/slow": func(_ http.ResponseWriter, r *http.Request) { <-r.Context().Done() },
	})
	for name, tc := range map[string]struct {
		path, etag string
		timeout    time.Duration
		want       string
	}{
		"a page":                      {path: "/page", want: "ok"},
		"an unchanged page":           {path: "/same", etag: `"v1"`, want: "not_modified"},
		"a missing page":              {path: "/missing", want: "http_4xx"},
		"a busy server":               {path: "/busy", want: "http_5xx"},
		"a server that never answers": {path: "/slow", timeout: 200 * time.Millisecond, want: "timeout"},
		"a page robots.txt disallows": {path: "/private", want: "robots_disallowed"},
	} {
		t.Run(name, func(t *testing.T) {
			var o observer
			f := newFetcher(t, func(opts *Options) {
				opts.Observe = o.observe
				if tc.timeout > 0 {
					opts.Timeout = tc.timeout
				}
			})
			robots := s.count("/robots.txt")
			resp, _ := f.Get(context.Background(), Request{URL: s.URL + tc.path, ETag: tc.etag})
			if s.count("/robots.txt") != robots+1 {
				t.Fatalf("robots.txt was read %d times by a new fetcher, want once", s.count("/robots.txt")-robots)
			}
			want := []observation{{tc.want, resp.Fetch.Duration}}
			if got := o.seen(); len(got) != 1 || got[0] != want[0] {
				t.Errorf("Observe saw %v, want %v", got, want)
			}
			if got := Outcome(resp); got != tc.want {
				t.Errorf("Outcome = %q, want %q", got, tc.want)
			}
		})
	}
}

// Without Observe, Get reports to nobody and works as before.
func TestNoObserver(t *testing.T) {
	s := newServer(t, map[string]http.HandlerFunc{"/page": text("hello")})
	f := newFetcher(t, nil)
	if resp, err := f.Get(context.Background(), Request{URL: s.URL + "/page"}); err != nil || Outcome(resp) != "ok" {
		t.Fatalf("Get without an observer: %v, outcome %q", err, Outcome(resp))
	}
}
