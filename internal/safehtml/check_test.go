package safehtml

import (
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// allowedElements is what the output may hold, written out here apart
// from the policy so that a change to the policy must change the test.
var allowedElements = setOf(
	"h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "div", "span",
	"article", "section", "header", "footer", "main", "aside", "nav", "address", "hgroup",
	"ul", "ol", "li", "dl", "dt", "dd",
	"table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "colgroup", "col",
	"blockquote", "q", "cite", "figure", "figcaption", "time", "data", "details", "summary",
	"em", "strong", "b", "i", "u", "s", "small", "sub", "sup", "mark", "abbr", "dfn",
	"del", "ins", "code", "pre", "kbd", "samp", "var", "bdi", "bdo", "ruby", "rt", "rp", "wbr", "a",
)

// allowedAttrs are the attributes the output may hold; href and rel only
// on <a>, checked apart.
var allowedAttrs = setOf("lang", "dir", "title", "colspan", "rowspan", "span", "scope",
	"datetime", "value", "start", "reversed", "type")

func setOf(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// checkSafe parses out as a browser would (in a <body>, both with and
// without scripting) and fails the test for every node that could load a
// resource or run code: an element outside allowedElements, an attribute
// outside allowedAttrs, or a link that is not an absolute http(s) URL
// with rel="nofollow noopener noreferrer".
func checkSafe(t testing.TB, out string) {
	t.Helper()
	if !utf8.ValidString(out) {
		t.Errorf("output is not valid UTF-8")
	}
	for _, scripting := range []bool{true, false} {
		body := &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}
		nodes, err := html.ParseFragmentWithOptions(strings.NewReader(out), body, html.ParseOptionEnableScripting(scripting))
		if err != nil {
			t.Fatalf("output does not parse: %v", err)
		}
		for _, n := range nodes {
			walk(n, func(n *html.Node) {
				checkNode(t, n)
			})
		}
	}
}

func walk(n *html.Node, f func(*html.Node)) {
	f(n)
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, f)
	}
}

func checkNode(t testing.TB, n *html.Node) {
	t.Helper()
	switch n.Type {
	case html.TextNode:
		return
	case html.ElementNode:
	default:
		t.Errorf("output holds a node of type %d: %q", n.Type, n.Data)
		return
	}
	if n.Namespace != "" || !allowedElements[n.Data] {
		t.Errorf("output holds <%s> (namespace %q)", n.Data, n.Namespace)
	}
	var href, rel string
	for _, a := range n.Attr {
		k := strings.ToLower(a.Key)
		switch {
		case a.Namespace != "":
			t.Errorf("<%s> has a namespaced attribute %s:%s", n.Data, a.Namespace, a.Key)
		case strings.HasPrefix(k, "on"):
			t.Errorf("<%s> has an event handler %s=%q", n.Data, a.Key, a.Val)
		case (k == "href" || k == "rel") && n.Data == "a":
			if k == "href" {
				href = a.Val
			} else {
				rel = a.Val
			}
		case !allowedAttrs[k]:
			t.Errorf("<%s> has %s=%q", n.Data, a.Key, a.Val)
		}
	}
	if n.Data == "a" && href != "" {
		u, err := url.Parse(href)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || strings.ContainsAny(href, " \t\n\r\\") {
			t.Errorf("<a> links to %q, not an absolute http(s) URL", href)
		}
		if rel != linkRel {
			t.Errorf("<a href=%q> has rel=%q, want %q", href, rel, linkRel)
		}
	}
}

// text returns the text of out as a reader sees it: inline elements run
// on, block elements and <br> break it, spaces are collapsed.
func text(t testing.TB, out string) string {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	var visit func(*html.Node)
	visit = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		block := n.Type == html.ElementNode && !inline[n.Data]
		if block {
			b.WriteByte(' ')
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			visit(c)
		}
		if block {
			b.WriteByte(' ')
		}
	}
	visit(doc)
	return strings.Join(strings.Fields(b.String()), " ")
}

var inline = setOf("a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em", "i", "ins",
	"kbd", "mark", "q", "rp", "rt", "ruby", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr")
