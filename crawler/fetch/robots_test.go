package fetch

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"presswatch/internal/model"
)

func TestRobots(t *testing.T) {
	robots := func(status int, body string) http.HandlerFunc {
		return func(w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(status)
			_, _ = w.Write([]byte(body))
		}
	}
	tests := map[string]struct {
		robots http.HandlerFunc
		allow  []string
		deny   []string
		kind   model.ErrorKind // of the refusals
	}{
		"a disallowed path is never requested": {
			robots: robots(200, "User-agent: *\nDisallow: /private\n"),
			allow:  []string{"/public", "/"},
			deny:   []string{"/private", "/private/page?x=1"},
			kind:   model.ErrRobots,
		},
		"the presswatch group wins over *": {
			robots: robots(200, "User-agent: *\nDisallow: /\n\nUser-agent: presswatch\nDisallow: /private\n"),
			allow:  []string{"/public"},
			deny:   []string{"/private"},
			kind:   model.ErrRobots,
		},
		"another crawler's group does not apply": {
			robots: robots(200, "User-agent: googlebot\nDisallow: /\n"),
			allow:  []string{"/public", "/private"},
		},
		"query strings are matched": {
			robots: robots(200, "User-agent: *\nDisallow: /*?print=\n"),
			allow:  []string{"/a"},
			deny:   []string{"/b?print=1"},
			kind:   model.ErrRobots,
		},
		"404 allows everything": {
			robots: robots(404, ""),
			allow:  []string{"/private"},
		},
		"403 allows everything": {
			robots: robots(403, ""),
			allow:  []string{"/private"},
		},
		"500 disallows everything": {
			robots: robots(500, ""),
			deny:   []string{"/public"},
			kind:   model.ErrRobots,
		},
		"429 disallows everything, as a rate limit": {
			robots: robots(429, ""),
			deny:   []string{"/public"},
			kind:   model.ErrRateLimited,
		},
		"a broken connection disallows everything with kind connect": {
			robots: func(http.ResponseWriter, *http.Request) { panic(http.ErrAbortHandler) },
			deny:   []string{"/public"},
			kind:   model.ErrConnect,
		},
		"a robots.txt redirect is followed": {
			robots: func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, "/real-robots", http.StatusMovedPermanently)
			},
			allow: []string{"/public"},
			deny:  []string{"/private"},
			kind:  model.ErrRobots,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			routes := map[string]http.HandlerFunc{
				"/robots.txt":  tc.robots,
				"/real-robots": text("User-agent: *\nDisallow: /private\n"),
			}
			for _, p := range append(tc.allow, tc.deny...) {
				routes[pathOf(p)] = text("page")
			}
			s := newServer(t, routes)
			f := newFetcher(t, nil)
			for _, p := range tc.allow {
				if _, err := f.Get(context.Background(), Request{URL: s.URL + p}); err != nil {
					t.Errorf("%s: %v", p, err)
				}
			}
			for _, p := range tc.deny {
				r, err := f.Get(context.Background(), Request{URL: s.URL + p})
				if kindOf(err) != tc.kind || r.Fetch.ErrorKind != tc.kind {
					t.Errorf("%s: error %v, want kind %q", p, err, tc.kind)
				}
				if n := s.count(pathOf(p)); n != 0 {
					t.Errorf("%s was requested %d times", p, n)
				}
			}
			if n := s.count("/robots.txt"); n != 1 {
				t.Errorf("robots.txt requested %d times, want once", n)
			}
		})
	}
}

func pathOf(p string) string {
	path, _, _ := strings.Cut(p, "?")
	return path
}

// robots.txt is trusted for RobotsTTL, and an error for RobotsErrorTTL.
func TestRobotsExpiry(t *testing.T) {
	tests := map[string]struct {
		status    int
		stillHeld time.Duration // no refetch after this long
		expired   time.Duration // refetch after this long
	}{
		"a fetched robots.txt lasts an hour":          {200, 59 * time.Minute, 61 * time.Minute},
		"an unreachable robots.txt lasts ten minutes": {503, 9 * time.Minute, 11 * time.Minute},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			clk := &clock{t: time.Date(2011, 12, 16, 10, 0, 0, 0, time.UTC)}
			s := newServer(t, map[string]http.HandlerFunc{
				"/robots.txt": func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(tc.status) },
				"/a":          text("a"),
			})
			f := newFetcher(t, func(o *Options) { o.Clock = clk.Now })
			get := func() { _, _ = f.Get(context.Background(), Request{URL: s.URL + "/a"}) }
			get()
			clk.Add(tc.stillHeld)
			get()
			if n := s.count("/robots.txt"); n != 1 {
				t.Errorf("after %s: robots.txt requested %d times, want 1", tc.stillHeld, n)
			}
			clk.Add(tc.expired - tc.stillHeld)
			get()
			if n := s.count("/robots.txt"); n != 2 {
				t.Errorf("after %s: robots.txt requested %d times, want 2", tc.expired, n)
			}
		})
	}
}

// Crawl-delay spaces the requests to a host even when MinDelay is tiny.
func TestCrawlDelay(t *testing.T) {
	s := newServer(t, map[string]http.HandlerFunc{
		"/robots.txt": text("User-agent: presswatch\nCrawl-delay: 0.2\n"),
		"/a":          text("a"),
	})
	f := newFetcher(t, func(o *Options) { o.MinDelay = 5 * time.Millisecond; o.PerHost = 4 })
	done := make(chan error)
	for range 3 {
		go func() {
			_, err := f.Get(context.Background(), Request{URL: s.URL + "/a"})
			done <- err
		}()
	}
	for range 3 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	s.checkGaps(t, 3, 200*time.Millisecond) // robots.txt, then three pages
}
