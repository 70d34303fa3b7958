package crawler

import (
	"context"
	"time"

	"presswatch/crawler/extract"
	"presswatch/crawler/fetch"
	"presswatch/crawler/wayback"
	"presswatch/internal/archive"
	"presswatch/internal/model"
)

// runWayback runs a wayback source (crawler/wayback) within ctx, the run's
// budget: its captures are paced by the archive's limiter, extracted in
// the crawler's slots and handed to the sink. The report counts the
// captures listed as announced and the ones still to fetch as left; the
// source's health is saved as for other sources, with the archive's
// back-off as its next due time.
func (c *Crawler) runWayback(ctx, parent context.Context, src model.Source, budget time.Duration, start time.Time) Report {
	rep := Report{Source: src.ID}
	st, err := c.opts.State.SourceState(ctx, src.ID)
	if err != nil {
		rep.Err = storeErr(err)
		return rep
	}
	st.SourceID = src.ID
	if c.opts.Backfill == nil || src.Wayback == nil {
		rep.Err = model.Errorf(model.ErrInternal, "crawler: %s: a wayback source needs its from/to and a store that keeps its progress", src.ID)
		return rep
	}
	w := src.Wayback
	var archived func(*model.Fetch) (*fetch.Response, error)
	if c.opts.ArchiveDir != "" {
		dir := archive.Dir(c.opts.ArchiveDir)
		archived = func(f *model.Fetch) (*fetch.Response, error) {
			cp, err := dir.ReadResponse(f.WARCFile, f.WARCOffset)
			if err != nil {
				return nil, err
			}
			return &fetch.Response{URL: cp.TargetURI, Status: cp.Status, Header: cp.Header, Body: cp.Payload}, nil
		}
	}
	wr, err := wayback.Run(ctx, src, wayback.Options{
		Archived: archived,
		Fetcher:  c.opts.Fetcher, Limiter: c.archives.For(w.Endpoint, w.Rate),
		Progress: c.opts.Backfill, Sink: c.opts.Sink, Fetches: c.opts.State,
		Extract: func(ctx context.Context, sourceID string, body []byte, contentType, pageURL string) (*extract.Result, error) {
			return c.extract(ctx, sourceID, body, contentType, pageURL, &rep.Stages)
		},
		Canonical: canonicalFor, Finish: parent, Now: c.opts.Now, Log: c.opts.Log,
	})
	rep.Announced, rep.New, rep.Updated, rep.Unchanged = wr.Listed, wr.New, wr.Updated, wr.Unchanged
	rep.Skipped, rep.Failed, rep.LastFailure, rep.Left = wr.Skipped, wr.Failed, wr.LastFailure, wr.Progress.Remaining
	rep.Duration = c.opts.Now().Sub(start)
	if ownFault(err) {
		rep.Err = err
		c.opts.Log.Error("backfill stopped: presswatch could not keep what it read", "source", src.ID, "error", err)
		return rep
	}
	if parent.Err() != nil {
		rep.Err = model.Errorf(model.ErrCanceled, "crawler: %s: stopped before the run finished", src.ID)
		return rep
	}
	if wr.OutOfTime || (ctx.Err() != nil && context.Cause(ctx) == errBudget) {
		rep.Budget, err = budget, nil
		// Only a run that got somewhere goes on at once: one whose budget
		// ends before the archive's next turn waits for its interval.
		rep.GoOn = (wr.Listed > 0 || wr.Fetched() > 0) && (wr.Progress.Remaining > 0 || !wr.Progress.Done)
	}
	rep.Err = err
	c.saveHealth(parent, src, st, listState{state: st}, err, start, rep)
	return rep
}
