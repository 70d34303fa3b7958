package fetch

import (
	"context"
	"sync"
	"time"
)

// sweepEvery is how often getHost looks for idle hosts to forget.
const sweepEvery = time.Minute

// host is what the fetcher knows about one origin (scheme, host and port):
// its politeness schedule and its robots.txt. Two origins on one machine
// (http and https, or two ports) are scheduled apart.
//
// The map of hosts does not grow forever: an entry nobody is using, whose
// next start time has passed and whose robots.txt has expired, holds nothing
// that would not be learnt again, and is dropped by the sweep that getHost
// runs at most once a minute. So the map holds roughly the origins fetched
// within the last RobotsTTL.
type host struct {
	origin     string        // "https://example.org" or "http://127.0.0.1:4242"
	slots      chan struct{} // PerHost semaphore
	robotsLock chan struct{} // held while robots.txt is fetched; waits respect ctx
	refs       int           // goroutines using the entry; guarded by Fetcher.mu

	mu         sync.Mutex
	last       time.Time     // start of the latest request, real time
	next       time.Time     // earliest start of the next request, real time
	crawlDelay time.Duration // from robots.txt, capped at MaxCrawlDelay
	robots     *robotsEntry  // nil until fetched
	// delayCapLogged is set once a capped Crawl-delay has been logged.
	delayCapLogged bool
}

// getHost returns the entry for origin, creating it if needed, and marks
// it in use. Every getHost must be paired with putHost.
func (f *Fetcher) getHost(origin string) *host {
	f.mu.Lock()
	defer f.mu.Unlock()
	if now := time.Now(); now.Sub(f.lastSweep) >= sweepEvery {
		f.lastSweep = now
		f.sweep(now)
	}
	h := f.hosts[origin]
	if h == nil {
		h = &host{
			origin:     origin,
			slots:      make(chan struct{}, f.opts.PerHost),
			robotsLock: make(chan struct{}, 1),
		}
		f.hosts[origin] = h
	}
	h.refs++
	return h
}

// putHost marks one use of h as finished.
func (f *Fetcher) putHost(h *host) {
	f.mu.Lock()
	h.refs--
	f.mu.Unlock()
}

// sweep drops idle entries; f.mu must be held.
func (f *Fetcher) sweep(now time.Time) {
	clock := f.opts.Clock()
	for origin, h := range f.hosts {
		if h.refs == 0 && h.idle(now, clock) {
			delete(f.hosts, origin)
		}
	}
}

func (h *host) idle(now, clock time.Time) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return !now.Before(h.next) && (h.robots == nil || !clock.Before(h.robots.expires))
}

// acquire waits until a request to h may start: a per-host slot is free,
// the gap since the previous start has passed and a global worker slot is
// free. The start is claimed while both slots are held, so the gap holds
// between real starts. The returned release must be called when the
// exchange (body included) is over. acquire returns ctx's error if ctx
// ends first, holding nothing.
func (f *Fetcher) acquire(ctx context.Context, h *host) (release func(), err error) {
	select {
	case h.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	for {
		if wait := h.untilNext(); wait > 0 {
			if err := sleep(ctx, wait); err != nil {
				<-h.slots
				return nil, err
			}
		}
		select {
		case f.workers <- struct{}{}:
		case <-ctx.Done():
			<-h.slots
			return nil, ctx.Err()
		}
		if h.claim(f.opts.MinDelay) {
			return func() { <-f.workers; <-h.slots }, nil
		}
		<-f.workers // another request took the start; wait again
	}
}

func (h *host) untilNext() time.Duration {
	h.mu.Lock()
	defer h.mu.Unlock()
	return time.Until(h.next)
}

// claim takes the next start if it is due and books the one after it.
func (h *host) claim(minDelay time.Duration) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	now := time.Now()
	if now.Before(h.next) {
		return false
	}
	h.last, h.next = now, now.Add(max(minDelay, h.crawlDelay))
	return true
}

// setCrawlDelay records robots.txt's Crawl-delay, counting it from the
// latest start (the robots.txt request itself).
func (h *host) setCrawlDelay(d time.Duration) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.crawlDelay = crawlDelay(d)
	if t := h.last.Add(h.crawlDelay); t.After(h.next) {
		h.next = t
	}
}

// holdOff keeps h from starting another request for d (Retry-After).
func (h *host) holdOff(d time.Duration) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if t := time.Now().Add(d); t.After(h.next) {
		h.next = t
	}
}

// sleep waits for d or until ctx ends, whichever is first.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
