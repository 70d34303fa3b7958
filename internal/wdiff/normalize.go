package wdiff

import (
	"html"
	"regexp"
	"strings"

	"golang.org/x/text/unicode/norm"
)

// Normalize returns s in the form in which two versions of a text are
// compared, so that a difference left between two normalised texts is a
// difference in what the publisher served, not in how presswatch read it.
// In order:
//
//   - HTML entities left in the text are decoded (&nbsp; &amp; &#8212;,
//     twice at most, for &amp;nbsp;), then <br> becomes a line break, </p>
//     and <p> a paragraph break, and the other common inline and block
//     tags (b, i, em, strong, span, a, div, font, sup, sub, u, wbr) are
//     removed; other text with angle brackets ("a < b") is kept;
//   - the text is composed to Unicode NFC;
//   - soft hyphens and zero-width characters (U+200B-U+200D, U+2060,
//     U+FEFF, U+180E) are removed;
//   - double quotes « » „ “ ” ‟ ″ ＂ become ", single quotes and
//     apostrophes ‘ ’ ‚ ‛ ‹ › ′ ʼ ` ´ ＇ become ', dashes and the minus
//     sign ‐ ‑ ‒ – — ― − ﹣ － become -, and … becomes ...;
//   - every run of whitespace (the non-breaking, thin and ideographic
//     spaces included) becomes one space, or one line break if it holds a
//     line break; lines are trimmed and empty lines dropped.
//
// So in the result every line is a paragraph and the text neither starts
// nor ends with whitespace. Letter case, ё/е and digits are kept: a change
// in them is a change by the publisher.
func Normalize(s string) string {
	for range 2 {
		u := html.UnescapeString(s)
		if u == s {
			break
		}
		s = u
	}
	s = brTag.ReplaceAllString(s, "\n")
	s = pTag.ReplaceAllString(s, "\n\n")
	s = inlineTag.ReplaceAllString(s, "")
	s = norm.NFC.String(s)

	var b strings.Builder
	b.Grow(len(s))
	space, brk := false, false // a whitespace run is pending; it holds a line break
	for _, r := range s {
		class, repl := classify(r)
		switch class {
		case drop:
			continue
		case lineBreak:
			space, brk = true, true
			continue
		case blank:
			space = true
			continue
		}
		if space && b.Len() > 0 {
			if brk {
				b.WriteByte('\n')
			} else {
				b.WriteByte(' ')
			}
		}
		space, brk = false, false
		if repl != "" {
			b.WriteString(repl)
		} else {
			b.WriteRune(r)
		}
	}
	// Removing a zero-width character can bring a combining mark next
	// to the letter it belongs to.
	return norm.NFC.String(b.String())
}

// Same reports whether a and b are the same text once normalised: false
// means the publisher changed something, boilerplate included (see
// Substantive for changes to the article itself).
func Same(a, b string) bool {
	return Normalize(a) == Normalize(b)
}

var (
	brTag     = regexp.MustCompile(`(?i)<br\s*/?>`)
	pTag      = regexp.MustCompile(`(?i)</?p(?:\s[^<>]*)?>`)
	inlineTag = regexp.MustCompile(`(?i)</?(?:b|i|u|em|strong|span|a|div|font|sup|sub|wbr)(?:\s[^<>]*)?/?>`)
)

type runeClass int8

const (
	keep runeClass = iota
	drop
	blank
	lineBreak
)

// classify says what Normalize does with r; repl, if not empty, replaces
// a kept rune.
func classify(r rune) (runeClass, string) {
	switch r {
	case '\n', '\r', '\v', '\f', 0x85, 0x2028, 0x2029:
		return lineBreak, ""
	case 0xAD, 0x180E, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF:
		return drop, ""
	case ' ', '\t', 0xA0, 0x1680, 0x202F, 0x205F, 0x3000:
		return blank, ""
	case '«', '»', '„', '“', '”', '‟', '″', '＂':
		return keep, `"`
	case '‘', '’', '‚', '‛', '‹', '›', '′', 'ʼ', '`', '´', '＇':
		return keep, "'"
	case '‐', '‑', '‒', '–', '—', '―', '−', '﹣', '－':
		return keep, "-"
	case '…':
		return keep, "..."
	}
	if r >= 0x2000 && r <= 0x200A { // en quad ... hair space
		return blank, ""
	}
	return keep, ""
}
