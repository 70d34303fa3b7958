package fetch

import "presswatch/internal/model"

// Outcome names how the Get that returned resp ended, for counting
// fetches: "ok", "not_modified", or the model.ErrorKind of its error
// ("timeout", "dns", "connect", "tls", "rate_limited", "too_large",
// "too_many_redirects", "robots_disallowed", "blocked_address", "parse",
// "canceled", "archive", "internal"), except that an answer the server
// refused (model.ErrHTTPStatus) is named by its status class: "http_4xx",
// "http_5xx" (or "http_3xx", a redirect to nowhere usable). The set is
// small and fixed: it never holds a URL, a host or a status code, so it
// can label a metric. Options.Observe is handed it.
func Outcome(resp *Response) string {
	switch k := resp.Fetch.ErrorKind; {
	case k == model.ErrHTTPStatus && resp.Status >= 100 && resp.Status < 600:
		return statusClasses[resp.Status/100]
	case k != model.ErrNone:
		return string(k)
	case resp.NotModified:
		return "not_modified"
	}
	return "ok"
}

var statusClasses = [...]string{1: "http_1xx", 2: "http_2xx", 3: "http_3xx", 4: "http_4xx", 5: "http_5xx"}

// InFlight reports how many requests are on the network now, each holding
// one of the Options.Workers slots; requests waiting their turn for an
// origin are not counted. It is safe to call from any goroutine, as a
// metrics scrape does.
func (f *Fetcher) InFlight() int { return len(f.workers) }
