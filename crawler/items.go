package crawler

import (
	"context"
	"net/url"
	"strings"
	"sync"
	"time"

	"presswatch/crawler/extract"
	"presswatch/crawler/fetch"
	"presswatch/crawler/parse"
	"presswatch/internal/model"
	"presswatch/internal/urlnorm"
)

// minFeedText is the shortest feed text stored in place of a page that
// could not be read: a teaser of a line or two is not an article.
const minFeedText = 200

// unknown returns the items whose canonical URL the sink does not hold
// for src, with URL replaced by the canonical form, in listing order.
func (c *Crawler) unknown(ctx context.Context, src model.Source, items []parse.Item) ([]parse.Item, error) {
	urls := make([]string, 0, len(items))
	out := make([]parse.Item, 0, len(items))
	dup := map[string]bool{}
	for _, it := range items {
		u, err := urlnorm.Canonical(it.URL)
		if err != nil || dup[u] {
			continue
		}
		dup[u] = true
		it.URL = u
		urls = append(urls, u)
		out = append(out, it)
	}
	known, err := c.opts.Sink.Known(ctx, src, urls)
	if err != nil {
		return nil, storeErr(err)
	}
	fresh := out[:0]
	for _, it := range out {
		if !known[it.URL] {
			fresh = append(fresh, it)
		}
	}
	return fresh, nil
}

// items fetches, extracts and hands over every new item, at most MaxItems.
// It reports whether every new item was handled: none left for a later
// run, none failed.
//
// An item another run is reading at the same moment (a feed and a sitemap
// of one site announce the same article) is not fetched twice: this run
// waits for the other to finish with it, then asks the sink again, since
// the other run may have failed or skipped it as off-topic for its source.
func (c *Crawler) items(ctx context.Context, src model.Source, items []parse.Item, listing *model.Fetch, rep *Report) (bool, error) {
	t := time.Now()
	fresh, err := c.unknown(ctx, src, items)
	since(&rep.Stages.Store, t)
	if err != nil {
		return false, err
	}
	complete := true
	if len(fresh) > c.opts.MaxItems {
		complete = false
		c.opts.Log.Info("more new items than one run fetches; the rest come next run", "source", src.ID,
			"new", len(fresh), "fetched", c.opts.MaxItems)
		fresh = fresh[:c.opts.MaxItems]
	}
	for pass := 0; len(fresh) > 0 && ctx.Err() == nil; pass++ {
		mine, theirs, wait := c.claim(fresh)
		retry, fault := c.fetchAll(ctx, src, mine, listing, rep)
		if retry > 0 {
			complete = false
		}
		c.release(mine)
		if fault != nil {
			return false, fault
		}
		if len(theirs) == 0 {
			break
		}
		if pass == 1 { // still busy elsewhere after a wait: next run
			complete = false
			break
		}
		for _, done := range wait {
			select {
			case <-done:
			case <-ctx.Done():
			}
		}
		if fresh, err = c.unknown(ctx, src, theirs); err != nil {
			return false, err
		}
	}
	return complete, ctx.Err()
}

