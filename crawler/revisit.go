package crawler

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"

	"presswatch/crawler/fetch"
	"presswatch/internal/archive"
	"presswatch/internal/model"
)

// Revisits is where the crawler finds the articles due to be read again,
// and where it hands what it found. internal/ingest implements it: the
// crawler reads pages, ingest decides what a difference means.
type Revisits interface {
	// Due returns the revisits q asks for, the longest overdue first.
	Due(ctx context.Context, q model.RevisitQuery) ([]model.DueRevisit, error)
	// Revisited stores what reading d's page again found.
	Revisited(ctx context.Context, src model.Source, d model.DueRevisit, f *model.Found) (model.RevisitOutcome, error)
}

// Reread fetches an article's page again with its validators, politely
// like every fetch, and classifies the answer.
func (c *Crawler) Reread(ctx context.Context, src model.Source, d model.DueRevisit) *model.Found {
	req := fetch.Request{URL: d.Revisit.URL, SourceID: src.ID, ETag: d.Revisit.ETag, LastModified: d.Revisit.LastModified}
	if d.Revisit.Partial {
		req.ETag, req.LastModified = "", ""
	}
	var st Stages
	doc, resp, err := c.read(ctx, req, &st)
	f := &model.Found{Fetch: &resp.Fetch, Status: resp.Status, ETag: resp.ETag, LastModified: resp.LastModified}
	switch {
	case kindOf(err) == model.ErrArchive || kindOf(err) == model.ErrStore:
		// The answer could not be kept as evidence: it proves nothing, and
		// is tried again once the archive can be written.
		f.Err, f.Transient = err, true
	case err != nil && (resp.Status == http.StatusNotFound || resp.Status == http.StatusGone):
		f.Gone = fmt.Sprintf("%d %s", resp.Status, http.StatusText(resp.Status))
	case err != nil:
		f.Err, f.Transient = err, transient(err, resp.Status)
		f.RetryAfter, _ = fetch.RetryAfter(err)
	case resp.NotModified:
		f.NotModified = true
	default:
		f.Doc = doc
		if len(resp.Redirects) > 0 && !sameURL(resp.URL, d.Revisit.URL) {
			f.Redirected, f.Permanent = true, resp.Permanent()
			if front(resp.URL) {
				f.Gone, f.Doc = "redirected to "+resp.URL+", not an article", nil
			}
		}
		if f.Doc != nil {
			f.NotFoundPage = notFoundPage(doc)
		}
	}
	return f
}

// transient reports whether a failure may pass by itself: timeouts,
// refused connections, unknown hosts, rate limits and server errors. A
// robots.txt refusal, a blocked address or a body over the cap is not
// transient, but none of them says the page is gone either.
func transient(err error, status int) bool {
	switch kindOf(err) {
	case model.ErrTimeout, model.ErrDNS, model.ErrConnect, model.ErrTLS, model.ErrRateLimited, model.ErrCanceled, model.ErrArchive:
		return true
	case model.ErrHTTPStatus:
		return status >= 500 || status == http.StatusRequestTimeout || status == http.StatusTooManyRequests || status == 0
	}
	return false
}

func sameURL(a, b string) bool {
	ua, err1 := url.Parse(a)
	ub, err2 := url.Parse(b)
	if err1 != nil || err2 != nil {
		return a == b
	}
	return siteOf(ua.Hostname()) == siteOf(ub.Hostname()) && strings.TrimSuffix(ua.EscapedPath(), "/") == strings.TrimSuffix(ub.EscapedPath(), "/") &&
		ua.RawQuery == ub.RawQuery
}

// front reports whether a redirect from an article's URL lands on a site's
// front page: where publishers send the readers of a page they took down.
// A redirect anywhere else (a section, or the same article at a cleaner
// URL: /news/x/amp to /news/x) is judged by its text in ingest.
func front(to string) bool {
	ut, err := url.Parse(to)
	return err == nil && strings.Trim(ut.Path, "/") == "" && ut.RawQuery == ""
}

// notFoundWords are how the "page not found" templates of the languages
// presswatch reads put it, matched in a page's title.
var notFoundWords = regexp.MustCompile(`(?i)\b404\b|page not found|not found|no longer available|` +
	`страница не найдена|не найдена|не существует|бет табылмады|табылмады|` +
	`seite nicht gefunden|nicht gefunden|page introuvable|introuvable|página no encontrada|no encontrada|` +
	`pagina non trovata|non trovata|nie znaleziono|strona nie istnieje|página não encontrada|não encontrada`)

