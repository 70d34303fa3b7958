// Package farm serves a generated press world on loopback for benchmarks
// and tests of the crawler: N hosts, each on its own 127.77.x.y address
// (or its own port on 127.0.0.1 when such an address cannot be bound),
// each with M feeds (RSS 2.0, Atom, or both in turn) of K items, and an
// article page for every item in the HTML of a real news site: a header
// with navigation, breadcrumbs, share buttons, related links, a comments
// block and a footer around the article, whose title, byline, date (in
// meta tags and in the visible text) and text (real sentences of the
// deployment's languages, from internal/gencorpus) an extractor must find.
// Given Options.Pages, it serves those real pages as the articles instead.
//
// The farm answers like a well-run server: strong ETags and Last-Modified
// on every feed, 304 to a conditional request when nothing changed. It can
// be made slow (Latency) and unreliable (ErrorShare answers 5xx,
// TimeoutShare never answers until the client gives up). Advance(n) gives
// every feed n new items, so the next poll of each is a 200 with n new
// articles. Mutate(edit, remove, seed) changes the pages of the items
// announced so far as publishers do: a share edited in their text, a share
// answering 404, the rest served byte for byte as before, so that a
// revisit has exactly one right answer. It counts, per host, the requests, the 304s, the errors and
// the most requests it was serving at once: the politeness figure.
//
// It is bounded: at most MaxHosts hosts, MaxFeeds feeds and MaxItems
// items per feed, it closes itself after Options.MaxLife, and it listens
// on loopback only. Nothing it generates points a client anywhere else;
// real pages keep their own links, which a crawler of feeds never follows.
package farm
