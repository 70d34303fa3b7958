package fetch

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"presswatch/internal/model"
)

// testServer is an httptest server on 127.0.0.1 that counts what it is
// asked. Paths without a route answer 404, robots.txt included.
type testServer struct {
	*httptest.Server
	mu     sync.Mutex
	hits   map[string]int
	starts []time.Time // arrival of every request, in order
	flight *inFlight
}

// inFlight counts requests being served, and the most seen at once. One
// counter may be shared by several servers.
type inFlight struct {
	now, max atomic.Int64
}

func (c *inFlight) enter() {
	n := c.now.Add(1)
	for {
		m := c.max.Load()
		if n <= m || c.max.CompareAndSwap(m, n) {
			return
		}
	}
}

func (c *inFlight) leave() { c.now.Add(-1) }

func newServer(t testing.TB, routes map[string]http.HandlerFunc) *testServer {
	return newServerShared(t, routes, &inFlight{})
}

func newServerShared(t testing.TB, routes map[string]http.HandlerFunc, flight *inFlight) *testServer {
	t.Helper()
	s := &testServer{hits: map[string]int{}, flight: flight}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.hits[r.URL.Path]++
		s.starts = append(s.starts, time.Now())
		s.mu.Unlock()
		s.flight.enter()
		defer s.flight.leave()
		if h := routes[r.URL.Path]; h != nil {
			h(w, r)
			return
		}
		http.NotFound(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *testServer) count(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

// gaps returns the time between consecutive request arrivals.
// checkGaps fails t unless the server saw n gaps between starts, each
// about delay. The starts are seen by the server, after the client's
// goroutines and the loopback: on a loaded machine one request can reach
// it late and the next on time, so one gap may look short (CI saw 36 ms
// for 60) while the span of all of them cannot.
func (s *testServer) checkGaps(t *testing.T, n int, delay time.Duration) {
	t.Helper()
	gaps := s.gaps()
	if len(gaps) != n {
		t.Fatalf("server saw %d gaps, want %d", len(gaps), n)
	}
	var span time.Duration
	for i, g := range gaps {
		span += g
		if g < delay/4 {
			t.Errorf("gap %d is %s, want about %s", i, g, delay)
		}
	}
	if want := time.Duration(n)*delay - delay/2; span < want {
		t.Errorf("%d starts spread over %s, want at least %s", n+1, span, want)
	}
}

func (s *testServer) gaps() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	var g []time.Duration
	for i := 1; i < len(s.starts); i++ {
		g = append(g, s.starts[i].Sub(s.starts[i-1]))
	}
	return g
}

// newFetcher builds a fetcher for loopback tests: private addresses
// allowed, tiny delays. change may adjust the options.
func newFetcher(t testing.TB, change func(*Options)) *Fetcher {
	t.Helper()
	opts := Options{
		UserAgent:    "presswatch-test/0.1 (+https://example.org/contact)",
		AllowPrivate: true,
		MinDelay:     time.Millisecond,
		Timeout:      5 * time.Second,
	}
	if change != nil {
		change(&opts)
	}
	f, err := New(opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(f.Close)
	return f
}

// kindOf returns the model.ErrorKind of err, or "" for nil.
func kindOf(err error) model.ErrorKind {
	var me *model.Error
	if errors.As(err, &me) {
		return me.Kind
	}
	if err != nil {
		return "not a *model.Error"
	}
	return ""
}

// text answers with body.
func text(body string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte(body))
	}
}

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}
