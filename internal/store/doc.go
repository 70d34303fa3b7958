// Package store keeps presswatch's source of truth in SQLite
// (modernc.org/sqlite, pure Go): sources and their health, every fetch,
// articles and their versions, the item URLs each source announced, topics,
// matches and digests. The schema lives in embedded migrations applied at
// Open; PRAGMA user_version holds the schema version.
//
// The database runs in WAL mode with a busy timeout, so the web server reads
// while the crawler writes. Every multi-row change is one transaction, so a
// crash leaves either all of it or none.
package store
