package crawler

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"presswatch/crawler/parse"
	"presswatch/internal/datewalk"
	"presswatch/internal/model"
)

// A date walk (a page source with a URL template) reads at most
// maxDateListings of its dated listings in one run, and reads again those
// that end within recentDays of now: a day's listing still grows while
// the day's articles come in.
const (
	maxDateListings = 100
	recentDays      = 3
)

// ListingsRead is what a State implements to remember which dated
// listings of a source were read, so that a date walk reads each once:
// the fetches it already records say so. internal/store implements it.
// Without it every run walks the range from its start again.
type ListingsRead interface {
	// ListingsRead reports which of urls a run of the source fetched and
	// read (200 and readable), or was told hold nothing (404, 410).
	ListingsRead(ctx context.Context, sourceID string, urls []string) (map[string]bool, error)
	// ListingRead marks a listing's fetch read again after FetchUnreadable
	// marked it model.ErrCanceled while its items were being read.
	ListingRead(ctx context.Context, fetchID int64) error
}

// datedListing is a dated listing a run read, with the items it
// announced: it counts as read only once they are all handled.
type datedListing struct {
	url     string
	fetchID int64
	items   []parse.Item
}

// walkDates walks a page source's dated archive listings, oldest first:
// those of the source's range not read before and the recent ones, each
// with the source's selectors and page limit, until maxDateListings are
// read or the new items fill one run (MaxItems). A listing answered 404 is
// a day without articles. Other listings that cannot be read are left for
// the next run; the run fails only when none could be read.
//
// A listing counts as read only when every item it announced was handled.
// Its fetch is marked unread (model.ErrCanceled) as soon as it is read, and
// marked read again by doneDates once its items are stored, skipped or
// given up on. So a listing whose items a run did not reach (beyond
// MaxItems, cut by the run budget, failed and to be tried again, or the
// process stopped) is read again by the next run, and none of its items is
// lost.
func (c *Crawler) walkDates(ctx context.Context, src model.Source, ls *listState) ([]parse.Item, error) {
	r := src.Dates
	tpl, err := datewalk.Parse(r.URLTemplate)
	if err != nil {
		return nil, model.Errorf(model.ErrInternal, "crawler: %s: url_template: %v", src.ID, err)
	}
	now := c.opts.Now().UTC()
	to := r.To
	if to.IsZero() || to.After(now) {
		to = now
	}
	listings := tpl.Expand(r.From, to)
	read := map[string]bool{}
	lr, remembers := c.opts.State.(ListingsRead)
	if remembers {
		urls := make([]string, len(listings))
		for i, l := range listings {
			urls[i] = l.URL
		}
		if read, err = lr.ListingsRead(ctx, src.ID, urls); err != nil {
			return nil, storeErr(err)
		}
	}
	recent := now.AddDate(0, 0, -recentDays)
	var (
		all          []parse.Item
		fresh, tried int
		readable     bool
		firstErr     error
	)
	for _, l := range listings {
		if read[l.URL] && !l.End.After(recent) {
			continue
		}
		if tried == maxDateListings || fresh >= c.opts.MaxItems || ctx.Err() != nil {
			break
		}
		tried++
		items, n, f, err := c.walkListing(ctx, src, l.URL, false, true, ls)
		switch {
		case err == nil:
			readable = true
		case ownFault(err):
			return nil, err
		case f != nil && (f.Status == http.StatusNotFound || f.Status == http.StatusGone):
			readable = true // no listing that day
			continue
		default:
			c.opts.Log.Warn("dated listing unreadable", "source", src.ID, "url", l.URL, "error", err)
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		all = append(all, items...)
		fresh += n
		if remembers && f != nil && f.ID != 0 {
			msg := fmt.Sprintf("crawler: %s: %s: its items were not all read; read again next run", src.ID, l.URL)
			if err := c.opts.State.FetchUnreadable(ctx, f.ID, model.ErrCanceled, msg); err != nil {
				return nil, storeErr(err)
			}
			ls.dated = append(ls.dated, datedListing{url: l.URL, fetchID: f.ID, items: items})
		}
	}
	if !readable && firstErr != nil {
		return nil, firstErr
	}
	if !readable && ctx.Err() != nil {
		return nil, context.Cause(ctx)
	}
	return all, nil
}

// doneDates marks read the dated listings of a run whose items are all
// handled; the others stay unread for the next run. It runs after the
// run's items, whatever ended them, on a context of its own: a run cut by
// its budget or stopped still records which listings are done.
func (c *Crawler) doneDates(ctx context.Context, src model.Source, dated []datedListing) error {
	lr, ok := c.opts.State.(ListingsRead)
	if !ok || len(dated) == 0 {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	left := 0
	for _, l := range dated {
		fresh, err := c.unknown(ctx, src, l.items)
		if err != nil {
			return err
		}
		if len(fresh) > 0 {
			left++
			continue
		}
		if err := lr.ListingRead(ctx, l.fetchID); err != nil {
			return storeErr(err)
		}
	}
	if left > 0 {
		c.opts.Log.Info("dated listings with items not read, read again next run", "source", src.ID, "listings", left)
	}
	return nil
}
