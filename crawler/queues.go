package crawler

// Extracting reports the pages being extracted now, each holding one of
// Options.ExtractWorkers slots (abandoned extractions too, until they
// end), and the pages waiting for a slot, theirs or their source's share.
// It is safe to call from any goroutine, as a metrics scrape does.
func (c *Crawler) Extracting() (running, waiting int) {
	return len(c.extracting), int(c.waiting.Load())
}

// ItemsInFlight reports how many items the runs under way are reading
// now (fetching, extracting or storing them). It is safe to call from
// any goroutine.
func (c *Crawler) ItemsInFlight() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.inflight)
}
