package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// While the crawl has work (Options.Crawling), searches take one slot
// fewer than MaxSearches: exactly MaxSearches-1 are admitted and the next
// is shed after its wait; once the crawl is idle the spare slot is taken
// again, and every slot comes back on release, whichever it was.
func TestSearchesLeaveASlotToTheCrawl(t *testing.T) {
	for _, n := range []int{2, 3, 8} {
		var crawling atomic.Bool
		crawling.Store(true)
		searches, _ := newLimiters(Options{MaxSearches: n, Crawling: crawling.Load})
		clock := &stepClock{}
		searches.after = clock.after
		var held []*ticket
		take := func() bool {
			tk := searches.acquire(context.Background())
			if tk != nil {
				held = append(held, tk)
			}
			return tk != nil
		}
		for i := range n - 1 {
			if !take() {
				t.Fatalf("%d slots, crawling: search %d was refused", n, i+1)
			}
		}
		if take() {
			t.Errorf("%d slots, crawling: a search took the slot left to the crawl", n)
		}
		if l := searches.load(); l.InFlight != n-1 || l.Shed != 1 {
			t.Errorf("%d slots, crawling: load %+v, want %d in flight and 1 shed", n, l, n-1)
		}
		crawling.Store(false)
		if !take() {
			t.Errorf("%d slots, crawl idle: the spare slot was refused", n)
		}
		if take() {
			t.Errorf("%d slots, crawl idle: a search got a slot past %d", n, n)
		}
		if l := searches.load(); l.InFlight != n {
			t.Errorf("%d slots, crawl idle: %d in flight, want %d", n, l.InFlight, n)
		}
		// The crawl has work again while the spare slot is held: it comes
		// back on release all the same, and is not taken again.
		crawling.Store(true)
		for _, tk := range held {
			searches.release(tk)
		}
		if l := searches.load(); l.InFlight != 0 || len(searches.spare) != 0 {
			t.Errorf("%d slots: after every release %+v, spare held %d", n, l, len(searches.spare))
		}
		held = nil
		for range n - 1 {
			take()
		}
		if take() || len(held) != n-1 {
			t.Errorf("%d slots, crawling again: %d admitted, want %d", n, len(held), n-1)
		}
	}
}

// While the crawl has work, a search past the slots is shed at once,
// without waiting in the queue; while it is idle, one waits and takes
// the spare slot when it comes free.
func TestPastTheSlotsWhileCrawlingIsShedAtOnce(t *testing.T) {
	var crawling atomic.Bool
	searches, _ := newLimiters(Options{MaxSearches: 2, Crawling: crawling.Load})
	clock := &stepClock{}
	searches.after = clock.after
	first := searches.acquire(context.Background())
	crawling.Store(true)
	if tk := searches.acquire(context.Background()); tk != nil {
		t.Fatal("crawling: a second search was admitted")
	}
	if waited, waits := clock.read(); waits != 0 || waited != 0 || len(searches.queue) != 0 {
		t.Errorf("crawling: the search past the slot waited %d times (%s)", waits, waited)
	}
	if l := searches.load(); l.Shed != 1 || l.InFlight != 1 {
		t.Errorf("crawling: load %+v, want 1 in flight and 1 shed", l)
	}

	crawling.Store(false)
	spare := searches.acquire(context.Background()) // the crawl is idle: the spare slot
	if first == nil || spare == nil || !spare.spare {
		t.Fatalf("crawl idle: the two slots were not given (%v, %v)", first, spare)
	}
	ft := newFakeTimer()
	searches.after = ft.after
	got := make(chan *ticket, 1)
	go func() { got <- searches.acquire(context.Background()) }()
	<-ft.waits
	searches.release(spare)
	if tk := <-got; tk == nil || !tk.spare {
		t.Errorf("crawl idle: the queued search did not take the spare slot released")
	} else {
		searches.release(tk)
	}
	searches.release(first)
}

// Through the server, with two search slots and the crawl at work, one
// search is served while a second waits and is shed; without Crawling
// both are served at once.
func TestServerGivesFewerSlotsWhileCrawling(t *testing.T) {
	for _, tc := range []struct {
		crawling func() bool
		served   int
	}{{func() bool { return true }, 1}, {nil, 2}} {
		g, ft := newGate(), newFakeTimer()
		s, err := New(Options{Search: g, MaxSearches: 2, Crawling: tc.crawling, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
		if err != nil {
			t.Fatal(err)
		}
		s.searches.after = ft.after
		s.SetReady(true)
		hs := httptest.NewServer(s)
		defer hs.Close()
		srv := hs.URL
		var wg sync.WaitGroup
		answers := make(chan answer, 2)
		for range tc.served {
			wg.Go(func() { answers <- fetchLimited(t, srv+"/api/search?q=oil") })
			<-g.started
		}
		if tc.served == 1 {
			wg.Go(func() { answers <- fetchLimited(t, srv+"/api/search?q=gas") })
			select {
			case <-g.started:
				t.Error("crawling: a second search started")
			case <-ft.waits:
				t.Error("crawling: the search past the slot waited")
				ft.fire <- time.Time{}
			case a := <-answers: // shed at once
				answers <- a
			}
		}
		if l := s.SearchLoad(); l.InFlight != tc.served {
			t.Errorf("crawling %v: %d in flight, want %d", tc.crawling != nil, l.InFlight, tc.served)
		}
		close(g.release)
		wg.Wait()
		close(answers)
		ok, shed := 0, 0
		for a := range answers {
			switch a.status {
			case http.StatusOK:
				ok++
			case http.StatusServiceUnavailable:
				shed++
			}
		}
		if ok != tc.served || shed != 2-tc.served {
			t.Errorf("crawling %v: %d served and %d shed, want %d and %d", tc.crawling != nil, ok, shed, tc.served, 2-tc.served)
		}
	}
}
