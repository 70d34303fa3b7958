// Package index owns the Bleve index that presswatch searches: the
// mapping (mapping.go), indexing articles in batches, rebuilding the index
// from the store, the typed search request the web and CLI build, search
// with highlights and cursor paging, and the topic matcher used at ingest.
//
// The index is derived from the store and can be thrown away and rebuilt
// at any time with Rebuild. Nothing outside this package sees a Bleve
// type: callers build a Request (or parse one from URL values with
// ParseRequest) and get back a Result of plain Hits.
//
// Query syntax is Bleve's query string: words, "exact phrases", +must,
// -not, field:value (title, text, source, lang, stance, url) and
// published:>"2012-01-01". The same syntax defines topics (Matcher).
package index
