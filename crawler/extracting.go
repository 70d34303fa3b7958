package crawler

import (
	"context"
	"time"

	"presswatch/crawler/extract"
	"presswatch/crawler/fetch"
	"presswatch/internal/model"
)

// extract decodes and extracts one page of the source sourceID; st, when
// not nil, counts the wait and the work.
//
// A page that is binary (an image or a PDF served as a page) or whose
// markup passes extract's caps is refused before extraction, with kind
// model.ErrBinary or model.ErrTooComplex. The rest is extracted in one of
// the ExtractWorkers slots, of which one source holds at most its share
// (share), and within ExtractTimeout.
//
// The extractor cannot be cancelled, so it runs in a goroutine that keeps
// its slots until it returns, also after extract has given up on it and
// returned model.ErrExtractTimeout: an abandoned extraction still uses a
// CPU, and counting it keeps the work under way, abandoned or not, within
// ExtractWorkers and the source's share. A source whose pages all time
// out thus slows only itself.
func (c *Crawler) extract(ctx context.Context, sourceID string, body []byte, contentType, pageURL string, st *Stages) (*extract.Result, error) {
	if why := extract.Binary(body); why != "" {
		return nil, model.Errorf(model.ErrBinary, "crawler: %s: %s, not extracted", pageURL, why)
	}
	t := time.Now()
	share := c.share(sourceID)
	c.waiting.Add(1)
	select {
	case share <- struct{}{}:
	case <-ctx.Done():
		c.waiting.Add(-1)
		return nil, model.Errorf(model.ErrCanceled, "crawler: %s: stopped before extraction", pageURL)
	}
	select {
	case c.extracting <- struct{}{}:
		c.waiting.Add(-1)
	case <-ctx.Done():
		c.waiting.Add(-1)
		<-share
		return nil, model.Errorf(model.ErrCanceled, "crawler: %s: stopped before extraction", pageURL)
	}
	if st != nil {
		since(&st.Wait, t)
		defer since(&st.Extract, time.Now())
	}
	type result struct {
		res *extract.Result
		err error
	}
	done := make(chan result, 1) // buffered: an abandoned extraction still ends
	go func() {
		defer func() { <-c.extracting; <-share }()
		html, _, err := fetch.DecodeHTML(body, contentType)
		if err != nil {
			// An unknown charset label: DecodeHTML read the page without it.
			c.opts.Log.Warn("page charset", "url", pageURL, "error", err)
		}
		if err := extract.Check(html, pageURL); err != nil {
			done <- result{nil, err}
			return
		}
		res, err := c.opts.Extract(html, pageURL)
		done <- result{res, err}
	}()
	timer := time.NewTimer(c.opts.ExtractTimeout)
	defer timer.Stop()
	select {
	case r := <-done:
		return r.res, r.err
	case <-timer.C:
		c.opts.Log.Warn("extraction abandoned; it keeps its slot until it ends", "source", sourceID, "url", pageURL,
			"limit", c.opts.ExtractTimeout)
		return nil, model.Errorf(model.ErrExtractTimeout, "crawler: %s: extraction took longer than %s", pageURL, c.opts.ExtractTimeout)
	case <-ctx.Done():
		return nil, model.Errorf(model.ErrCanceled, "crawler: %s: stopped during extraction", pageURL)
	}
}

// share returns the extraction slots of a source: half of ExtractWorkers,
// at least one.
func (c *Crawler) share(sourceID string) chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	s, ok := c.shares[sourceID]
	if !ok {
		s = make(chan struct{}, max(cap(c.extracting)/2, 1))
		c.shares[sourceID] = s
	}
	return s
}
