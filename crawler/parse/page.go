package parse

import (
	"bytes"
	"net/url"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"

	"presswatch/internal/dates"
	"presswatch/internal/model"
)

// Page reads a listing page of a page source with its CSS selectors. The
// HTML must already be UTF-8 (the fetcher decodes it).
//
// Each element matching sel.Item is one item. Inside it, the first element
// matching sel.Link gives the link (its href; when sel.Link is empty, the
// item itself if it is a link, else its first <a href>); sel.Title gives
// the title (default: the link's text); sel.Date gives the date, read from a
// datetime or content attribute if there is one, else from the text with
// dates.First ("Posted by admin on January 12, 2012"). sel.Next, if set,
// gives the next (older) listing page. Links resolve against <base href>
// when the page has one, else against baseURL. The page's <html lang> is
// every item's language.
//
// It fails with model.ErrInvalidSelectors, naming the selector, when
// sel.Item is empty or matches nothing, or when sel.Link finds no http(s)
// link in any item; a title or date selector that matches nothing leaves
// the field empty. A selector that is not valid CSS matches nothing.
func Page(html []byte, baseURL string, sel model.Selectors) (*Listing, error) {
	if strings.TrimSpace(sel.Item) == "" {
		return nil, errorf(model.ErrInvalidSelectors, "page", baseURL, "item selector is empty")
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(html))
	if err != nil {
		return nil, errorf(model.ErrParse, "page", baseURL, "%v", err)
	}
	c := newCollector(baseURL, MaxItems)
	if href, ok := doc.Find("base[href]").First().Attr("href"); ok {
		if u, err := url.Parse(absURL(c.base, href)); err == nil && u.IsAbs() {
			c.base = u
		}
	}
	l := &Listing{
		Title: oneLine(doc.Find("title").First().Text()),
		Lang:  normLang(doc.Find("html").First().AttrOr("lang", "")),
	}
	c.lang = l.Lang
	items := doc.Find(sel.Item)
	if items.Length() == 0 {
		return nil, errorf(model.ErrInvalidSelectors, "page", baseURL, "item selector %q matched nothing", sel.Item)
	}
	items.EachWithBreak(func(_ int, s *goquery.Selection) bool {
		link := linkOf(s, sel.Link)
		href, _ := link.Attr("href")
		title := oneLine(link.Text())
		if sel.Title != "" {
			if t := oneLine(s.Find(sel.Title).First().Text()); t != "" {
				title = t
			}
		}
		var date time.Time
		if sel.Date != "" {
			date = dateOf(s.Find(sel.Date).First())
		}
		c.add(Item{Title: title, Published: date}, href)
		return !c.full()
	})
	if len(c.items) == 0 {
		return nil, errorf(model.ErrInvalidSelectors, "page", baseURL,
			"link selector %q found no http(s) link in the %d items of %q", sel.Link, items.Length(), sel.Item)
	}
	l.Items = c.items
	if sel.Next != "" {
		if next := absURL(c.base, doc.Find(sel.Next).First().AttrOr("href", "")); next != absURL(c.base, baseURL) {
			l.Next = next
		}
	}
	return l, nil
}

// linkOf finds the link element of one item.
func linkOf(item *goquery.Selection, sel string) *goquery.Selection {
	if sel != "" {
		return item.Find(sel).First()
	}
	if goquery.NodeName(item) == "a" {
		return item
	}
	return item.Find("a[href]").First()
}

// dateOf reads the date of one item from its date element: a machine
// date in datetime= or content= first, then the element's text.
func dateOf(s *goquery.Selection) time.Time {
	if s.Length() == 0 {
		return time.Time{}
	}
	for _, attr := range []string{"datetime", "content", "title"} {
		if v, ok := s.Attr(attr); ok {
			if t := valueDate(v); !t.IsZero() {
				return t
			}
		}
	}
	if t, ok := dates.First(oneLine(s.Text())); ok {
		return t
	}
	return time.Time{}
}
