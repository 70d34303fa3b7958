package opml

import (
	"encoding/xml"
	"fmt"
	"io"
)

// document is the OPML 2.0 file Write produces.
type document struct {
	XMLName xml.Name  `xml:"opml"`
	Version string    `xml:"version,attr"`
	Title   string    `xml:"head>title"`
	Body    []outline `xml:"body>outline"`
}

type outline struct {
	Text     string    `xml:"text,attr"`
	Title    string    `xml:"title,attr,omitempty"`
	Type     string    `xml:"type,attr,omitempty"`
	XMLURL   string    `xml:"xmlUrl,attr,omitempty"`
	HTMLURL  string    `xml:"htmlUrl,attr,omitempty"`
	Outlines []outline `xml:"outline"`
}

// Write writes feeds to w as an OPML 2.0 file titled title, in UTF-8.
// Feeds without a category come at the top level; the others go inside
// one outline per category, the categories in the order they first appear
// in feeds and the feeds of each in their order. Every feed is written as
// <outline type="rss" text=... title=... xmlUrl=... htmlUrl=...>, the form
// Miniflux and Feedly write and read.
//
// A feed whose FeedURL is not an absolute http(s) URL is an error naming
// it, and nothing is written. Errors from w are returned as they are.
func Write(w io.Writer, title string, feeds []Feed) error {
	doc := document{Version: "2.0", Title: title}
	at := map[string]int{} // category → index in doc.Body
	for i, f := range feeds {
		if !absHTTP(f.FeedURL) {
			return fmt.Errorf("opml: feed %d (%q): xmlUrl %q is not an absolute http(s) URL", i+1, f.Title, f.FeedURL)
		}
		o := outline{Text: f.Title, Title: f.Title, Type: "rss", XMLURL: f.FeedURL, HTMLURL: f.SiteURL}
		if f.Category == "" {
			doc.Body = append(doc.Body, o)
			continue
		}
		j, ok := at[f.Category]
		if !ok {
			j = len(doc.Body)
			at[f.Category] = j
			doc.Body = append(doc.Body, outline{Text: f.Category, Title: f.Category})
		}
		doc.Body[j].Outlines = append(doc.Body[j].Outlines, o)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