// notFoundPage reports whether a page answered with 200 is a "page not
// found" template (a soft 404): its title says so, and it holds little
// text. Ingest still checks that the text is not the article's.
func notFoundPage(doc *model.Document) bool {
	return notFoundWords.MatchString(doc.PageTitle) && len(strings.Fields(doc.Text)) < 150
}

// RevisitReport says what a revisit pass found.
type RevisitReport struct {
	Due      int // revisits the pass took on
	Outcomes map[model.RevisitOutcome]int
	Errors   int // revisits whose result could not be stored
	Duration time.Duration
}

// RevisitPass reads the revisits q selects with workers at a time (the
// fetcher's per-site limit still holds, so a site is never asked for more
// than it allows), and hands each to rs. Articles of sources not in
// configured (removed from the configuration) or with revisits turned off
// are skipped. each, if not nil, is called after every revisit.
func (c *Crawler) RevisitPass(ctx context.Context, rs Revisits, configured []model.Source, q model.RevisitQuery,
	workers int, each func(model.DueRevisit, model.RevisitOutcome, error)) (RevisitReport, error) {
	start := time.Now()
	sources := make(map[string]model.Source, len(configured))
	for _, s := range configured {
		sources[s.ID] = s
	}
	rep := RevisitReport{Outcomes: map[model.RevisitOutcome]int{}}
	if len(q.Sources) == 0 {
		// Only sources that are configured and revisited: the articles of
		// others would fill every pass's budget and never leave the queue.
		for id, s := range sources {
			if !s.RevisitOff {
				q.Sources = append(q.Sources, id)
			}
		}
		if len(q.Sources) == 0 {
			return rep, nil
		}
	}
	due, err := rs.Due(ctx, q)
	if err != nil {
		return rep, err
	}
	var (
		mu    sync.Mutex
		wg    sync.WaitGroup
		work  = make(chan model.DueRevisit)
		fault error // the first of presswatch's own failures: it stops the pass
	)
	parent := ctx
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	for range max(1, min(workers, len(due))) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for d := range work {
				src := sources[d.Revisit.SourceID]
				f := c.Reread(ctx, src, d)
				if ctx.Err() != nil {
					return
				}
				o, err := model.RevisitOutcome(""), f.Err
				if !ownFault(err) { // a fault of ours says nothing of the article: not recorded
					o, err = rs.Revisited(ctx, src, d, f)
				}
				mu.Lock()
				if ownFault(err) {
					if fault == nil {
						fault = err
						c.opts.Log.Error("revisits stopped: presswatch could not keep what it read", "error", err)
					}
					stop() // every revisit after it would fail alike
					mu.Unlock()
					return
				}
				if err != nil {
					rep.Errors++
					c.opts.Log.Error("storing a revisit failed", "article", d.Article.ID, "url", d.Revisit.URL, "error", err)
				} else {
					rep.Outcomes[o]++
				}
				if each != nil {
					each(d, o, err)
				}
				mu.Unlock()
			}
		}()
	}
feed:
	for _, d := range due {
		src, ok := sources[d.Revisit.SourceID]
		if !ok || src.RevisitOff {
			continue
		}
		select {
		case work <- d:
			rep.Due++
		case <-ctx.Done():
			break feed
		}
	}
	close(work)
	wg.Wait()
	rep.Duration = time.Since(start)
	if fault != nil {
		return rep, fault
	}
	if parent.Err() != nil {
		return rep, model.Errorf(model.ErrCanceled, "crawler: revisits stopped after %d of %d", rep.Due, len(due))
	}
	return rep, nil
}

// Reextract reads the page of an archived exchange again, from the WARC
// archive in dir, with the extractor the crawler has now: what the page
// would give if it were read today. Ingest uses it to tell a publisher's
// edit from a change in presswatch's reading.
func (c *Crawler) Reextract(ctx context.Context, dir archive.Dir, f *model.Fetch) (title, text string, err error) {
	if f.WARCFile == "" {
		return "", "", fmt.Errorf("crawler: fetch %d of %s is not archived", f.ID, f.URL)
	}
	capture, err := dir.ReadResponse(f.WARCFile, f.WARCOffset)
	if err != nil {
		return "", "", err
	}
	res, err := c.extract(ctx, f.SourceID, capture.Payload, capture.Header.Get("Content-Type"), capture.TargetURI, nil)
	if err != nil {
		return "", "", err
	}
	return res.Title, res.Text, nil
}
