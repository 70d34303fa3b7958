package safehtml

import (
	"bytes"
	"fmt"
	"html/template"
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"presswatch/internal/textenc"
)

// Result is a page made safe to show.
type Result struct {
	// HTML is the page's body, sanitised: a fragment to put inside the
	// web layer's own page, served under CSP.
	HTML template.HTML
	// Title is the text of the page's <title>, to be escaped as any text.
	Title string
	// Lang is the lang attribute of the page's <html>, if it is a
	// well-formed language tag, else "".
	Lang string
	// Charset is the encoding the body was read in ("windows-1251").
	Charset string
	// Warning is non-nil when the Content-Type named a charset presswatch
	// does not know (an error of kind model.ErrCharset); the body was then
	// read as if it had named none.
	Warning error
	// Dropped counts what the page had and the result has not.
	Dropped Dropped
}

// Dropped counts, in the whole page (head included), what Render left
// out. An element is counted once, under its own kind.
type Dropped struct {
	Scripts   int // <script> elements
	Handlers  int // on* event-handler attributes
	Frames    int // <iframe>, <frame>, <frameset>, <object>, <embed>, <applet>, <portal>
	Forms     int // <form> elements (their text is kept, their controls are not)
	Styles    int // <style> and <link> elements and style attributes
	Images    int // <img> elements (replaced by "[alt text]" where they have one)
	Media     int // <video> and <audio> (replaced by "[video]", "[audio]")
	Embedded  int // inline <svg>, <math>, <canvas> and <template>
	Meta      int // <base> and <meta http-equiv=refresh>
	Links     int // href of <a> and <area> that is not an http(s) link (javascript:, data:, mailto: ...)
	Resources int // requests the page asked for: src, srcset, poster, data and background attributes, <link href>, CSS url() and @import
}

// Total is the number of elements and attributes dropped, Resources
// aside (they are counted again under their element's kind).
func (d Dropped) Total() int {
	return d.Scripts + d.Handlers + d.Frames + d.Forms + d.Styles + d.Images + d.Media + d.Embedded + d.Meta + d.Links
}

// Render decodes body, the page as received, with the Content-Type
// header it came with, and returns it sanitised for display. pageURL is
// the page's address; links are made absolute against it (or against
// the page's <base href>, as the original page resolved them). A pageURL
// that is not an absolute http(s) URL leaves relative links out.
//
// The charset is found as the crawler found it (see fetch.DecodeHTML:
// byte-order mark, Content-Type charset, <meta>, then a guess among
// UTF-8, windows-1251, KOI8-R and windows-1252), so the text shown is the
// text that was indexed. Render fails only if the body cannot be decoded
// at all.
func Render(body []byte, contentType, pageURL string) (Result, error) {
	text, name, err := textenc.DecodeHTML(body, contentType)
	if text == nil && err != nil {
		return Result{}, fmt.Errorf("safehtml: render %s: %w", pageURL, err)
	}
	res := Result{Charset: name, Warning: err}
	doc, err := html.ParseWithOptions(bytes.NewReader(text), html.ParseOptionEnableScripting(false))
	if err != nil {
		return Result{}, fmt.Errorf("safehtml: render %s: parse: %w", pageURL, err)
	}
	base := baseURL(doc, pageURL)
	var buf bytes.Buffer
	for top := doc.FirstChild; top != nil; top = top.NextSibling {
		if top.Type != html.ElementNode || top.DataAtom != atom.Html {
			continue
		}
		if l := attr(top, "lang"); langTag.MatchString(l) {
			res.Lang = l
		}
		countAttrs(top, &res.Dropped)
		for part := top.FirstChild; part != nil; part = part.NextSibling {
			countAttrs(part, &res.Dropped)
			switch part.DataAtom {
			case atom.Head:
				res.Title = title(part)
				prepare(part, base, &res.Dropped)
			case atom.Body, atom.Frameset:
				prepare(part, base, &res.Dropped)
				for c := part.FirstChild; c != nil; c = c.NextSibling {
					if err := html.Render(&buf, c); err != nil {
						return Result{}, fmt.Errorf("safehtml: render %s: %w", pageURL, err)
					}
				}
			}
		}
	}
	res.HTML = template.HTML(policy.SanitizeBytes(buf.Bytes()))
	return res, nil
}

// baseURL is the URL the page's relative links were resolved against: its
// first <base href> if that is an http(s) URL, else pageURL; nil if
// neither is usable.
func baseURL(doc *html.Node, pageURL string) *url.URL {
	page, err := url.Parse(pageURL)
	if err != nil || (page.Scheme != "http" && page.Scheme != "https") || page.Host == "" {
		page = nil
	}
	var found *html.Node
	var find func(*html.Node)
	find = func(n *html.Node) {
		for c := n.FirstChild; c != nil && found == nil; c = c.NextSibling {
			if c.Type == html.ElementNode && c.DataAtom == atom.Base && hasAttr(c, "href") {
				found = c
				return
			}
			find(c)
		}
	}
	find(doc)
	if found != nil {
		if u, ok := absolute(attr(found, "href"), page); ok {
			return u
		}
	}
	return page
}

// absolute resolves a link as a browser would (tabs and line breaks
// inside removed, control characters and spaces around it trimmed) and
// returns it if it is an http(s) URL with a host. User names and
// passwords are removed.
func absolute(raw string, base *url.URL) (*url.URL, bool) {
	raw = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, raw)
	raw = strings.TrimFunc(raw, func(r rune) bool { return r <= ' ' })
	u, err := url.Parse(raw)
	if err != nil {
		return nil, false
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, false
	}
	u.User = nil
	return u, true
}

func title(head *html.Node) string {
	for c := head.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && c.DataAtom == atom.Title {
			var b strings.Builder
			for t := c.FirstChild; t != nil; t = t.NextSibling {
				if t.Type == html.TextNode {
					b.WriteString(t.Data)
				}
			}
			return strings.Join(strings.Fields(b.String()), " ")
		}
	}
	return ""
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return true
		}
	}
	return false
}
