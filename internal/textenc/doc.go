// Package textenc turns fetched bytes into UTF-8: the charset of an HTML
// page found as browsers find it (byte-order mark, header, <meta>), with a
// guess among UTF-8, windows-1251, KOI8-R and windows-1252 for pages that
// declare none, and the few repairs XML feeds need before their parser.
// The crawler reads pages with it, and the web layer shows archived pages
// with it, so what is shown is what was indexed.
package textenc
