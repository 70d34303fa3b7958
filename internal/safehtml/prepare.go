package safehtml

import (
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// prepare rewrites the subtree under n for the policy and counts what
// will be dropped: it does what bluemonday cannot (resolving links,
// turning images into their alt text, unwrapping <noscript>) and removes
// foreign content (SVG, MathML) that bluemonday's tokenizer would not
// parse as a browser does. The policy then removes the rest.
func prepare(n *html.Node, base *url.URL, d *Dropped) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		if c.Type == html.ElementNode {
			next = prepareElement(c, base, d)
		}
		c = next
	}
}

// prepareElement handles one element and its subtree and returns the
// node to go on with.
func prepareElement(c *html.Node, base *url.URL, d *Dropped) *html.Node {
	next := c.NextSibling
	countAttrs(c, d)
	if c.Namespace != "" { // <svg>, <math> and what they hold
		d.Embedded++
		c.Parent.RemoveChild(c)
		return next
	}
	switch c.DataAtom {
	case atom.Script:
		d.Scripts++
	case atom.Style:
		d.Styles++
		d.Resources += cssRequests(textOf(c))
	case atom.Link:
		d.Styles++
		if hasAttr(c, "href") {
			d.Resources++
		}
	case atom.Iframe, atom.Frame, atom.Frameset, atom.Object, atom.Embed, atom.Applet:
		d.Frames++
	case atom.Form:
		d.Forms++
	case atom.Canvas, atom.Template:
		d.Embedded++
	case atom.Base:
		d.Meta++
	case atom.Meta:
		if strings.EqualFold(strings.TrimSpace(attr(c, "http-equiv")), "refresh") {
			d.Meta++
		}
	case atom.Noscript:
		// Scripts never run here: show what a browser without them shows.
		return unwrap(c)
	case atom.Img:
		d.Images++
		return replace(c, bracketed(attr(c, "alt")))
	case atom.Video, atom.Audio:
		d.Media++
		prepare(c, base, d) // count what it holds
		return replace(c, "["+c.Data+"]")
	case atom.A, atom.Area:
		link(c, base, d)
	}
	if c.Data == "portal" {
		d.Frames++
	}
	prepare(c, base, d)
	return next
}

// countAttrs counts the event handlers, styles and resource attributes
// of n.
func countAttrs(n *html.Node, d *Dropped) {
	for _, a := range n.Attr {
		k := strings.ToLower(a.Key)
		switch {
		case strings.HasPrefix(k, "on"):
			d.Handlers++
		case k == "style":
			d.Styles++
			d.Resources += cssRequests(a.Val)
		case k == "src", k == "srcset", k == "poster", k == "background", k == "data" && n.DataAtom == atom.Object:
			d.Resources++
		}
	}
}

// cssRequests counts the url() and @import in a style sheet or style
// attribute.
func cssRequests(css string) int {
	css = strings.ToLower(css)
	return strings.Count(css, "url(") + strings.Count(css, "@import")
}

// link keeps an <a> or <area> href only as an absolute http(s) URL, with
// rel="nofollow noopener noreferrer".
func link(n *html.Node, base *url.URL, d *Dropped) {
	var attrs []html.Attribute
	for _, a := range n.Attr {
		if a.Namespace != "" || a.Key == "rel" {
			continue
		}
		if a.Key == "href" {
			u, ok := absolute(a.Val, base)
			if !ok {
				d.Links++
				continue
			}
			a.Val = u.String()
			attrs = append(attrs, a, html.Attribute{Key: "rel", Val: linkRel})
			continue
		}
		attrs = append(attrs, a)
	}
	n.Attr = attrs
}

// unwrap replaces n by its children and returns the first of them (or
// what followed n), so that they are prepared in turn.
func unwrap(n *html.Node) *html.Node {
	first := n.FirstChild
	for c := n.FirstChild; c != nil; c = n.FirstChild {
		n.RemoveChild(c)
		n.Parent.InsertBefore(c, n)
	}
	next := n.NextSibling
	n.Parent.RemoveChild(n)
	if first != nil {
		return first
	}
	return next
}

// replace replaces n by a text node holding text (nothing if text is
// empty) and returns what followed n.
func replace(n *html.Node, text string) *html.Node {
	next := n.NextSibling
	if text != "" {
		n.Parent.InsertBefore(&html.Node{Type: html.TextNode, Data: text}, n)
	}
	n.Parent.RemoveChild(n)
	return next
}

func bracketed(alt string) string {
	alt = strings.Join(strings.Fields(alt), " ")
	if alt == "" {
		return ""
	}
	return "[" + alt + "]"
}

func textOf(n *html.Node) string {
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
	}
	return b.String()
}
