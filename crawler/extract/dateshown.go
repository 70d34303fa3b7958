package extract

import (
	"regexp"
	"strings"
	"time"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"presswatch/internal/dates"
)

// pageText is the text of a page in document order, without scripts,
// styles and forms, with where its headline (<h1>) starts and ends.
type pageText struct {
	text               string
	headStart, headEnd int      // -1 when the page has no <h1>
	blocks             [][2]int // the spans of block elements' text
}

// readPageText reads root's text, its first headline and its blocks. The
// text stops shownReach bytes after the headline's end: shownDate
// looks no further, and a block still open there is recorded as ending
// where the text does, which keeps it as long as it must be to be
// judged (longer than shownMaxBlock) for any date shownDate could take.
func readPageText(root *html.Node) pageText {
	var b strings.Builder
	pt := pageText{headStart: -1, headEnd: -1}
	done := false // the text reaches shownReach past the headline
	space := true // the last byte written is a space, or nothing is
	write := func(s string) {
		for _, f := range strings.FieldsFunc(s, unicode.IsSpace) {
			if !space {
				b.WriteByte(' ')
			}
			b.WriteString(f)
			space = false
		}
		if s != "" && unicode.IsSpace(rune(s[len(s)-1])) && !space {
			b.WriteByte(' ')
			space = true
		}
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if done {
			return
		}
		switch n.Type {
		case html.TextNode:
			if s := n.Data; s != "" && unicode.IsSpace(rune(s[0])) && !space {
				b.WriteByte(' ')
				space = true
			}
			write(n.Data)
			done = pt.headEnd >= 0 && b.Len() > pt.headEnd+shownReach
			return
		case html.ElementNode:
			switch n.DataAtom {
			case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Select, atom.Textarea, atom.Svg:
				return
			}
		}
		isHead := n.Type == html.ElementNode && n.DataAtom == atom.H1 && pt.headStart < 0
		block := n.Type == html.ElementNode && blockElements[n.DataAtom]
		blockStart := b.Len()
		if isHead {
			pt.headStart = b.Len()
		}
		if n.Type == html.ElementNode && !space {
			b.WriteByte(' ')
			space = true
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if n.Type == html.ElementNode && !space {
			b.WriteByte(' ')
			space = true
		}
		if block && b.Len() > blockStart {
			pt.blocks = append(pt.blocks, [2]int{blockStart, b.Len()})
		}
		if isHead {
			pt.headEnd = b.Len()
			if strings.TrimSpace(b.String()[pt.headStart:]) == "" {
				pt.headStart, pt.headEnd = -1, -1
			}
		}
	}
	walk(root)
	pt.text = b.String()
	return pt
}

// blockElements are the elements whose text stands apart from its
// neighbours': a date in a short one is a dateline or a byline, one in a
// long one is part of a sentence.
var blockElements = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Li: true, atom.Td: true, atom.Th: true,
	atom.Dd: true, atom.Dt: true, atom.Section: true, atom.Article: true,
	atom.Header: true, atom.Footer: true, atom.Aside: true, atom.Main: true,
	atom.Blockquote: true, atom.Figure: true, atom.Figcaption: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true,
	atom.H6: true, atom.Ul: true, atom.Ol: true, atom.Table: true, atom.Tr: true,
	atom.Address: true, atom.Time: true, atom.Body: true, atom.Html: true,
}

// blockLen returns the length of the text of the smallest block holding
// the span [start, end).
func (pt *pageText) blockLen(start, end int) int {
	best := len(pt.text)
	for _, bl := range pt.blocks {
		if bl[0] <= start && end <= bl[1] && bl[1]-bl[0] < best {
			best = bl[1] - bl[0]
		}
	}
	return best
}

// How near the headline a shown date must be, in bytes of text after its
// end or before its start, and how long the block holding it may be:
// a dateline or byline ("Von Moritz Wichmann 29.04.2020, 12:01 Uhr") is
// short, a date inside a sentence ("ab dem 1. Januar 2024 ...") is not.
const (
	shownAfter    = 300
	shownBefore   = 50
	shownMaxBlock = 80
	// shownReach is how far past the headline's end readPageText reads:
	// a date ending shownAfter past it, and a block of shownMaxBlock
	// more that holds it.
	shownReach = shownAfter + shownMaxBlock + 1
)

// rxUpdateLabel matches the end of a text that labels the date after it
// as a revision ("Updated", "Aktualisiert am", "Stand:", "mis à jour le",
// "Обновлено"), not the publication.
var rxUpdateLabel = regexp.MustCompile(`(?i)(?:^|[^\p{L}])(?:updat|aktualisier|stand|mis à jour|modifi|actualiza|aggiorna|atualiza|aktualizac|обновл|изменен|жаңарт|өзгерт|last)\p{L}*[^\p{L}\d]*(?:\p{L}+[^\p{L}\d]*)?(?:\p{L}+[^\p{L}\d]*)?$`)

// shownDate finds the date a page shows its readers with the article: the
// date nearest after the end of the first <h1> (else the nearest before
// it), in a short block of its own, not labelled as an update (see
// trustedDates).
func shownDate(root *html.Node) (dates.Found, bool) {
	pt := readPageText(root)
	if pt.headStart < 0 {
		return dates.Found{}, false
	}
	lo, hi := max(0, pt.headStart-shownBefore), min(len(pt.text), pt.headEnd+shownAfter)
	var best dates.Found
	bestDist, found := 0, false
	for _, td := range trustedDates(pt.text[lo:hi]) {
		start, end := td.Start+lo, td.End+lo
		dist := start - pt.headEnd // after the headline: >= 0
		if start < pt.headEnd {
			dist = end - pt.headStart // before it or inside it: < 0
			if dist >= 0 {
				dist = -1
			}
		}
		if dist < -shownBefore || dist > shownAfter || pt.blockLen(start, end) > shownMaxBlock {
			continue
		}
		if rxUpdateLabel.MatchString(pt.text[max(0, start-40):start]) {
			continue
		}
		better := !found ||
			(dist >= 0 && (bestDist < 0 || dist < bestDist)) ||
			(dist < 0 && bestDist < 0 && dist > bestDist)
		if better {
			best, bestDist, found = td, dist, true
		}
	}
	return best, found
}

// trustedDates are the dates written in s (see dates.Find), less the
// slashed ones whose order of day and month the numbers do not show
// (05/06/2012): a page of an English-speaking site writes them month
// first, most others day first, and a wrong day is worse than none.
func trustedDates(s string) []dates.Found {
	fs := dates.Find(s)
	kept := fs[:0]
	for _, f := range fs {
		if !f.Ambiguous {
			kept = append(kept, f)
		}
	}
	return kept
}

// shownClock is the day and clock a shown date writes, to the minute, as
// a time in UTC whatever zone is written after it: what withShownClock
// compares an explicit date with.
func shownClock(f dates.Found) time.Time {
	t := f.Time
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), 0, 0, time.UTC)
}
