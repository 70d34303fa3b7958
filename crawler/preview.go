package crawler

import (
	"context"
	"fmt"
	"time"

	"presswatch/crawler/fetch"
	"presswatch/crawler/parse"
	"presswatch/internal/model"
	"presswatch/internal/urlnorm"
)

// PreviewItems is how many of a listing's items a preview lists.
const PreviewItems = 20

// Preview is what one read of a source would collect, without storing
// anything: its listing's items, which of them are new, and the first
// new item as its page reads.
type Preview struct {
	URL   string // the listing's final URL, after redirects
	Title string // the listing's own title ("" for sitemaps)
	Items []PreviewItem
	Total int // items announced (Items holds at most PreviewItems)
	New   int // of those, the ones not stored yet for the source
	// Children is how many child sitemaps an index names; the preview
	// reads the first.
	Children int
	// Sample is the first new item, fetched and extracted; SampleErr why
	// it could not be read. Both empty when nothing is new.
	Sample    *model.Document
	SampleErr error
}

// PreviewItem is one announced item.
type PreviewItem struct {
	parse.Item
	Known bool // already stored for the source
}

// Preview reads src's listing once (the first page of a page source, the
// first child of a sitemap index) and its first new item, as Run would,
// through the same fetcher (robots.txt, address checks and caps apply;
// never the private addresses a source's allow_private opens), but
// records and stores nothing: the web UI's "test" of a source before
// it is saved. The error is the listing's; the sample's is in the
// Preview.
func (c *Crawler) Preview(ctx context.Context, src model.Source) (*Preview, error) {
	ctx, cancel := context.WithTimeout(ctx, min(c.opts.RunBudget, previewTimeout))
	defer cancel()
	get := func(u string) (*fetch.Response, error) { return c.opts.Fetcher.Get(ctx, previewRequest(u)) }
	resp, err := get(src.URL)
	if err != nil {
		return nil, err
	}
	p := &Preview{URL: resp.URL}
	var l *parse.Listing
	switch src.Type {
	case model.SourcePage:
		sel := model.Selectors{}
		if src.Selectors != nil {
			sel = *src.Selectors
		}
		html, _, _ := fetch.DecodeHTML(resp.Body, resp.Header.Get("Content-Type"))
		l, err = parse.Page(html, resp.URL, sel)
	case model.SourceSitemap:
		l, err = parse.Sitemap(resp.Body, resp.URL)
		if err == nil && len(l.Children) > 0 {
			p.Children = len(l.Children)
			if resp, err = get(l.Children[0]); err != nil {
				return nil, fmt.Errorf("crawler: %s: child sitemap: %w", src.ID, err)
			}
			l, err = parse.Sitemap(resp.Body, resp.URL)
		}
	case model.SourceFeed:
		l, err = parse.Feed(fetch.DecodeXML(resp.Body, resp.Header.Get("Content-Type")), resp.URL)
	default:
		return nil, fmt.Errorf("crawler: %s: a %s source is never fetched", src.ID, src.Type)
	}
	if err != nil {
		return nil, err
	}
	p.Title = l.Title
	fresh, err := c.unknown(ctx, src, l.Items)
	if err != nil {
		return nil, err
	}
	p.Total, p.New = len(l.Items), len(fresh)
	isNew := map[string]bool{}
	for _, it := range fresh {
		isNew[it.URL] = true
	}
	for _, it := range l.Items[:min(len(l.Items), PreviewItems)] {
		known := true
		if u, err := urlnorm.Canonical(it.URL); err == nil {
			known = !isNew[u]
		}
		p.Items = append(p.Items, PreviewItem{Item: it, Known: known})
	}
	if len(fresh) > 0 {
		p.Sample, p.SampleErr = c.sample(ctx, src, fresh[0])
	}
	return p, nil
}

// sample fetches and extracts one item as Run would, recording nothing.
func (c *Crawler) sample(ctx context.Context, src model.Source, it parse.Item) (*model.Document, error) {
	resp, err := c.opts.Fetcher.Get(ctx, previewRequest(it.URL))
	if err != nil {
		return nil, err
	}
	var st Stages
	res, err := c.extract(ctx, src.ID, resp.Body, resp.Header.Get("Content-Type"), resp.URL, &st)
	if err != nil {
		return nil, err
	}
	doc := &model.Document{URL: resp.URL, Title: res.Title, PageTitle: res.Title, Author: res.Author,
		Published: res.Published, DateSource: res.DateSource, Lang: res.Lang, Text: res.Text}
	merge(doc, src, it)
	return doc, nil
}

// previewTimeout bounds a preview, listing and sample together.
const previewTimeout = time.Minute

// previewRequest is a preview's request for u. It names no source: the
// source being tried is not saved, and an id the fetcher lets reach
// private addresses (a configured allow_private source) must not lend
// that to a URL typed in the web UI.
func previewRequest(u string) fetch.Request { return fetch.Request{URL: u} }
