// Package parse turns fetched bodies into listings: the items a feed, a
// listing page or a sitemap announces. It is the crawler's second stage,
// between fetching a body and extracting an article from each item's page.
//
// Three entry points, one per source type:
//
//   - Feed reads RSS 0.9x/1.0/2.0, Atom 0.3/1.0 and JSON Feed with gofeed.
//     Pass the raw bytes as fetched: the XML encoding declaration is honoured
//     (windows-1251, KOI8-R and the rest of golang.org/x/net/html/charset).
//   - Page walks an HTML listing page with the CSS selectors of a page
//     source. The HTML must already be UTF-8.
//   - Sitemap reads a <urlset> (with Google News tags), a <sitemapindex> or a
//     plain-text sitemap, gzipped or not.
//
// All three resolve links against the URL the body came from, skip items
// without an http(s) link, drop repeated links (the first wins) and keep at
// most MaxItems items. Errors are *model.Error values whose kind says what
// went wrong: model.ErrNotFeed when the body is not what the source claims
// (an HTML error page instead of a feed, say), model.ErrInvalidSelectors when
// a page's selectors match nothing, model.ErrTooLarge when a gzipped sitemap
// inflates beyond MaxSitemapBytes, and model.ErrParse otherwise.
//
// Dates are read with internal/dates, as everywhere in presswatch: a
// feed's own dates by gofeed (kept in the offset they are written with),
// a sitemap's and a listing's datetime= with dates.Parse, the text under
// a listing's date selector ("Posted by admin on January 12, 2012",
// "12 января 2012", "12.01.2012") with dates.First.
//
// Nothing here does I/O, and every function is safe for concurrent use.
package parse
