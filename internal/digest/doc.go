// Package digest builds a topic's digest of a period for campaign staff:
// the articles first seen in it, one story once however many sites
// carried it (the copy clusters of ingest), the earliest known copy
// leading, the most widely carried first, stories that continue an
// earlier digest marked, and the sources that failed in the period named
// so staff know what it may be missing. It renders a digest as HTML for
// mail (inline styles, tables, absolute links, no script or images),
// Markdown, plain text and JSON, applies staff's edits, and stores and
// sends digests (Service), each period's once.
package digest
