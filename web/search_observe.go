package web

import "time"

// timeSearch starts timing one search on route ("/search" or
// "/api/search"); the func it returns, deferred by the handler, reports
// the time to Options.ObserveSearch once the answer is written. The
// time runs from a search the server is ready for, a query it refuses
// included, to its answer; the wait for a slot (limit.go) is not in it.
// Without ObserveSearch it costs nothing.
func (s *Server) timeSearch(route string) func() {
	observe := s.opts.ObserveSearch
	if observe == nil {
		return func() {}
	}
	start := time.Now()
	return func() { observe(route, time.Since(start)) }
}
