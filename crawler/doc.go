// Package crawler reads sources. For each run of a source it fetches the
// listing (a feed, a listing page walked back through its older pages, or a
// sitemap) through the polite fetcher, asks the sink which announced items
// it already holds, fetches and extracts the new ones, and hands each as a
// model.Document to the sink. It keeps each source's HTTP validators and
// health, backs off after failures, and schedules runs with gocron.
//
// The subpackages do one step each: fetch (HTTP with politeness), parse
// (feeds, listing pages, sitemaps) and extract (main text and metadata).
// The crawler never imports the index or the web server; what becomes of a
// Document is the sink's business.
package crawler
