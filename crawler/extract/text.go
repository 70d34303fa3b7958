package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/text/unicode/norm"
)

// blocks are the elements that start and end a paragraph of Result.Text.
var blocks = map[atom.Atom]bool{
	atom.Address: true, atom.Article: true, atom.Aside: true, atom.Blockquote: true,
	atom.Body: true, atom.Caption: true, atom.Dd: true, atom.Details: true, atom.Div: true,
	atom.Dl: true, atom.Dt: true, atom.Figcaption: true, atom.Figure: true, atom.Footer: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Head: true, atom.Header: true, atom.Hr: true, atom.Li: true, atom.Main: true,
	atom.Ol: true, atom.P: true, atom.Pre: true, atom.Section: true, atom.Summary: true,
	atom.Table: true, atom.Tr: true, atom.Ul: true,
}

// skipped are elements whose content is never text.
var skipped = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true,
	atom.Svg: true, atom.Math: true, atom.Iframe: true, atom.Object: true,
}

// textWriter collects paragraphs from an extracted content tree.
type textWriter struct {
	paras []string
	cur   strings.Builder
	space bool // a space is pending before the next word
	// trimmed is set for trees whose text was trimmed at element edges
	// (trafilatura's: "after <code>next-line</code>and"); edge is set at
	// such an edge, where a space goes between two words.
	trimmed, edge bool
}

// plainText renders n as plain text: one paragraph per block element,
// paragraphs separated by a blank line, white space inside a paragraph
// collapsed (kept inside <pre>), a <br> as a line break. The result is in
// Unicode normalisation form C, without soft hyphens.
//
// When trimmed is set, the tree's text was trimmed at element edges (as
// trafilatura does), and a space goes where an inline element meets a
// word: "after <code>next-line</code>and" gives "after next-line and".
func plainText(n *html.Node, trimmed bool) string {
	if n == nil {
		return ""
	}
	w := textWriter{trimmed: trimmed}
	w.walk(n, false)
	w.flush()
	return norm.NFC.String(strings.Join(w.paras, "\n\n"))
}

func (w *textWriter) walk(n *html.Node, pre bool) {
	switch n.Type {
	case html.TextNode:
		w.text(n.Data, pre)
		return
	case html.ElementNode:
		tag := tagOf(n)
		if skipped[tag] {
			return
		}
		switch tag {
		case atom.Br:
			w.cur.WriteByte('\n')
			w.space = false
			return
		case atom.Td, atom.Th:
			w.space = true
		case atom.Pre:
			pre = true
		}
	case html.DocumentNode:
	default:
		return
	}
	block := n.Type == html.ElementNode && blocks[tagOf(n)]
	if block {
		w.flush()
	} else if w.trimmed && n.Type == html.ElementNode {
		w.edge = true
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		w.walk(c, pre)
	}
	if block {
		w.flush()
	} else if w.trimmed && n.Type == html.ElementNode {
		w.edge = true
	}
}

// tagOf returns the element's tag by its name: the extractors rename
// elements (a <div> becomes a "p", a <span> a "head") and create new ones
// without setting DataAtom.
func tagOf(n *html.Node) atom.Atom {
	if a := atom.Lookup([]byte(n.Data)); a != 0 {
		return a
	}
	return n.DataAtom
}

func (w *textWriter) text(s string, pre bool) {
	s = strings.ReplaceAll(s, "\u00ad", "") // soft hyphen
	if pre {
		w.cur.WriteString(s)
		return
	}
	for _, r := range s {
		if unicode.IsSpace(r) {
			w.space = true
			continue
		}
		if w.edge && !w.space && isWordRune(r) {
			last, _ := utf8.DecodeLastRuneInString(w.cur.String())
			w.space = isWordRune(last) || strings.ContainsRune(".,;:!?)]»”", last)
		}
		if w.space && w.cur.Len() > 0 && !strings.HasSuffix(w.cur.String(), "\n") {
			w.cur.WriteByte(' ')
		}
		w.space, w.edge = false, false
		w.cur.WriteRune(r)
	}
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

func (w *textWriter) flush() {
	p := strings.TrimSpace(w.cur.String())
	if p != "" {
		w.paras = append(w.paras, p)
	}
	w.cur.Reset()
	w.space, w.edge = false, false
}
