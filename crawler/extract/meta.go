package extract

import (
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"

	"presswatch/internal/dates"
	"presswatch/internal/lang"
)

// pageMeta is what a page declares about itself in its markup.
type pageMeta struct {
	published   time.Time   // zero when nothing explicit was found
	shown       dates.Found // the date shown with the headline, if hasShown
	hasShown    bool
	lang        string // ISO 639-1, "" when undeclared
	canonical   string // rel=canonical or og:url, as written
	title       string
	author      string
	description string
}

// publishedMeta are <meta> names and properties (lower-cased) that carry
// the publication date, most trusted first. Later names are only read when
// the earlier ones and JSON-LD say nothing.
var publishedMeta = []string{
	"article:published_time", "og:article:published_time", "og:published_time",
	"datepublished", "article.published", "parsely-pub-date", "sailthru.date",
	"dc.date.issued", "dcterms.issued", "dc.date.created", "dcterms.created",
	"citation_publication_date", "citation_date", "pubdate", "publishdate",
	"publish-date", "publish_date", "publication_date", "published_time",
	"date", "dc.date", "dcterms.date",
}

// readMeta reads the explicit metadata of doc: JSON-LD, <meta>, itemprop
// microdata, <time datetime>, <html lang> and <link rel=canonical>.
func readMeta(root *html.Node) pageMeta {
	doc := goquery.NewDocumentFromNode(root)
	metas := metaTags(doc)
	ld := readJSONLD(doc)

	var m pageMeta
	m.published = explicitDate(doc, metas, ld)
	m.shown, m.hasShown = shownDate(root)
	m.lang = declaredLang(doc, metas)
	m.canonical = canonicalLink(doc, metas)
	m.title = firstOf(ld.headline, metas["og:title"], metas["twitter:title"],
		strings.TrimSpace(doc.Find("title").First().Text()))
	m.author = firstOf(ld.author, notURL(metas["author"]), notURL(metas["article:author"]), metas["dc.creator"])
	m.description = firstOf(ld.description, metas["description"], metas["og:description"])
	return m
}

// metaTags maps each lower-cased name, property, itemprop and http-equiv
// of a <meta> to the first non-empty content given for it.
func metaTags(doc *goquery.Document) map[string]string {
	m := map[string]string{}
	doc.Find("meta[content]").Each(func(_ int, s *goquery.Selection) {
		content := strings.TrimSpace(s.AttrOr("content", ""))
		if content == "" {
			return
		}
		for _, attr := range []string{"name", "property", "itemprop", "http-equiv"} {
			if key := strings.ToLower(strings.TrimSpace(s.AttrOr(attr, ""))); key != "" {
				if _, seen := m[key]; !seen {
					m[key] = content
				}
			}
		}
	})
	return m
}

// explicitDate returns the publication date the page states in markup
// meant for machines, or the zero time.
func explicitDate(doc *goquery.Document, metas map[string]string, ld jsonLD) time.Time {
	if t, ok := markupDate(ld.articlePublished); ok {
		return t
	}
	for _, key := range publishedMeta[:4] {
		if t, ok := markupDate(metas[key]); ok {
			return t
		}
	}
	// Microdata on any element: <time itemprop="datePublished" datetime>,
	// <span itemprop="datePublished" content>.
	var found time.Time
	doc.Find(`[itemprop~="datePublished"]`).EachWithBreak(func(_ int, s *goquery.Selection) bool {
		for _, attr := range []string{"datetime", "content"} {
			if t, ok := markupDate(s.AttrOr(attr, "")); ok {
				found = t
				return false
			}
		}
		return true
	})
	if !found.IsZero() {
		return found
	}
	if t, ok := markupDate(ld.otherPublished); ok {
		return t
	}
	for _, key := range publishedMeta[4:] {
		if t, ok := markupDate(metas[key]); ok {
			return t
		}
	}
	return timeElement(doc)
}

// markupDate reads a date written in markup (JSON-LD, <meta>, microdata,
// <time datetime>) with dates.Parse, keeping the offset it is written
// with. A slashed date whose order of day and month the numbers do not
// show (05/06/2012) is not trusted: ok is false, as for no date.
func markupDate(s string) (time.Time, bool) {
	t, err := dates.Parse(s)
	if err != nil {
		return time.Time{}, false
	}
	if strings.Contains(s, "/") {
		if fs := dates.Find(s); len(fs) > 0 && fs[0].Ambiguous && fs[0].Time.Equal(t) {
			return time.Time{}, false
		}
	}
	return t, true
}

// timeElement reads the <time datetime> that marks the publication: one
// with the pubdate attribute, else the first inside an <article> or a
// header, else the only one on the page.
func timeElement(doc *goquery.Document) time.Time {
	for _, sel := range []string{"time[pubdate][datetime]", "article time[datetime]", "header time[datetime]"} {
		if t, ok := markupDate(doc.Find(sel).First().AttrOr("datetime", "")); ok {
			return t
		}
	}
	if all := doc.Find("time[datetime]"); all.Length() == 1 {
		if t, ok := markupDate(all.AttrOr("datetime", "")); ok {
			return t
		}
	}
	return time.Time{}
}

// declaredLang returns the language the page declares: <html lang>, a
// Content-Language <meta>, og:locale, or a language <meta>.
func declaredLang(doc *goquery.Document, metas map[string]string) string {
	candidates := []string{
		doc.Find("html").First().AttrOr("lang", ""),
		doc.Find("html").First().AttrOr("xml:lang", ""),
		metas["content-language"], metas["og:locale"], metas["language"],
		metas["dc.language"],
	}
	for _, c := range candidates {
		if code := lang.Normalize(c); code != "" {
			return code
		}
	}
	return ""
}

// canonicalLink returns the href of <link rel="canonical">, else og:url.
func canonicalLink(doc *goquery.Document, metas map[string]string) string {
	href := ""
	doc.Find("link[rel][href]").EachWithBreak(func(_ int, s *goquery.Selection) bool {
		for _, rel := range strings.Fields(strings.ToLower(s.AttrOr("rel", ""))) {
			if rel == "canonical" {
				href = strings.TrimSpace(s.AttrOr("href", ""))
				return href == ""
			}
		}
		return true
	})
	return firstOf(href, metas["og:url"])
}

func firstOf(values ...string) string {
	for _, v := range values {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}

// notURL returns s unless it is a link (article:author often is).
func notURL(s string) string {
	if strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://") {
		return ""
	}
	return s
}