// fetchAll reads the items with ItemWorkers workers and returns how many
// failed in a way worth trying again (not a robots.txt refusal). The
// first of presswatch's own failures (see ownFault) stops it: the items
// not done are left for the next run, and the failure is returned.
func (c *Crawler) fetchAll(ctx context.Context, src model.Source, items []parse.Item, listing *model.Fetch, rep *Report) (retry int, fault error) {
	var (
		mu   sync.Mutex
		wg   sync.WaitGroup
		work = make(chan parse.Item)
	)
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	for range min(c.opts.ItemWorkers, len(items)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var st Stages
			defer func() {
				mu.Lock()
				rep.Stages.Add(st)
				mu.Unlock()
			}()
			for it := range work {
				outcome, itemErr, err := c.item(ctx, src, it, listing, &st)
				ours := ownFault(err)
				mu.Lock()
				switch {
				case ours:
					rep.Left++ // not the item's fault: read next run
					if fault == nil {
						fault = err
					}
				case err != nil && ctx.Err() != nil:
					rep.Left++ // cut off by the run's end, not the item's fault
				default:
					count(rep, outcome, err)
				}
				if err != nil && kindOf(err) != model.ErrRobots {
					retry++
				}
				mu.Unlock()
				switch {
				case ours:
					stop() // every item after it would fail alike
				case ctx.Err() != nil:
				case itemErr:
					// The page's fault: retried a few times, then left alone.
					c.opts.Log.Warn("item failed", "source", src.ID, "url", it.URL, "error", err)
					if ferr := c.opts.Sink.Failed(ctx, src, it.URL, kindOf(err)); ferr != nil {
						c.opts.Log.Error("recording a failed item failed", "url", it.URL, "error", ferr)
					}
				case err != nil:
					// Ours (the store, a topic query): the item is not
					// charged with it and is read again next run.
					c.opts.Log.Error("storing an item failed", "source", src.ID, "url", it.URL, "error", err)
				}
			}
		}()
	}
	sent := 0
feed:
	for _, it := range items {
		select {
		case work <- it:
			sent++
		case <-ctx.Done():
			break feed
		}
	}
	close(work)
	wg.Wait()
	rep.Left += len(items) - sent
	return retry, fault
}

// claim splits items into those this run may read (now marked as being
// read; release them when done) and those another run is reading, with
// channels closed when that run releases them.
func (c *Crawler) claim(items []parse.Item) (mine, theirs []parse.Item, wait []chan struct{}) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, it := range items {
		if done, busy := c.inflight[it.URL]; busy {
			theirs = append(theirs, it)
			wait = append(wait, done)
			continue
		}
		c.inflight[it.URL] = make(chan struct{})
		mine = append(mine, it)
	}
	return mine, theirs, wait
}

func (c *Crawler) release(items []parse.Item) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, it := range items {
		close(c.inflight[it.URL])
		delete(c.inflight, it.URL)
	}
}

func count(rep *Report, o model.Outcome, err error) {
	switch {
	case err != nil:
		rep.Failed++
		if kindOf(err) == model.ErrRobots {
			rep.Disallowed++
		} else {
			rep.LastFailure = err
		}
	case o == model.OutcomeNew:
		rep.New++
	case o == model.OutcomeUpdated:
		rep.Updated++
	case o == model.OutcomeUnchanged:
		rep.Unchanged++
	case o == model.OutcomeSkipped:
		rep.Skipped++
	}
}

// item reads one announced article. When its page cannot be read or
// yields no text, a feed that carries the article's text (not a teaser)
// stands in, with the listing's fetch as its provenance. itemErr says
// whether a failure was the page's (fetch, extraction) rather than ours.
func (c *Crawler) item(ctx context.Context, src model.Source, it parse.Item, listing *model.Fetch, st *Stages) (o model.Outcome, itemErr bool, err error) {
	doc, err := c.page(ctx, src, it, st)
	if k := kindOf(err); k == model.ErrArchive || k == model.ErrStore {
		return 0, false, err // ours: nothing is stored, and the item is read again next run
	}
	if err != nil {
		text := it.Content
		if len(it.Summary) > len(text) {
			text = it.Summary
		}
		if len(text) < minFeedText || ctx.Err() != nil {
			return 0, true, err
		}
		c.opts.Log.Info("page unreadable; storing the feed's text until the page is read", "url", it.URL, "error", err)
		doc = &model.Document{URL: it.URL, Text: text, Fetch: listing, Partial: true}
	}
	doc.SourceID, doc.ItemURL, doc.Provenance = src.ID, it.URL, model.ProvenanceCrawl
	merge(doc, src, it)
	defer since(&st.Store, time.Now())
	o, _, err = c.opts.Sink.Put(ctx, src, doc)
	return o, false, err
}

