// Package urlnorm turns the many spellings of an article's address into one
// canonical URL, the identity under which presswatch stores the article.
//
// Canonical is called on every URL that reaches ingest (feed links, listing
// links, rel=canonical); Resolve is called on links found inside a page
// before they are followed or stored. Both are pure functions, safe for
// concurrent use.
//
// What Canonical does, in order:
//
//   - accepts only absolute http and https URLs with a host;
//   - lower-cases the scheme and the host; an internationalised host is
//     kept in its lower-case Unicode form (xn--e1afmkfd.xn--p1ai becomes
//     пример.рф), so that both spellings of one host give one identity; a
//     trailing dot on the host is dropped;
//   - drops the default port (80 for http, 443 for https) and an empty one;
//   - drops the fragment, except an AJAX "#!" fragment, which names content;
//   - removes tracking parameters (see IsTracking) and empty parameters from
//     the query, keeping the others in their original order and spelling;
//   - normalises percent-encoding: hex digits upper-cased, escaped
//     unreserved characters (letters, digits, "-._~") decoded, and bytes
//     that may not appear raw (spaces, non-ASCII) escaped;
//   - removes "." and ".." path segments (RFC 3986, section 5.2.4) and
//     writes an empty path as "/".
//
// Userinfo is kept as given. Letter case in the path and query is kept:
// servers may treat it as significant.
package urlnorm
