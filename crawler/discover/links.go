package discover

import (
	"bytes"
	"net/url"
	"strings"

	"github.com/PuerkitoBio/goquery"

	"presswatch/crawler/fetch"
)

// feedTypes maps the link types that announce a feed to the feed's type.
var feedTypes = map[string]string{
	"application/rss+xml":   "rss",
	"application/atom+xml":  "atom",
	"application/feed+json": "json",
	"application/json":      "json",
}

// link is one feed a page announces.
type link struct {
	url, title, typ string
}

// alternates returns the feeds the <head> of the page in resp links to,
// in page order, without repeats, at most MaxCandidates.
func alternates(resp *fetch.Response) []link {
	body := resp.Body[:min(len(resp.Body), MaxHTMLBytes)]
	html, _, _ := fetch.DecodeHTML(body, resp.Header.Get("Content-Type")) // an unknown charset is read as sniffed
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(html))
	if err != nil {
		return nil
	}
	base, err := url.Parse(resp.URL)
	if err != nil {
		return nil
	}
	if href, ok := doc.Find("head base[href]").First().Attr("href"); ok {
		if b, ok := resolve(base, href); ok {
			base = b
		}
	}
	var links []link
	seen := map[string]bool{}
	doc.Find("head link[href]").EachWithBreak(func(_ int, s *goquery.Selection) bool {
		if !hasToken(s.AttrOr("rel", ""), "alternate") {
			return true
		}
		mt, _, _ := strings.Cut(strings.ToLower(s.AttrOr("type", "")), ";")
		typ, ok := feedTypes[strings.TrimSpace(mt)]
		if !ok {
			return true
		}
		u, ok := resolve(base, s.AttrOr("href", ""))
		if !ok || typ == "json" && strings.Contains(u.Path, "/wp-json") {
			return true
		}
		if abs := u.String(); !seen[abs] {
			seen[abs] = true
			links = append(links, link{url: abs, title: strings.Join(strings.Fields(s.AttrOr("title", "")), " "), typ: typ})
		}
		return len(links) < MaxCandidates
	})
	return links
}

// resolve makes ref absolute against base; only http(s) URLs with a host
// are kept, without their fragment.
func resolve(base *url.URL, ref string) (*url.URL, bool) {
	r, err := url.Parse(strings.TrimSpace(ref))
	if err != nil {
		return nil, false
	}
	u := base.ResolveReference(r)
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, false
	}
	u.Fragment, u.RawFragment = "", ""
	return u, true
}

// hasToken reports whether the space-separated list holds tok, in any case.
func hasToken(list, tok string) bool {
	for _, t := range strings.Fields(list) {
		if strings.EqualFold(t, tok) {
			return true
		}
	}
	return false
}
