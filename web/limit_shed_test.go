package web

import (
	"context"
	"net/http"
	"runtime"
	"sync"
	"testing"
	"time"
)

// shedBound is how long the limiter may make a shed request wait: the
// issue's 50 ms for the whole answer, less time to write it.
const shedBound = 40 * time.Millisecond

// stepClock stands for time.After in a limiter: time passes only when
// the limiter waits, by exactly the wait it asks for, and every wait ends
// at once. What a request spent in the limiter is then its clock's
// reading, whatever the machine's load.
type stepClock struct {
	mu    sync.Mutex
	now   time.Duration
	waits int
}

func (c *stepClock) after(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	c.now += d
	c.waits++
	c.mu.Unlock()
	ch := make(chan time.Time, 1)
	ch <- time.Time{}
	return ch
}

func (c *stepClock) read() (time.Duration, int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now, c.waits
}

// A request the limiter sheds is answered within shedBound of the
// limiter's clock: at once when the queue is full, after at most the
// bound when it queued.
func TestShedIsFast(t *testing.T) {
	for name, tc := range map[string]struct {
		queueFull bool
		waits     int
	}{
		"the queue is full: shed at once, no wait":      {queueFull: true, waits: 0},
		"the queue has room: shed after one short wait": {queueFull: false, waits: 1},
	} {
		t.Run(name, func(t *testing.T) {
			searches, _ := newLimiters(Options{MaxSearches: 1})
			clock := &stepClock{}
			searches.after = clock.after
			held := searches.acquire(context.Background())
			if held == nil {
				t.Fatal("the first request was refused a free slot")
			}
			defer searches.release(held)
			if tc.queueFull {
				searches.queue <- struct{}{} // another request waits
				defer func() { <-searches.queue }()
			}
			if got := searches.acquire(context.Background()); got != nil {
				t.Fatal("a request past the limit got a slot")
			}
			waited, waits := clock.read()
			if waited > shedBound || waits != tc.waits {
				t.Errorf("shed after %s in %d waits, want at most %s in %d", waited, waits, shedBound, tc.waits)
			}
			if tc.waits > 0 && waited <= 0 {
				t.Errorf("a queued request was shed without waiting for a slot (%s)", waited)
			}
			if l := searches.load(); l.Shed != 1 {
				t.Errorf("shed = %d, want 1", l.Shed)
			}
		})
	}
}

// Through the server: a search page past the limit gets its 503 with
// Retry-After within shedBound of the limiter's clock.
func TestShedPageIsFast(t *testing.T) {
	g := newGate()
	s, srv := newLimitServer(t, g, 1, newFakeTimer())
	clock := &stepClock{}
	s.searches.after = clock.after
	first := make(chan answer, 1)
	go func() { first <- fetchLimited(t, srv.URL+"/search?q=oil") }()
	<-g.started
	a := fetchLimited(t, srv.URL+"/search?q=gas")
	if a.status != http.StatusServiceUnavailable || a.retryAfter != "1" {
		t.Errorf("search past the limit: %d, Retry-After %q; want 503, 1", a.status, a.retryAfter)
	}
	if waited, _ := clock.read(); waited > shedBound {
		t.Errorf("shed after %s of the limiter's clock, want at most %s", waited, shedBound)
	}
	close(g.release)
	if a := <-first; a.status != http.StatusOK {
		t.Errorf("the admitted search: %d", a.status)
	}
}

// By default searches get one slot per core, and as many places in the
// queue, so that a crawl in the same process keeps its share of the CPU.
func TestDefaultSearchSlotsAreOnePerCore(t *testing.T) {
	searches, _ := newLimiters(Options{})
	want := runtime.GOMAXPROCS(0)
	if cap(searches.slots) != want || cap(searches.queue) != want {
		t.Errorf("default: %d slots and %d places in the queue, want %d each (GOMAXPROCS)", cap(searches.slots), cap(searches.queue), want)
	}
	if searches, _ := newLimiters(Options{MaxSearches: 7}); cap(searches.slots) != 7 {
		t.Errorf("Options.MaxSearches 7: %d slots", cap(searches.slots))
	}
}
