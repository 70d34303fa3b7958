package crawler

import (
	"context"
	"fmt"
	"time"

	"presswatch/crawler/fetch"
	"presswatch/crawler/parse"
	"presswatch/internal/model"
)

// maxChildSitemaps bounds the child sitemaps of a sitemap index read in one run.
const maxChildSitemaps = 10

// listState is what reading a listing taught about the source: the new
// validators (saved only once the run succeeds), whether anything changed,
// and the fetch that brought the listing (the provenance of feed text).
type listState struct {
	state       model.SourceState
	NotModified bool
	status      int
	fetch       *model.Fetch
	stages      Stages
	dated       []datedListing // a date walk's listings read this run
}

// list reads the source's listing and returns its items.
func (c *Crawler) list(ctx context.Context, src model.Source, st *model.SourceState) ([]parse.Item, listState, error) {
	ls := listState{state: *st}
	switch src.Type {
	case model.SourcePage:
		items, err := c.walkPages(ctx, src, &ls)
		return items, ls, err
	case model.SourceSitemap:
		items, err := c.readSitemap(ctx, src, &ls)
		return items, ls, err
	default:
		resp, err := c.getListing(ctx, src, src.URL, true, &ls)
		if err != nil || resp == nil {
			return nil, ls, err
		}
		t := time.Now()
		l, err := parse.Feed(fetch.DecodeXML(resp.Body, resp.Header.Get("Content-Type")), resp.URL)
		since(&ls.stages.Parse, t)
		if err != nil {
			return nil, ls, err
		}
		return l.Items, ls, nil
	}
}

// getListing fetches one listing URL and records the fetch. With
// conditional set it sends the source's validators; a 304, or a body whose
// hash matches the last one, returns a nil response and sets NotModified.
func (c *Crawler) getListing(ctx context.Context, src model.Source, url string, conditional bool, ls *listState) (*fetch.Response, error) {
	req := fetch.Request{URL: url, SourceID: src.ID}
	if conditional {
		req.ETag, req.LastModified = ls.state.ETag, ls.state.LastModified
	}
	t := time.Now()
	resp, err := c.opts.Fetcher.Get(ctx, req)
	ls.stages.fetched(t, resp.Fetch.Duration)
	f := &resp.Fetch
	unchanged := err == nil && (resp.NotModified || (conditional && f.SHA256 == ls.state.BodyHash && f.SHA256 != ""))
	f.NotChanged = unchanged
	if conditional {
		ls.status = resp.Status
	}
	t = time.Now()
	if _, rerr := c.opts.State.RecordFetch(ctx, f); rerr != nil {
		err = storeErr(rerr)
	}
	since(&ls.stages.Store, t)
	ls.fetch = f
	if err != nil {
		return nil, err
	}
	if conditional {
		ls.state.ETag, ls.state.LastModified = resp.ETag, resp.LastModified
		if !resp.NotModified {
			ls.state.BodyHash = f.SHA256
		}
	}
	if unchanged {
		ls.NotModified = true
		return nil, nil
	}
	return resp, nil
}

// walkPages reads a listing page and follows its "next" link back in time,
// up to the source's page limit, stopping early at a page that announces
// nothing new: older pages were read on an earlier run. A page source with
// a URL template walks its dated archive instead (see walkDates).
func (c *Crawler) walkPages(ctx context.Context, src model.Source, ls *listState) ([]parse.Item, error) {
	if src.Dates != nil && src.Dates.URLTemplate != "" {
		return c.walkDates(ctx, src, ls)
	}
	items, _, _, err := c.walkListing(ctx, src, src.URL, true, false, ls)
	return items, err
}

// walkListing walks one listing from url as walkPages does, conditional
// on the source's validators when conditional is set. It returns the
// items, how many of them are new, and the fetch of the first page. A
// walk stops at the first page with nothing new, unless whole is set: a
// dated listing read again because items of it were left must reach the
// pages that hold them.
func (c *Crawler) walkListing(ctx context.Context, src model.Source, url string, conditional, whole bool, ls *listState) ([]parse.Item, int, *model.Fetch, error) {
	sel := model.Selectors{}
	if src.Selectors != nil {
		sel = *src.Selectors
	}
	var all []parse.Item
	var first *model.Fetch
	seen := map[string]bool{}
	nfresh := 0
	for page := 0; url != "" && page < max(sel.MaxPages, 1) && !seen[url]; page++ {
		seen[url] = true
		resp, err := c.getListing(ctx, src, url, conditional && page == 0, ls)
		if page == 0 {
			first = ls.fetch
		}
		if err != nil && page > 0 {
			// An older page that cannot be read ends the walk, not the run.
			c.opts.Log.Warn("older listing page unreadable", "source", src.ID, "url", url, "error", err)
			break
		}
		if err != nil || resp == nil {
			return all, nfresh, first, err
		}
		html, _, err := fetch.DecodeHTML(resp.Body, resp.Header.Get("Content-Type"))
		if err != nil {
			c.opts.Log.Warn("listing charset", "url", resp.URL, "error", err) // read without it
		}
		t := time.Now()
		l, err := parse.Page(html, resp.URL, sel)
		since(&ls.stages.Parse, t)
		if err != nil {
			if page > 0 {
				break // an older page in another layout ends the walk, not the run
			}
			return nil, 0, first, err
		}
		t = time.Now()
		fresh, err := c.unknown(ctx, src, l.Items)
		since(&ls.stages.Store, t)
		if err != nil {
			return nil, 0, first, err
		}
		all = append(all, l.Items...)
		nfresh += len(fresh)
		if len(fresh) == 0 && !whole {
			break
		}
		url = l.Next
	}
	return all, nfresh, first, nil
}

// readSitemap reads a sitemap, or a sitemap index and up to
// maxChildSitemaps of its children. A source with a date range keeps only
// the URLs and children that may fall in it (see parse.SitemapInRange).
func (c *Crawler) readSitemap(ctx context.Context, src model.Source, ls *listState) ([]parse.Item, error) {
	resp, err := c.getListing(ctx, src, src.URL, true, ls)
	if err != nil || resp == nil {
		return nil, err
	}
	t := time.Now()
	l, err := parse.Sitemap(resp.Body, resp.URL)
	since(&ls.stages.Parse, t)
	if err != nil {
		return nil, err
	}
	if src.Dates != nil {
		parse.SitemapInRange(l, *src.Dates, c.opts.Now())
	}
	items := l.Items
	for i, child := range l.Children {
		if i == maxChildSitemaps {
			c.opts.Log.Info("sitemap index has more children than one run reads", "source", src.ID,
				"children", len(l.Children), "read", maxChildSitemaps)
			break
		}
		resp, err := c.getListing(ctx, src, child, false, ls)
		if err != nil {
			return nil, fmt.Errorf("crawler: %s: child sitemap: %w", src.ID, err)
		}
		t := time.Now()
		cl, err := parse.Sitemap(resp.Body, resp.URL)
		since(&ls.stages.Parse, t)
		if err != nil {
			return nil, err
		}
		if src.Dates != nil {
			parse.SitemapInRange(cl, *src.Dates, c.opts.Now())
		}
		items = append(items, cl.Items...)
	}
	return items, nil
}
