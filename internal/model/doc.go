// Package model holds the plain types that flow through presswatch:
// sources and their health, fetch records, the documents the crawler
// produces, the articles the store keeps, their versions, topics and
// matches. It does no I/O and imports nothing of ours, so every stage can
// share it.
package model