// page fetches and extracts one article page.
func (c *Crawler) page(ctx context.Context, src model.Source, it parse.Item, st *Stages) (*model.Document, error) {
	doc, _, err := c.read(ctx, fetch.Request{URL: it.URL, SourceID: src.ID}, st)
	return doc, err
}

// read fetches req, records the exchange and, when the answer is a page,
// extracts it. The response is never nil; the document is nil on error.
func (c *Crawler) read(ctx context.Context, req fetch.Request, st *Stages) (*model.Document, *fetch.Response, error) {
	t := time.Now()
	resp, err := c.opts.Fetcher.Get(ctx, req)
	st.fetched(t, resp.Fetch.Duration)
	t = time.Now()
	if _, rerr := c.opts.State.RecordFetch(ctx, &resp.Fetch); rerr != nil {
		err = storeErr(rerr) // the store's failure, whatever the fetch's
	}
	since(&st.Store, t)
	if err != nil || resp.NotModified {
		return nil, resp, err
	}
	res, err := c.extract(ctx, req.SourceID, resp.Body, resp.Header.Get("Content-Type"), resp.URL, st)
	if err != nil {
		return nil, resp, err
	}
	return &model.Document{
		URL: resp.URL, CanonicalURL: canonicalFor(res, resp.URL), Title: res.Title, PageTitle: res.Title, Author: res.Author,
		Published: res.Published, DateSource: res.DateSource, Lang: res.Lang, Text: res.Text, Fetch: &resp.Fetch,
	}, resp, nil
}

// merge fills the document from what the listing said. The listing's
// title, author and date win: feeds state them plainly, while a page's
// title often carries the site's name. The language comes from the page
// (its markup or its text), then the listing, then the source's setting.
func merge(doc *model.Document, src model.Source, it parse.Item) {
	if t := strings.TrimSpace(it.Title); t != "" {
		doc.Title = t
	}
	if a := strings.TrimSpace(it.Author); a != "" {
		doc.Author = a
	}
	switch {
	case !it.Published.IsZero():
		doc.Published = it.Published
		doc.DateSource = model.DateFromFeed
		if src.Type != model.SourceFeed {
			doc.DateSource = model.DateFromListing
		}
	case doc.Published.IsZero() && !it.Updated.IsZero():
		// A sitemap's lastmod is when the page last changed: a date of
		// last resort, below anything the page itself says.
		doc.Published, doc.DateSource = it.Updated, model.DateFromListing
	}
	if doc.Lang == "" {
		doc.Lang = it.Lang
	}
	if doc.Lang == "" {
		doc.Lang = src.Lang
	}
	if len(doc.Lang) > 2 && doc.Lang[2] == '-' {
		doc.Lang = doc.Lang[:2]
	}
}

// canonicalFor returns the page's declared canonical URL when it can be
// trusted: on the same site as the page and not the site's front page. A
// canonical pointing at another site (a republished copy naming its
// original) would merge the copy into the original and lose the evidence
// of who republished it, so the copy keeps its own URL; ingest groups the
// two by their text instead.
func canonicalFor(res *extract.Result, pageURL string) string {
	if res.CanonicalURL == "" {
		return pageURL
	}
	cu, err1 := url.Parse(res.CanonicalURL)
	pu, err2 := url.Parse(pageURL)
	if err1 != nil || err2 != nil || siteOf(cu.Hostname()) != siteOf(pu.Hostname()) {
		return pageURL
	}
	if cp, pp := strings.Trim(cu.Path, "/"), strings.Trim(pu.Path, "/"); cp != pp && (cp == "" || strings.HasPrefix(pp, cp+"/")) {
		// The front page, or a section above the page (/news/ for
		// /news/2011/12/16/x.html): a template's mistake, not the article.
		return pageURL
	}
	return res.CanonicalURL
}

// siteOf drops the prefixes that name the same site's variants.
func siteOf(host string) string {
	host = strings.ToLower(host)
	for _, p := range []string{"www.", "m.", "amp.", "mobile."} {
		host = strings.TrimPrefix(host, p)
	}
	return host
}
