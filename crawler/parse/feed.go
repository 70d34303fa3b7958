package parse

import (
	"bytes"
	"errors"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"

	"presswatch/internal/dates"
	"presswatch/internal/model"
)

// Feed parses an RSS 0.9x/1.0/2.0, Atom 0.3/1.0 or JSON Feed body fetched
// from baseURL. Pass the raw bytes: the encoding named in the XML
// declaration (windows-1251, KOI8-R, ...) is decoded here.
//
// Items keep the feed's order. An item's link is its <link> (or its first
// alternate link), else its GUID when that is an http(s) URL; items with
// neither are skipped. Titles, summaries and content come back as plain
// text. Published is the item's published date, else its updated date.
//
// A body that is not a feed at all (an HTML error page, a sitemap, a JSON
// API answer) yields model.ErrNotFeed; a feed that cannot be read yields
// model.ErrParse.
func Feed(body []byte, baseURL string) (l *Listing, err error) {
	// gofeed is outside code fed with outside input: a panic in it must
	// cost one source one run, not the crawler.
	defer func() {
		if r := recover(); r != nil {
			l, err = nil, errorf(model.ErrParse, "feed", baseURL, "feed parser failed: %v", r)
		}
	}()
	f, err := gofeed.NewParser().Parse(bytes.NewReader(body))
	if errors.Is(err, gofeed.ErrFeedTypeNotDetected) {
		return nil, errorf(model.ErrNotFeed, "feed", baseURL, "not a feed: %s", whyNotFeed(body))
	}
	if err != nil {
		return nil, errorf(model.ErrParse, "feed", baseURL, "%s", oneLine(err.Error()))
	}
	if f.FeedType == "json" && f.FeedVersion == "" && len(f.Items) == 0 {
		return nil, errorf(model.ErrNotFeed, "feed", baseURL, "not a feed: JSON but not a JSON Feed")
	}
	return fromGofeed(f, baseURL), nil
}

func fromGofeed(f *gofeed.Feed, baseURL string) *Listing {
	l := &Listing{Title: plainLine(f.Title), Lang: normLang(f.Language)}
	if l.Lang == "" && f.DublinCoreExt != nil {
		l.Lang = firstLang(f.DublinCoreExt.Language)
	}
	c := newCollector(baseURL, MaxItems)
	c.lang = l.Lang
	for _, fi := range f.Items {
		if fi == nil {
			continue
		}
		if c.full() {
			break
		}
		it := Item{
			Title:     plainLine(fi.Title),
			Author:    author(fi),
			Published: published(fi),
			Summary:   plainText(fi.Description),
			Content:   plainText(fi.Content),
			GUID:      strings.TrimSpace(fi.GUID),
		}
		if fi.DublinCoreExt != nil {
			it.Lang = firstLang(fi.DublinCoreExt.Language)
		}
		c.add(it, itemLinks(fi)...)
	}
	l.Items = c.items
	return l
}

// itemLinks lists the candidate links of an item, best first.
func itemLinks(fi *gofeed.Item) []string {
	links := make([]string, 0, 2+len(fi.Links))
	links = append(links, fi.Link)
	links = append(links, fi.Links...)
	if g := strings.TrimSpace(fi.GUID); strings.HasPrefix(g, "http://") || strings.HasPrefix(g, "https://") {
		links = append(links, g)
	}
	return links
}

func author(fi *gofeed.Item) string {
	for _, p := range fi.Authors {
		if p == nil {
			continue
		}
		if name := plainLine(p.Name); name != "" {
			return name
		}
		if email := plainLine(p.Email); email != "" {
			return email
		}
	}
	if fi.DublinCoreExt != nil {
		for _, c := range fi.DublinCoreExt.Creator {
			if name := plainLine(c); name != "" {
				return name
			}
		}
	}
	return ""
}

// published is the item's published date, else its updated date, in the
// offset the feed wrote: gofeed gives the instant in UTC, and the
// publisher's day ("16 Dec 2011 03:00 +0600", still 15 December in UTC) is
// what users search by.
func published(fi *gofeed.Item) time.Time {
	for _, d := range []struct {
		parsed *time.Time
		raw    string
	}{{fi.PublishedParsed, fi.Published}, {fi.UpdatedParsed, fi.Updated}} {
		if d.parsed != nil && !d.parsed.IsZero() {
			return inOwnOffset(*d.parsed, d.raw)
		}
	}
	return time.Time{}
}

// inOwnOffset returns t in the offset written in raw, when raw names the
// same instant with a numeric offset; else t as it is.
func inOwnOffset(t time.Time, raw string) time.Time {
	if own, err := dates.Parse(raw); err == nil && own.Equal(t) {
		return own
	}
	return t
}

func firstLang(langs []string) string {
	for _, s := range langs {
		if l := normLang(s); l != "" {
			return l
		}
	}
	return ""
}
