// Package web serves presswatch over HTTP: server-rendered pages from
// embedded templates, the JSON API under /api/, and a health check. It
// talks to small interfaces (a Searcher), never to Bleve or SQL directly.
package web
