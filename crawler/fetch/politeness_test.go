package fetch

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"presswatch/internal/model"
)

// slow answers after d.
func slow(d time.Duration) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		time.Sleep(d)
		_, _ = w.Write([]byte("ok"))
	}
}

// getAll fetches every URL n times at once and fails the test on errors.
func getAll(t *testing.T, f *Fetcher, n int, urls ...string) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, n*len(urls))
	for range n {
		for _, u := range urls {
			wg.Go(func() {
				if _, err := f.Get(context.Background(), Request{URL: u}); err != nil {
					errs <- err
				}
			})
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestPerHost(t *testing.T) {
	tests := map[string]struct {
		perHost int
		want    int64
	}{
		"one request at a time by default": {0, 1},
		"two at a time with PerHost 2":     {2, 2},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := newServer(t, map[string]http.HandlerFunc{"/a": slow(40 * time.Millisecond)})
			f := newFetcher(t, func(o *Options) { o.PerHost = tc.perHost })
			getAll(t, f, 20, s.URL+"/a")
			if got := s.flight.max.Load(); got != tc.want {
				t.Errorf("server saw %d requests at once, want %d", got, tc.want)
			}
			if n := s.count("/a"); n != 20 {
				t.Errorf("server saw %d requests, want 20", n)
			}
		})
	}
}

// Starts to one host are MinDelay apart; without the delay (three slots
// per host) the gaps are about zero.
func TestMinDelay(t *testing.T) {
	const delay = 80 * time.Millisecond
	s := newServer(t, map[string]http.HandlerFunc{"/a": text("a")})
	f := newFetcher(t, func(o *Options) { o.MinDelay = delay; o.PerHost = 3 })
	getAll(t, f, 5, s.URL+"/a")
	s.checkGaps(t, 5, delay) // robots.txt and five pages
}

// Two hosts proceed side by side, each still one at a time; Workers caps
// the total.
func TestHosts(t *testing.T) {
	tests := map[string]struct {
		workers int
		want    int64
	}{
		"two hosts in parallel": {0, 2},
		"Workers 1 serialises":  {1, 1},
		"Workers 3, two hosts":  {3, 2},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			flight := &inFlight{}
			routes := map[string]http.HandlerFunc{"/a": slow(100 * time.Millisecond)}
			s1 := newServerShared(t, routes, flight)
			s2 := newServerShared(t, routes, flight)
			f := newFetcher(t, func(o *Options) { o.Workers = tc.workers })
			getAll(t, f, 3, s1.URL+"/a", s2.URL+"/a")
			if got := flight.max.Load(); got != tc.want {
				t.Errorf("servers saw %d requests at once, want %d", got, tc.want)
			}
		})
	}
}

// A request waiting for its turn gives up when its context ends.
func TestWaitRespectsContext(t *testing.T) {
	s := newServer(t, map[string]http.HandlerFunc{"/a": text("a")})
	f := newFetcher(t, func(o *Options) { o.MinDelay = time.Minute })
	// The robots.txt request starts the minute; the page waits behind it.
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := f.Get(ctx, Request{URL: s.URL + "/a"})
	if kindOf(err) != model.ErrCanceled {
		t.Errorf("error %v, want kind canceled", err)
	}
	if el := time.Since(start); el > 2*time.Second {
		t.Errorf("took %s", el)
	}
	if n := s.count("/a"); n != 0 {
		t.Errorf("page requested %d times", n)
	}
}

// Idle hosts are forgotten once their robots.txt has expired.
func TestIdleHostsForgotten(t *testing.T) {
	clk := &clock{t: time.Date(2011, 12, 16, 10, 0, 0, 0, time.UTC)}
	s1 := newServer(t, map[string]http.HandlerFunc{"/a": text("a")})
	s2 := newServer(t, map[string]http.HandlerFunc{"/a": text("a")})
	f := newFetcher(t, func(o *Options) { o.Clock = clk.Now })
	for _, s := range []*testServer{s1, s2} {
		if _, err := f.Get(context.Background(), Request{URL: s.URL + "/a"}); err != nil {
			t.Fatal(err)
		}
	}
	hosts := func() int {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.sweep(time.Now().Add(time.Second))
		return len(f.hosts)
	}
	if n := hosts(); n != 2 {
		t.Errorf("%d hosts kept while robots.txt is fresh, want 2", n)
	}
	clk.Add(2 * time.Hour)
	if n := hosts(); n != 0 {
		t.Errorf("%d hosts kept after robots.txt expired, want 0", n)
	}
}
