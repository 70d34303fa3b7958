// Package importer ingests material researchers already hold: saved HTML
// pages, feed files, plain text, e-mail messages (.eml) and mbox archives.
// Each file becomes one or more model.Documents with provenance "import"
// and a fetch record carrying the file's SHA-256, handed to the same sink
// the crawler uses. Nothing is fetched from the network.
//
// An imported document keeps the best identity it has: the URL given by the
// user (for a single file), the page's rel=canonical, the item's link in a
// feed, an e-mail's Message-ID as a mid: URI (RFC 2392), or else
// urn:sha256:<digest of the file>, so importing the same file twice finds
// the article already there.
package importer
