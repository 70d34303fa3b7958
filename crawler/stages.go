package crawler

import "time"

// Stages is the time a run spent in each stage of reading a source. The
// stages of a run's items are summed over the items, which are read
// ItemWorkers at once, so the sum can exceed the run's Duration.
type Stages struct {
	Wait    time.Duration // waiting for a turn: at the host (politeness, robots.txt, the global limit), or to extract
	Fetch   time.Duration // on the network: listings and pages, bodies included
	Parse   time.Duration // reading listings: feeds, listing pages, sitemaps
	Extract time.Duration // decoding and extracting article pages
	Store   time.Duration // the sink and the state: known items, storing documents, recording fetches and health
}

// Add adds o's times to s.
func (s *Stages) Add(o Stages) {
	s.Wait += o.Wait
	s.Fetch += o.Fetch
	s.Parse += o.Parse
	s.Extract += o.Extract
	s.Store += o.Store
}

// fetched counts a Get that started at start and spent wire on the
// network: the rest of its time was spent waiting.
func (s *Stages) fetched(start time.Time, wire time.Duration) {
	s.Fetch += wire
	s.Wait += max(time.Since(start)-wire, 0)
}

// since adds the time since start to *d.
func since(d *time.Duration, start time.Time) { *d += time.Since(start) }
