package web

import (
	"html"
	"strings"
	"unicode"
	"unicode/utf8"

	"presswatch/index"
)

// fragmentCut is what Bleve's highlighter puts where a fragment cuts the
// text (its simple highlighter's separator), and fragmentJoin what the
// index puts between two fragments.
const (
	fragmentCut  = "…"
	fragmentJoin = " … "
)

// maxWordBytes is the longest partial word trimmed off a fragment's cut
// end: past it the text has no spaces to cut at (Chinese, Japanese, a long
// address) and is kept as Bleve cut it.
const maxWordBytes = 64

// readableHits returns hits with their snippets made to read well
// (readableSnippet); hits itself is not changed.
func readableHits(hits []index.Hit) []index.Hit {
	out := make([]index.Hit, len(hits))
	for i, h := range hits {
		h.Snippet = readableSnippet(h.Snippet, h.Title)
		out[i] = h
	}
	return out
}

// readableSnippet returns a hit's snippet, safe HTML as the index gives it
// (escaped text, <mark> around the matches, "…" where a fragment cuts the
// text), with every cut moved back to a word boundary, so that no word is
// shown in part, and without the title when the text starts with it, as
// an extracted page often does.
func readableSnippet(snippet, title string) string {
	pieces := strings.Split(snippet, fragmentJoin)
	for i, p := range pieces {
		if rest, ok := strings.CutPrefix(p, fragmentCut); ok {
			p = fragmentCut + trimHead(rest)
		} else if i == 0 {
			p = skipTitle(p, title)
		}
		if rest, ok := strings.CutSuffix(p, fragmentCut); ok && rest != "" {
			p = trimTail(rest) + fragmentCut
		}
		pieces[i] = p
	}
	return strings.Join(pieces, fragmentJoin)
}

// trimHead drops the partial word s starts with, up to the first space,
// unless a tag (a match, which starts a word) comes first.
func trimHead(s string) string {
	for i, r := range s {
		switch {
		case i > maxWordBytes || r == '<':
			return s
		case unicode.IsSpace(r):
			return strings.TrimLeftFunc(s[i:], unicode.IsSpace)
		}
	}
	return s
}

// trimTail drops the partial word s ends with, back to the last space,
// unless a tag (a match, which ends a word) comes first.
func trimTail(s string) string {
	for i := len(s); i > 0 && len(s)-i <= maxWordBytes; {
		r, n := utf8.DecodeLastRuneInString(s[:i])
		switch {
		case r == '>':
			return s
		case unicode.IsSpace(r):
			return strings.TrimRightFunc(s[:i], unicode.IsSpace)
		}
		i -= n
	}
	return s
}

// skipTitle returns s without title at its start (compared as text,
// ignoring case, the tags of matches and how the space is made), or s as
// it is when it does not start with title. A match left open by the title
// is opened again.
func skipTitle(s, title string) string {
	want := []rune(strings.Join(strings.Fields(title), " "))
	if len(want) == 0 {
		return s
	}
	open, i, w := 0, 0, 0
	for w < len(want) && i < len(s) {
		switch {
		case s[i] == '<':
			end := strings.IndexByte(s[i:], '>')
			if end < 0 {
				return s
			}
			if strings.HasPrefix(s[i:], "</") {
				open--
			} else {
				open++
			}
			i += end + 1
			continue
		case s[i] == '&':
			end := strings.IndexByte(s[i:], ';')
			if end < 0 {
				return s
			}
			r, _ := utf8.DecodeRuneInString(html.UnescapeString(s[i : i+end+1]))
			if !sameRune(r, want[w]) {
				return s
			}
			i, w = i+end+1, w+1
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			if want[w] != ' ' {
				return s
			}
			for i < len(s) {
				r, n := utf8.DecodeRuneInString(s[i:])
				if !unicode.IsSpace(r) {
					break
				}
				i += n
			}
			w++
			continue
		}
		if !sameRune(r, want[w]) {
			return s
		}
		i, w = i+n, w+1
	}
	if w < len(want) || !startsAfterTitle(s[i:]) {
		return s // not the title, or its last word runs on in the text
	}
	rest := s[i:]
	if open > 0 {
		if r, ok := strings.CutPrefix(rest, "</mark>"); ok {
			rest, open = r, 0
		}
	}
	rest = strings.TrimLeftFunc(rest, func(r rune) bool { return unicode.IsSpace(r) || r == '.' || r == ':' })
	if rest == "" {
		return "" // the text is only the title
	}
	if open > 0 {
		rest = "<mark>" + rest
	}
	return rest
}

// startsAfterTitle reports whether s, the text after a title, starts a
// new paragraph or sentence rather than going on with the title's words
// ("Oil output grew" in "Oil output grew this year"): a line break, a
// punctuation mark, or a space before a word that is not in lower case.
func startsAfterTitle(s string) bool {
	s = strings.TrimPrefix(s, "</mark>")
	if s == "" {
		return true
	}
	if r := firstRune(s); !unicode.IsSpace(r) {
		return unicode.IsPunct(r)
	}
	next := strings.TrimLeftFunc(s, unicode.IsSpace)
	if strings.ContainsAny(s[:len(s)-len(next)], "\n\r") {
		return true
	}
	next = strings.TrimPrefix(next, "<mark>")
	return next != "" && !unicode.IsLower(firstRune(next))
}

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

// sameRune compares letters ignoring case.
func sameRune(a, b rune) bool { return a == b || unicode.ToLower(a) == unicode.ToLower(b) }
