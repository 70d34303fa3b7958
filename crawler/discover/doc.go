// Package discover finds the feeds of a site, for the web page where a
// user adds a source by typing a site's or a page's address. It is
// Miniflux's subscription finder on presswatch's own fetcher and parser.
//
// Find fetches the URL through a Getter (a *fetch.Fetcher: robots.txt,
// politeness, the private-address refusal and the body caps all apply;
// requests name no source, so no source's allow_private is lent to a
// typed URL, as with crawler.Preview). Then:
//
//  1. when the answer is itself a feed (RSS, Atom or JSON Feed, as
//     crawler/parse reads them), that feed is the one candidate;
//  2. else, when it is an HTML page, each <link rel="alternate"> in its
//     <head> with type application/rss+xml, application/atom+xml,
//     application/feed+json or application/json is a candidate, in page
//     order, repeats dropped, its href resolved against <base href> and
//     the URL after redirects (JSON links into /wp-json/, WordPress's API,
//     are not feeds and are left out, as Miniflux does);
//  3. when no linked candidate is a readable feed, the common paths /feed,
//     /rss, /rss.xml, /atom.xml, /feed.xml, /index.xml and
//     /feeds/posts/default (Blogger) on the page's origin are tried, and
//     those that are feeds are added.
//
// Every candidate is fetched and parsed (at most MaxCandidates of them,
// each within CandidateTimeout), and comes back with the feed's title,
// type, item count and newest item date, or with Err saying why it is no
// feed (an HTTP error, an HTML page, a timeout). Only the first
// MaxHTMLBytes of a page are read for links.
//
// Find makes its requests one after another: on one site with the
// fetcher's default politeness (a second between requests) a page without
// links takes about eight seconds, so give ctx a minute. It starts no
// goroutines, and is safe for concurrent use.
package discover
