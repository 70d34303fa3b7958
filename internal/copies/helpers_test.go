package copies

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
)

// siteDir is the fixture press site (../../testdata/site/README.md).
const siteDir = "../../testdata/site"

// siteCharsets are the fixture pages whose charset only the server's
// Content-Type header gives.
var siteCharsets = map[string]string{
	"ru/vestnik/2011/12/17/zhanaozen-poryadok.html": "text/html; charset=windows-1251",
}

// siteArticles are the fixture site's different stories about Zhanaozen
// (the appeal only in English: its translations are one text).
var siteArticles = []string{
	"articles/2011/10/04/stop-state-brutality.html",
	"articles/2011/11/11/support-the-campaign.html",
	"articles/2011/12/05/negotiations-fail.html",
	"articles/2011/12/18/end-the-bloody-repression.html",
	"articles/2011/12/21/berlin-cologne.html",
	"articles/2012/01/05/kazakh-crackdown-deepens.html",
	"articles/2012/01/09/curfew-extended.html",
	"articles/2012/01/12/interview-journalist-zhanaozen.html",
	"appeal/en.html",
	"resources/model-motion.html",
	"private/draft-statement.html",
	"ru/golos/2011/12/20/zhanaozen-svideteli.html",
	"ru/vestnik/2011/12/17/zhanaozen-poryadok.html",
}

// siteText returns the body text of a fixture page, failing the test if it
// cannot be read.
func siteText(t testing.TB, name string) string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(siteDir, name))
	if err != nil {
		t.Fatal(err)
	}
	return htmlText(raw, siteCharsets[name])
}

// skipped are the elements whose text is never article text.
var skipped = map[string]bool{
	"script": true, "style": true, "noscript": true, "template": true, "nav": true, "aside": true,
	"header": true, "footer": true, "form": true, "head": true, "iframe": true, "svg": true, "select": true, "button": true,
}

// blocks end a line of text.
var blocks = map[string]bool{
	"p": true, "div": true, "li": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"blockquote": true, "td": true, "tr": true, "br": true, "section": true, "article": true, "pre": true, "dd": true, "dt": true,
}

// htmlText is a plain stand-in for extraction, enough for tests: the text
// of the page's .entry-content, else its <article>, else its <body>,
// without navigation, headers, footers, asides, forms and scripts, one
// line per block. contentType gives the charset when the page does not.
func htmlText(raw []byte, contentType string) string {
	enc, _, _ := charset.DetermineEncoding(raw, contentType)
	if dec, err := enc.NewDecoder().Bytes(raw); err == nil {
		raw = dec
	}
	doc, err := html.Parse(bytes.NewReader(raw))
	if err != nil {
		return ""
	}
	root := find(doc, func(n *html.Node) bool { return hasClass(n, "entry-content") })
	if root == nil {
		root = find(doc, func(n *html.Node) bool { return n.Data == "article" })
	}
	if root == nil {
		root = find(doc, func(n *html.Node) bool { return n.Data == "body" })
	}
	if root == nil {
		return ""
	}
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch {
		case n.Type == html.TextNode:
			b.WriteString(n.Data)
		case n.Type == html.ElementNode && (skipped[n.Data] || hasClass(n, "fixture-note")):
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if n.Type == html.ElementNode && blocks[n.Data] {
			b.WriteByte('\n')
		}
	}
	walk(root)
	var lines []string
	for l := range strings.Lines(b.String()) {
		if l = strings.Join(strings.Fields(l), " "); l != "" {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "\n")
}

func find(n *html.Node, ok func(*html.Node) bool) *html.Node {
	if n.Type == html.ElementNode && ok(n) {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if f := find(c, ok); f != nil {
			return f
		}
	}
	return nil
}

func hasClass(n *html.Node, class string) bool {
	for _, a := range n.Attr {
		if a.Key == "class" && strings.Contains(" "+a.Val+" ", " "+class+" ") {
			return true
		}
	}
	return false
}
