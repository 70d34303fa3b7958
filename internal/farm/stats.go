package farm

import (
	"sync/atomic"
)

// HostStats counts what one host was asked since Start or ResetStats.
type HostStats struct {
	Base        string
	Requests    int64 // every request, robots.txt included
	Feeds       int64 // feed requests answered (200 or 304)
	Pages       int64 // article pages served
	Edited      int64 // of them, pages Mutate edited
	Gone        int64 // requests for pages Mutate removed, answered 404
	Robots      int64 // robots.txt requests
	NotModified int64 // 304 answers
	Errors      int64 // injected 5xx answers
	Timeouts    int64 // requests held unanswered
	MaxInFlight int64 // most requests the host was serving at once
}

// Stats sums the hosts' counters; MaxInFlight is the largest of theirs.
type Stats struct {
	HostStats
	Hosts []HostStats
}

// Stats returns the counters of every host and their sum.
func (fm *Farm) Stats() Stats {
	var s Stats
	for _, h := range fm.hosts {
		c := &h.counts
		hs := HostStats{
			Base: h.base, Requests: c.requests.Load(), Feeds: c.feeds.Load(), Pages: c.pages.Load(),
			Edited: c.edited.Load(), Gone: c.gone.Load(),
			Robots: c.robots.Load(), NotModified: c.notModified.Load(), Errors: c.errors.Load(),
			Timeouts: c.timeouts.Load(), MaxInFlight: c.maxInFlight.Load(),
		}
		s.Hosts = append(s.Hosts, hs)
		s.Requests += hs.Requests
		s.Feeds += hs.Feeds
		s.Pages += hs.Pages
		s.Edited += hs.Edited
		s.Gone += hs.Gone
		s.Robots += hs.Robots
		s.NotModified += hs.NotModified
		s.Errors += hs.Errors
		s.Timeouts += hs.Timeouts
		s.MaxInFlight = max(s.MaxInFlight, hs.MaxInFlight)
	}
	return s
}

// ResetStats sets every counter to zero, so that a pass can be counted
// alone. Call it while no client is fetching.
func (fm *Farm) ResetStats() {
	for _, h := range fm.hosts {
		c := &h.counts
		for _, v := range []*atomic.Int64{&c.requests, &c.notModified, &c.errors, &c.timeouts,
			&c.feeds, &c.pages, &c.edited, &c.gone, &c.robots, &c.maxInFlight} {
			v.Store(0)
		}
	}
}

// raise lifts m to at least v.
func raise(m *atomic.Int64, v int64) {
	for {
		cur := m.Load()
		if v <= cur || m.CompareAndSwap(cur, v) {
			return
		}
	}
}
