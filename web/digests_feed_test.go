package web

import (
	"encoding/xml"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// The hostile markup the digest is built from (hostileTitle and
// hostileBody, an article's) and a staff note holding the same: each is
// characters on the page, in the mail, in the feed and in Markdown.
const hostileNote = `</textarea><script>alert(2)</script><img src=x onerror=alert(2)>`

// assertDigestInert parses doc as HTML and fails on anything that runs or
// loads: a script, style, img, iframe, object, embed, form-less base or
// meta refresh element, an on* attribute, a javascript: URL. It also
// fails unless the hostile title is there, as text.
func assertDigestInert(t *testing.T, what, doc string) {
	t.Helper()
	assertInert(t, doc) // article_test.go's, on the bytes
	root, err := html.Parse(strings.NewReader(doc))
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	var text strings.Builder
	walkHTML(root, func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			text.WriteString(n.Data)
		case html.ElementNode:
			switch n.Data {
			case "script", "style", "img", "iframe", "object", "embed", "base", "svg", "math":
				t.Errorf("%s holds a <%s> element", what, n.Data)
			case "meta":
				if strings.EqualFold(htmlAttr(n, "http-equiv"), "refresh") {
					t.Errorf("%s holds a meta refresh", what)
				}
			}
			for _, a := range n.Attr {
				v := strings.ToLower(strings.TrimSpace(a.Val))
				if strings.HasPrefix(strings.ToLower(a.Key), "on") || strings.HasPrefix(v, "javascript:") {
					t.Errorf("%s: <%s %s=%q>", what, n.Data, a.Key, a.Val)
				}
			}
		}
	})
	if !strings.Contains(text.String(), `<script>alert(1)</script> "><img src=x onerror=alert(1)>`) {
		t.Errorf("%s does not show the hostile title as text", what)
	}
}

// hostileFixture has the day's digest with a hostile staff note on top
// and on the hostile story.
func hostileFixture(t *testing.T) *digestsFixture {
	f := newDigestsFixture(t, true)
	f.make(t)
	built := f.rowDigest(t)
	story := strconv.FormatInt(f.storyOf(t, built, "a3"), 10)
	res, body := f.post(t, digestPage, editForm(built, func(v url.Values, _ map[int64]int) {
		v.Set("note", hostileNote)
		v.Set("note-"+story, hostileNote)
	}))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d %.300s", res.StatusCode, body)
	}
	return f
}

func TestDigestHostileMarkupIsInert(t *testing.T) {
	f := hostileFixture(t)
	for _, path := range []string{digestPage, "/digests"} {
		res, body := f.get(t, path)
		if res.StatusCode != 200 {
			t.Fatalf("%s: %d", path, res.StatusCode)
		}
		if strings.Contains(body, "<script>") || strings.Contains(body, "<img") {
			t.Errorf("%s holds raw hostile markup", path)
		}
	}
	_, page := f.get(t, digestPage)
	assertDigestInert(t, "the digest's page", page)
	if !strings.Contains(page, "&lt;/textarea&gt;&lt;script&gt;alert(2)") {
		t.Error("the page does not show the hostile note as text in its textarea")
	}

	res, mailHTML := f.get(t, digestPage+"/mail.html")
	if csp := res.Header.Get("Content-Security-Policy"); csp != "sandbox; default-src 'none'; style-src 'unsafe-inline'" {
		t.Errorf("mail.html: Content-Security-Policy %q", csp)
	}
	assertDigestInert(t, "mail.html", mailHTML)
	if strings.Contains(mailHTML, "<script") || strings.Contains(mailHTML, "<img") || !strings.Contains(mailHTML, "&lt;script&gt;alert(2)") {
		t.Errorf("mail.html: %s", mailHTML)
	}

	_, md := f.get(t, digestPage+".md")
	if strings.Contains(md, "<script") || strings.Contains(md, "<img") || strings.Contains(md, "](javascript") ||
		!strings.Contains(md, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Errorf(".md lets markup through:\n%s", md)
	}
}

// atomDoc is what a feed reader reads of the digests' feed.
type atomDoc struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string   `xml:"id"`
	Title   string   `xml:"title"`
	Entries []struct {
		ID      string `xml:"id"`
		Title   string `xml:"title"`
		Updated string `xml:"updated"`
		Link    struct {
			Href string `xml:"href,attr"`
		} `xml:"link"`
		Content struct {
			Type string `xml:"type,attr"`
			Body string `xml:",chardata"`
		} `xml:"content"`
	} `xml:"entry"`
}

func (f *digestsFixture) feed(t *testing.T) (atomDoc, string) {
	t.Helper()
	res, body := f.get(t, "/digests/zh.atom")
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/atom+xml") {
		t.Fatalf("/digests/zh.atom: %d %s %.300s", res.StatusCode, res.Header.Get("Content-Type"), body)
	}
	var doc atomDoc
	if err := xml.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatalf("/digests/zh.atom: %v\n%s", err, body)
	}
	return doc, body
}

func TestDigestAtomFeed(t *testing.T) {
	f := hostileFixture(t)
	doc, raw := f.feed(t)
	if doc.ID != "tag:presswatch,2024:digests/zh" || doc.Title != "Zhanaozen: digests" || len(doc.Entries) != 1 {
		t.Fatalf("feed %q %q with %d entries", doc.ID, doc.Title, len(doc.Entries))
	}
	e := doc.Entries[0]
	if e.ID != "tag:presswatch,2024:digest/zh/2011-12-16" || !strings.HasSuffix(e.Link.Href, digestPage) ||
		!strings.Contains(e.Title, "Zhanaozen: digest of 16 December 2011") {
		t.Errorf("entry %q %q %q", e.ID, e.Link.Href, e.Title)
	}
	// The content is HTML escaped once: its markup is the mail's, the
	// hostile text inside it escaped again.
	if e.Content.Type != "html" || !strings.Contains(e.Content.Body, "<table") || strings.Contains(e.Content.Body, "<head") {
		t.Errorf("content type %q: %.300s", e.Content.Type, e.Content.Body)
	}
	if !strings.Contains(e.Content.Body, "&lt;script&gt;alert(1)&lt;/script&gt;") || strings.Contains(e.Content.Body, "<script") {
		t.Errorf("the content does not escape the hostile title: %s", e.Content.Body)
	}
	assertDigestInert(t, "the feed's content", e.Content.Body)
	if strings.Contains(raw, "<script") || strings.Contains(raw, "<img") || strings.Contains(raw, "<table") {
		t.Error("the feed holds markup as XML instead of escaped text")
	}

	// A rebuild updates the entry instead of adding one.
	f.put(t, "a5", "azattyq", "Zhanaozen: curfew declared", "A curfew was declared.", "20:00", "")
	f.make(t)
	again, _ := f.feed(t)
	if len(again.Entries) != 1 || again.Entries[0].ID != e.ID || !strings.Contains(again.Entries[0].Content.Body, "curfew declared") {
		t.Errorf("after a rebuild: %d entries, id %q", len(again.Entries), again.Entries[0].ID)
	}
	if _, page := f.get(t, digestPage); !strings.Contains(page, `<link rel="alternate" type="application/atom+xml" href="/digests/zh.atom"`) {
		t.Error("the digest's page does not link its topic's feed")
	}
}
