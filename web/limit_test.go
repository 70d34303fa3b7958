package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"presswatch/index"
)

// gate is a Searcher whose searches block until release is closed (or
// their context is done), saying on started that one began; with err set,
// a released search fails with it.
type gate struct {
	started chan struct{}
	release chan struct{}
	err     error

	mu sync.Mutex
	// instant, when set, answers a search at once with it, not holding
	// it; the searches before it keep blocking.
	instant error
}

func (g *gate) setInstant(err error) { g.mu.Lock(); g.instant = err; g.mu.Unlock() }

func newGate() *gate { return &gate{started: make(chan struct{}, 100), release: make(chan struct{})} }

func (g *gate) Search(ctx context.Context, req index.Request) (*index.Result, error) {
	g.mu.Lock()
	instant := g.instant
	g.mu.Unlock()
	if instant != nil {
		return nil, instant
	}
	g.started <- struct{}{}
	select {
	case <-g.release:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if g.err != nil {
		return nil, g.err
	}
	return &index.Result{Interval: "day"}, nil
}

// fakeTimer stands for time.After in a limiter: each wait says so on
// waits and ends when the test sends on fire.
type fakeTimer struct {
	waits chan struct{}
	fire  chan time.Time
}

func newFakeTimer() *fakeTimer {
	return &fakeTimer{waits: make(chan struct{}, 100), fire: make(chan time.Time)}
}

func (f *fakeTimer) after(time.Duration) <-chan time.Time {
	f.waits <- struct{}{}
	return f.fire
}

func newLimitServer(t *testing.T, g Searcher, maxSearches int, ft *fakeTimer) (*Server, *httptest.Server) {
	t.Helper()
	s, err := New(Options{Search: g, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), MaxSearches: maxSearches})
	if err != nil {
		t.Fatal(err)
	}
	s.searches.after = ft.after
	s.SetReady(true)
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return s, srv
}

type answer struct {
	status     int
	retryAfter string
	body       string
}

