package parse

import (
	"bytes"
	"encoding/xml"
	"strings"

	"golang.org/x/net/html"
)

// blockTags end a line when they open or close.
var blockTags = map[string]bool{
	"address": true, "article": true, "aside": true, "blockquote": true, "br": true,
	"dd": true, "div": true, "dl": true, "dt": true, "figcaption": true, "figure": true,
	"footer": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"header": true, "hr": true, "li": true, "ol": true, "p": true, "pre": true,
	"section": true, "table": true, "td": true, "th": true, "tr": true, "ul": true,
}

// skipTags hold no readable text.
var skipTags = map[string]bool{"script": true, "style": true, "noscript": true, "template": true}

// plainText turns an HTML fragment (or plain text with entities) into
// text: tags stripped, entities decoded, one line per block, runs of
// spaces collapsed.
func plainText(s string) string {
	if !strings.ContainsAny(s, "<&") {
		return tidyLines(s)
	}
	var b strings.Builder
	z := html.NewTokenizer(strings.NewReader(s))
	skip := 0
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return tidyLines(b.String())
		case html.TextToken:
			if skip == 0 {
				b.Write(z.Text())
			}
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			if skipTags[string(name)] {
				if tt == html.StartTagToken {
					skip++
				} else if tt == html.EndTagToken && skip > 0 {
					skip--
				}
			}
			if blockTags[string(name)] {
				b.WriteByte('\n')
			}
		}
	}
}

// tidyLines collapses spaces inside lines and drops empty lines.
func tidyLines(s string) string {
	lines := strings.Split(s, "\n")
	out := lines[:0]
	for _, l := range lines {
		if l = oneLine(l); l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// oneLine collapses all white space, line breaks included, to single spaces.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// plainLine is plainText on one line, for titles and names.
func plainLine(s string) string {
	return oneLine(plainText(s))
}

// trimBOM drops leading white space and byte order marks.
func trimBOM(b []byte) []byte {
	for len(b) > 0 {
		switch {
		case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
			b = b[3:]
		case b[0] == ' ' || b[0] == '\t' || b[0] == '\r' || b[0] == '\n' || b[0] == 0 || b[0] == 0xFE || b[0] == 0xFF:
			b = b[1:]
		default:
			return b
		}
	}
	return b
}

// looksHTML reports whether a body is an HTML page (an error page, a
// login wall, a site's home page) rather than a feed or a sitemap.
func looksHTML(body []byte) bool {
	head := trimBOM(body)
	if len(head) > 1024 {
		head = head[:1024]
	}
	lower := bytes.ToLower(head)
	if bytes.HasPrefix(lower, []byte("<!doctype html")) || bytes.HasPrefix(lower, []byte("<html")) {
		return true
	}
	for _, tag := range []string{"<html", "<head>", "<body", "<title>", "<meta "} {
		if bytes.Contains(lower, []byte(tag)) {
			return true
		}
	}
	return false
}

// xmlRoot returns the local name of the first element of an XML body,
// or "" if none is found in the first few kilobytes.
func xmlRoot(body []byte) string {
	if len(body) > 8192 {
		body = body[:8192]
	}
	d := xml.NewDecoder(bytes.NewReader(body))
	d.Strict = false
	d.CharsetReader = charsetReader
	for i := 0; i < 200; i++ {
		tok, err := d.RawToken()
		if err != nil {
			return ""
		}
		if se, ok := tok.(xml.StartElement); ok {
			return se.Name.Local
		}
	}
	return ""
}

// whyNotFeed names, in words, what a body that is not a feed looks like.
func whyNotFeed(body []byte) string {
	t := trimBOM(body)
	switch {
	case len(t) == 0:
		return "empty body"
	case looksHTML(t):
		return "looks like an HTML page"
	case t[0] == '<':
		if root := xmlRoot(t); root != "" {
			return "XML root element <" + root + "> is not RSS, RDF or Atom"
		}
		return "no XML root element"
	case t[0] == '{':
		return "JSON but not a JSON Feed"
	default:
		return "neither XML nor JSON"
	}
}
