// Package dates reads the dates presswatch meets, the same way wherever it
// meets them: in feeds and sitemaps, in the markup and the text of article
// pages, under a listing page's date selector, at the top of an imported
// text, and in URLs.
//
// Parse reads one date that is all of a value (a <meta> content, a
// <time datetime>, JSON-LD, a sitemap's lastmod, a feed's pubDate);
// First finds the first date in free text ("Posted by admin on January 12,
// 2012"); Find lists every date written in a text with where it stands and
// the time of day after it; URLDay reads the day a URL's path names
// (/2011/12/16/).
//
// Machine forms (RFC 3339, RFC 1123 and RFC 822 with their variants,
// ISO dates, dotted and slashed days) are read by the package itself, as
// go-dateparser is slow on them (about 1 ms a string) and reads some wrong
// (01/31/2012 as 2014-07-01, 31 February as the 29th). Month names come
// from go-dateparser (the CLDR's names and abbreviations, and its
// supplementary data) in the languages presswatch follows: en, ru, kk,
// de, fr, es, it, pl, pt and uk. The table of them, monthWords, is
// written by TestMonthWords -update from go-dateparser's own answers,
// word by word, and checked against them by every test run; nothing asks
// go-dateparser at run time (see monthOf).
//
// Every date lies between MinYear and MaxYear; anything else is taken
// for a placeholder (0001-01-01, 1970-01-01, 2099-12-31) or a typing
// error. Two-digit years are not read, except in RFC 822's fixed layout.
// Every function is safe for concurrent use and does no I/O.
package dates