func fetchLimited(t *testing.T, url string) answer {
	resp, err := http.Get(url)
	if err != nil {
		t.Error(err)
		return answer{}
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return answer{resp.StatusCode, resp.Header.Get("Retry-After"), string(b)}
}

// With n searches in flight and n more waiting, the requests past them
// get 503 with Retry-After at once, before any wait ends, and none a 400;
// once the searches are released, every admitted and waiting one is
// served.
func TestLimitShedsExactlyTheExcess(t *testing.T) {
	const n, excess = 2, 3
	g, ft := newGate(), newFakeTimer()
	s, srv := newLimitServer(t, g, n, ft)
	paths := []string{"/search?q=oil", "/api/search?q=oil", "/timeline?q=oil", "/api/timeline?q=oil"}
	var wg sync.WaitGroup
	answers := make(chan answer, 2*n+excess)
	send := func(i int) {
		wg.Add(1)
		go func() { defer wg.Done(); answers <- fetchLimited(t, srv.URL+paths[i%len(paths)]) }()
	}
	for i := range n {
		send(i)
		<-g.started
	}
	for i := range n {
		send(i)
		<-ft.waits // waiting for a slot
	}
	if l := s.SearchLoad(); l.InFlight != n || l.Waiting != n {
		t.Fatalf("load = %+v, want %d in flight and %d waiting", l, n, n)
	}
	for i := range excess {
		a := fetchLimited(t, srv.URL+paths[i%len(paths)])
		if a.status != http.StatusServiceUnavailable || a.retryAfter != "1" || !strings.Contains(a.body, "busy") {
			t.Errorf("request past the limit and its queue: %d, Retry-After %q, %.200s; want 503, Retry-After 1, busy", a.status, a.retryAfter, a.body)
		}
	}
	if l := s.SearchLoad(); l.Shed != excess {
		t.Errorf("shed = %d, want %d", l.Shed, excess)
	}
	close(g.release)
	wg.Wait()
	close(answers)
	served := 0
	for a := range answers {
		if a.status != http.StatusOK {
			t.Errorf("admitted or waiting request answered %d: %.200s", a.status, a.body)
		}
		served++
	}
	if served != 2*n {
		t.Errorf("%d served, want %d", served, 2*n)
	}
	if l := s.SearchLoad(); l.InFlight != 0 || l.Waiting != 0 || l.Shed != excess {
		t.Errorf("load after = %+v, want none in flight or waiting, %d shed", l, excess)
	}
	// Every slot came back: n more are served at once.
	g2 := answer{}
	for range n {
		if g2 = fetchLimited(t, srv.URL+"/api/search?q=oil"); g2.status != http.StatusOK {
			t.Errorf("after the burst: %d %.200s", g2.status, g2.body)
		}
	}
}

// A request that waits for a slot longer than the wait is answered 503
// with Retry-After when the wait ends, not later.
func TestLimitWaitEnds(t *testing.T) {
	g, ft := newGate(), newFakeTimer()
	s, srv := newLimitServer(t, g, 1, ft)
	done := make(chan answer, 1)
	go func() { done <- fetchLimited(t, srv.URL+"/search?q=oil") }()
	<-g.started
	waiting := make(chan answer, 1)
	go func() { waiting <- fetchLimited(t, srv.URL+"/compare?q=oil") }()
	<-ft.waits
	ft.fire <- time.Time{}
	a := <-waiting
	if a.status != http.StatusServiceUnavailable || a.retryAfter != "1" {
		t.Errorf("request whose wait ended: %d, Retry-After %q; want 503, 1", a.status, a.retryAfter)
	}
	if l := s.SearchLoad(); l.Shed != 1 || l.Waiting != 0 {
		t.Errorf("load = %+v, want 1 shed, none waiting", l)
	}
	close(g.release)
	if a := <-done; a.status != http.StatusOK {
		t.Errorf("the admitted search: %d", a.status)
	}
}

// Static files, /healthz and the article pages are not limited: they are
// served while every search slot and the queue are taken.
func TestLimitLeavesOthersAlone(t *testing.T) {
	g, ft := newGate(), newFakeTimer()
	_, srv := newLimitServer(t, g, 1, ft)
	var wg sync.WaitGroup
	defer wg.Wait()
	for _, q := range []string{"oil", "gas"} {
		wg.Go(func() { fetchLimited(t, srv.URL+"/search?q="+q) })
		if q == "oil" {
			<-g.started
		} else {
			<-ft.waits
		}
	}
	for _, p := range []string{"/healthz", "/static/style.css", "/favicon.ico"} {
		if a := fetchLimited(t, srv.URL+p); a.status == http.StatusServiceUnavailable {
			t.Errorf("%s under load: 503", p)
		}
	}
	if a := fetchLimited(t, srv.URL+"/search?q=more"); a.status != http.StatusServiceUnavailable {
		t.Errorf("a search under load: %d, want 503", a.status)
	}
	close(g.release) // the waiting one gets the slot: its wait never ends
}

// indexTimeout is the error index.Search gives when its own time limit
// runs out (see TestTimedOutKnowsTheIndexTimeout).
var indexTimeout = &index.QueryError{Query: "oil", Err: errors.New("took longer than 5s; make it narrower (fewer wildcards, a date range)")}

// A search that runs out of time while others are served is the load's
// fault: 503 with Retry-After. The same timeout on a search that ran
// alone is the query's: 400 telling the user to narrow it.
func TestTimeoutUnderLoadIsNotBlamedOnTheQuery(t *testing.T) {
	for name, path := range map[string]string{"page": "/search?q=oil", "api": "/api/search?q=oil"} {
		t.Run(name, func(t *testing.T) {
			g, ft := newGate(), newFakeTimer()
			g.err = indexTimeout
			_, srv := newLimitServer(t, g, 4, ft)
			first := make(chan answer, 1)
			go func() { first <- fetchLimited(t, srv.URL+path) }()
			<-g.started
			// A second search, while the first runs, times out at once.
			g.setInstant(indexTimeout)
			a := fetchLimited(t, srv.URL+path)
			if a.status != http.StatusServiceUnavailable || a.retryAfter != "1" || strings.Contains(a.body, "narrow") {
				t.Errorf("timeout beside another search: %d, Retry-After %q, %.300s; want 503 busy", a.status, a.retryAfter, a.body)
			}
			g.setInstant(nil)
			close(g.release)
			if a := <-first; a.status != http.StatusServiceUnavailable {
				t.Errorf("timeout of the search another joined: %d, want 503", a.status)
			}
			// Alone, the same timeout is the query's.
			g.setInstant(indexTimeout)
			if a := fetchLimited(t, srv.URL+path); a.status != http.StatusBadRequest || !strings.Contains(a.body, "narrow") {
				t.Errorf("timeout of a search alone: %d %.300s; want 400 saying to narrow it", a.status, a.body)
			}
		})
	}
}

// timedOut knows the index's own timeout by its words; a search with its
// deadline passed gets them from the real index.
func TestTimedOutKnowsTheIndexTimeout(t *testing.T) {
	ix, err := index.OpenMem(index.WithSources(spSources))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if err := ix.Put(context.Background(), spArticles()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithDeadline(context.Background(), time.Unix(0, 0))
	defer cancel()
	_, err = ix.Search(ctx, index.Request{Query: "Zhanaozen"})
	if err == nil || !timedOut(err) {
		t.Fatalf("search past its deadline: %v; timedOut says %v", err, err != nil && timedOut(err))
	}
	if timedOut(&index.QueryError{Query: "(", Err: errors.New("unbalanced parenthesis")}) {
		t.Error("a query that cannot be read counts as timed out")
	}
	if !timedOut(fmt.Errorf("web: %w", context.DeadlineExceeded)) {
		t.Error("the web's own deadline does not count as timed out")
	}
}
