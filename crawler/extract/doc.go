// Package extract reads one article page: its main text, title, author,
// publication date, language and canonical URL.
//
// The crawler calls Page on every fetched article page, after decoding the
// body to UTF-8, and turns the Result into a model.Document. Page does no
// I/O and is safe for concurrent use; a call takes a few milliseconds to
// tens of milliseconds on a news page (see BenchmarkPage).
//
// The text comes from go-trafilatura, run again with its fallbacks (it
// compares its own result with go-readability's and go-domdistiller's and
// keeps the better one) only when its text is short; paragraphs that
// only point to other articles and short site notices (copyright,
// subscribe, log in) are dropped. The metadata comes from the page's own statements first
// (JSON-LD, <meta>, microdata, <time datetime>, the date shown with the
// headline, <html lang>, rel=canonical) and from trafilatura and
// go-htmldate's heuristics only when the page says nothing.
//
// internal/quality measures all of it against the shared corpus.
package extract
