// Package fetch is the polite HTTP client every crawler request goes
// through. It owns the rules presswatch follows as a guest on other
// people's servers and the limits that keep a hostile server from hurting
// presswatch:
//
//   - robots.txt is read once per origin (scheme, host and port), cached,
//     and obeyed for the "presswatch" user-agent token, falling back to "*";
//     its Crawl-delay slows requests to that origin down;
//   - at most PerHost requests run at once against one origin, and their
//     start times are at least MinDelay (or the Crawl-delay) apart; at most
//     Workers requests run at once in all;
//   - 429 and 503 answers with Retry-After make the origin wait, and the
//     delay is handed back to the caller with RetryAfter;
//   - conditional GET (If-None-Match, If-Modified-Since) turns an unchanged
//     page into a cheap 304;
//   - redirects, body size, connect and total time are capped, and private
//     or local addresses are refused after DNS resolution (SSRF safety).
//
// Build one Fetcher with New at start-up, share it between all goroutines,
// call Get for every URL and Close at shutdown. Every error Get returns is
// a *model.Error whose Kind is stored with the source's health; every call
// returns a *Response whose Fetch field is the record to store.
//
// DecodeHTML turns a fetched body into UTF-8 for the parsers.
package fetch
