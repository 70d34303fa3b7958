// Package safehtml turns the captured HTML of a page into a fragment that
// presswatch can show without running any of the page's code and without
// the reader's browser asking any other site for anything.
//
// It is the display stage of the archive: the page /articles/{id}/archived
// calls Render with the body as it was received, the response's
// Content-Type header and the page's URL, puts Result.HTML inside its own
// banner and layout, and serves the whole under CSP (set the
// Content-Security-Policy header to it, with Referrer-Policy: no-referrer
// and X-Content-Type-Options: nosniff). Render is pure and safe for
// concurrent use; a 68 KB Wikipedia page takes 6 to 14 ms.
//
// The sanitising is bluemonday's, with the policy in policy.go (an
// allowlist of structural and text elements and a few harmless
// attributes). Before it, golang.org/x/net/html does what bluemonday
// cannot: it resolves links against the page's URL (or its <base>), gives
// them rel="nofollow noopener noreferrer", replaces images by their alt
// text, unwraps <noscript> (scripts never run here, so its content is
// what the reader would see), removes SVG and MathML wholesale, and
// counts what is dropped. No image is kept, data: images included: an
// image becomes its alt text in brackets, "[Площадь в Жанаозене]", so the
// CSP can say img-src 'none'.
package safehtml
