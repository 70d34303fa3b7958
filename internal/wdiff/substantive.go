package wdiff

import (
	"strings"
	"unicode"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// Substantive reports whether newText is a real edit of the article in
// oldText: whether the texts differ once normalised (see Normalize) and
// once the boilerplate at either end of them is set aside. Call it when a
// page has been fetched again, to decide whether to record a new version.
//
// The rule, which errs towards reporting an edit:
//
//  1. Both texts are normalised and split into paragraphs (lines), and
//     the paragraphs are diffed as go-diff's line mode does.
//  2. The leading zone is the longest run of paragraphs from the start,
//     in either text, each of which is a marker or a link list. The
//     trailing zone is the longest run of paragraphs to the end each of
//     which is a marker, a link list or short, cut so that it starts at a
//     marker or link list: a short line counts only below a "Most read"
//     or "Share" line, never on its own and never at the start, where the
//     headline and lead are.
//  3. The texts outside the zones, their paragraphs joined by spaces, are
//     compared; the change is substantive if they differ. So a paragraph
//     split in two or two merged is not an edit; a word changed, or a
//     paragraph added or removed anywhere but in the zones, is.
//
// A marker is a paragraph of at most 12 words that is one of the phrases
// of the markers table ("Read more", "Most read", "Share", "Subscribe",
// "Читайте также", "Поделиться", ...) ignoring case, trailing punctuation
// and a count ("Comments (12)"), or starts with one of its prefixes
// followed by a space or punctuation ("Read more: Zhanaozen trial opens",
// "Подписывайтесь на нас в Telegram"). A link list is a paragraph of at
// most 20 words not ending in a full stop that holds two or more " | ",
// " / ", " • ", " · ", " > ", " → " or quote-mark separators, as
// breadcrumbs do ("Главная » Новости » Казахстан"). A short paragraph has
// at most 12 words and does not end in a full stop, as a related headline.
//
// What it may miss, by design: a change inside a related-headlines block
// at the end ("16 killed" in a headline under "Most read"), and a short
// closing line without a full stop that follows a marker.
func Substantive(oldText, newText string) bool {
	a, b := Normalize(oldText), Normalize(newText)
	if a == b {
		return false
	}
	ops := diffParagraphs(paragraphs(a), paragraphs(b))
	lead := 0
	for lead < len(ops) && (isMarker(ops[lead].text) || isLinkList(ops[lead].text)) {
		lead++
	}
	trail := len(ops) // ops[trail:] is the trailing zone
	for trail > lead && isEdgeLine(ops[trail-1].text) {
		trail--
	}
	for trail < len(ops) && !isMarker(ops[trail].text) && !isLinkList(ops[trail].text) {
		trail++
	}
	var coreA, coreB []string
	for _, op := range ops[lead:trail] {
		if op.op != Insert {
			coreA = append(coreA, op.text)
		}
		if op.op != Delete {
			coreB = append(coreB, op.text)
		}
	}
	return strings.Join(coreA, " ") != strings.Join(coreB, " ")
}

// paragraphs splits a normalised text into its lines; "" has none.
func paragraphs(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

type paraOp struct {
	op   Op
	text string
}

// diffParagraphs diffs two lists of paragraphs, one paraOp a paragraph.
func diffParagraphs(pa, pb []string) []paraOp {
	ra, rb, vocab, ok := encode(pa, pb)
	var ops []paraOp
	if !ok { // cannot happen below a million distinct paragraphs
		for _, p := range pa {
			ops = append(ops, paraOp{Delete, p})
		}
		for _, p := range pb {
			ops = append(ops, paraOp{Insert, p})
		}
		return ops
	}
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = timeout
	for _, d := range dmp.DiffMainRunes(ra, rb, false) {
		op := Equal
		switch d.Type {
		case diffmatchpatch.DiffDelete:
			op = Delete
		case diffmatchpatch.DiffInsert:
			op = Insert
		}
		for _, r := range d.Text {
			ops = append(ops, paraOp{op, vocab[runeCode(r)]})
		}
	}
	return ops
}

const (
	maxMarkerWords   = 12
	maxShortWords    = 12
	maxLinkListWords = 20
)

// isEdgeLine reports whether p may sit in the trailing zone.
func isEdgeLine(p string) bool {
	return isMarker(p) || isLinkList(p) || isShort(p)
}

func isShort(p string) bool {
	return countWords(p) <= maxShortWords && !strings.HasSuffix(p, ".")
}

func isLinkList(p string) bool {
	if countWords(p) > maxLinkListWords || strings.HasSuffix(p, ".") {
		return false
	}
	n := 0
	for _, sep := range linkSeparators {
		n += strings.Count(p, sep)
	}
	return n >= 2
}

var linkSeparators = []string{" | ", " / ", " • ", " · ", " > ", " → ", ` " `, " ' "}

func isMarker(p string) bool {
	if countWords(p) > maxMarkerWords {
		return false
	}
	p = strings.ToLower(p)
	if markerPhrases[trimMarker(p)] {
		return true
	}
	for _, pre := range markerPrefixes {
		if rest, ok := strings.CutPrefix(p, pre); ok {
			if rest == "" {
				return true
			}
			if c := []rune(rest)[0]; c == ' ' || unicode.IsPunct(c) {
				return true
			}
		}
	}
	return false
}

// trimMarker removes what may follow a marker phrase: punctuation,
// arrows, spaces and a count ("Comments (12)", "Share 0", "Далее →").
func trimMarker(p string) string {
	return strings.TrimRightFunc(p, func(r rune) bool {
		return unicode.IsPunct(r) || unicode.IsSymbol(r) || unicode.IsSpace(r) || unicode.IsDigit(r)
	})
}
