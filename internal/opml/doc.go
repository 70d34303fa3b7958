// Package opml reads and writes OPML subscription lists, the files feed
// readers import and export (Miniflux, Feedly, Inoreader, NetNewsWire,
// Thunderbird). The web pages that manage sources call it; it does no I/O
// beyond the reader and writer it is given.
//
// Parse reads OPML 1.0, 1.1 and 2.0 as Miniflux does: every <outline> with
// an xmlUrl attribute is a feed, whatever its type attribute says; its
// title is the title attribute, else text, else htmlUrl, else xmlUrl; an
// outline without xmlUrl that holds others is a category, named by its
// text (else title), and nested categories are flattened, so a feed
// belongs to the category nearest above it. Unlike Miniflux, a repeated
// xmlUrl is kept once (the first wins), an outline whose xmlUrl is not an
// absolute http(s) URL is refused, and an htmlUrl that is not one is
// dropped; what was left out is listed in List.Skipped with its line and
// the reason, so a page can say "3 of 120 outlines were not imported" and
// name them.
//
// The file is read as XML 1.0 in the encoding its declaration names
// (windows-1251, KOI8-R, ISO-8859-1 and the rest of
// golang.org/x/net/html/charset, as crawler/parse reads feeds and
// sitemaps); a UTF-8 byte-order mark is allowed. Parsing is lenient like
// Miniflux's (HTML entities such as &nbsp; and a bare & in a URL are
// accepted), and safe with hostile files: encoding/xml never reads a
// DTD, so external entities are not fetched and internal ones are not
// expanded, and files over MaxBytes or with more than MaxOutlines outlines
// are refused whole.
//
// Write produces an OPML 2.0 file Miniflux and Feedly import: feeds
// without a category at the top level, the others inside one outline per
// category, in the order categories first appear. Parse(Write(feeds))
// gives the feeds back, grouped so.
//
// Errors wrap ErrNotOPML or ErrTooLarge and say what was wrong ("opml: not
// an OPML file: the root element is <rss>, not <opml>").
package opml
