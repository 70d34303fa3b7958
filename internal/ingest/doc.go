// Package ingest is the one place where a fetched or imported Document
// becomes an Article: it canonicalises the URL, detects exact copies of a
// story already held, keeps a new version when a known article's text
// changed, matches the article to topics, applies the source's keep policy,
// stores it, and has the index catch up.
//
// The store is the queue between storing and indexing: an article is
// written with its index mark cleared, and the Indexer indexes everything
// so marked, in batches. A crash between the two loses nothing; the next
// start indexes what was left.
package ingest
