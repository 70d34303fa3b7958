package wayback

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"presswatch/crawler/extract"
	"presswatch/crawler/fetch"
	"presswatch/internal/model"
)

// Progress is where a backfill keeps its place across runs and restarts.
// internal/store implements it; the states are its Capture constants
// (listed, duplicate, stored, unchanged, skipped, failed).
type Progress interface {
	WaybackProgress(ctx context.Context, sourceID string) (model.WaybackProgress, error)
	WaybackListed(ctx context.Context, sourceID string, caps []model.WaybackCapture, next string, done bool) (int, error)
	WaybackPending(ctx context.Context, sourceID string, limit int, skip map[string]bool) ([]model.WaybackCapture, error)
	WaybackDone(ctx context.Context, sourceID string, c model.WaybackCapture, state string, kind model.ErrorKind) error
	WaybackBackoff(ctx context.Context, sourceID string, until time.Time, backoffs int) error
	// CaptureFetched finds the fetch of a capture (by its archive
	// address) read whole before; nil when none.
	CaptureFetched(ctx context.Context, sourceID, capture string) (*model.Fetch, error)
}

// Sink stores a capture's document (crawler.Sink's Put).
type Sink interface {
	Put(ctx context.Context, src model.Source, doc *model.Document) (model.Outcome, *model.Article, error)
}

// Fetches records every exchange with the archive (crawler.State's).
type Fetches interface {
	RecordFetch(ctx context.Context, f *model.Fetch) (int64, error)
	FetchUnreadable(ctx context.Context, fetchID int64, kind model.ErrorKind, msg string) error
}

// Options are what Run needs; Progress, Sink, Fetches, Fetcher, Limiter
// and Extract are required.
type Options struct {
	Fetcher  *fetch.Fetcher
	Limiter  Limiter // the endpoint's (Limiters.For)
	Progress Progress
	Sink     Sink
	Fetches  Fetches
	// Extract turns a capture's bytes into an article: the crawler's own
	// extraction (its slots and time limit).
	Extract func(ctx context.Context, sourceID string, body []byte, contentType, pageURL string) (*extract.Result, error)
	// Archived reads back from presswatch's own WARC archive the response
	// of an earlier fetch (its Fetch's WARC file and offset). With it, a
	// capture fetched whole by a run that was stopped before storing it
	// (a kill, a full disk) is read from the archive, never asked of the
	// web archive twice. nil: such a capture is fetched again.
	Archived func(f *model.Fetch) (*fetch.Response, error)
	// Canonical picks the article's URL from the page's declared
	// canonical; nil keeps the captured URL.
	Canonical func(res *extract.Result, pageURL string) string
	// Finish is the context a fetched capture is extracted and stored
	// under: the run's parent (serve's stop), not its budget, so that a
	// budget ending between the fetch and the store does not throw away a
	// capture the archive already sent (it would be fetched twice). nil:
	// the run's own ctx.
	Finish context.Context
	// MaxCaptures bounds the captures fetched in one run; 0, none (the
	// run budget still holds).
	MaxCaptures int
	PageSize    int // captures per CDX page; default 500
	Now         func() time.Time
	Log         *slog.Logger
}

// The archive's back-off: an hour, doubling on each 429 or 503 in a row,
// at most a week.
const (
	FirstBackoff = time.Hour
	MaxBackoff   = 7 * 24 * time.Hour
)

// Report says what one run did.
type Report struct {
	Listed       int // captures the CDX pages read in this run listed
	New, Updated int
	Unchanged    int
	Skipped      int // off-topic for keep: topic
	Failed       int // fetched, but no article: ArchivePages of them the archive's own pages
	ArchivePages int
	// Replayed counts the captures read back from presswatch's WARC
	// archive (fetched whole by an earlier run that stopped before storing
	// them), not asked of the web archive again.
	Replayed    int
	LastFailure error
	// OutOfTime says the run stopped because its budget was used up; what
	// is left comes next run.
	OutOfTime bool
	Progress  model.WaybackProgress // after the run
}

// Fetched is how many captures the run fetched and settled.
func (r Report) Fetched() int { return r.New + r.Updated + r.Unchanged + r.Skipped + r.Failed }

// BackoffError ends a run the archive asked to slow down (or one refused
// because such a back-off still holds): ask nothing before Until.
type BackoffError struct {
	Until time.Time
	Err   error
}

func (e *BackoffError) Error() string { return e.Err.Error() }
func (e *BackoffError) Unwrap() error { return e.Err }

// BackoffUntil reports when a run that ended with err may ask the archive
// again, when err is a back-off.
func BackoffUntil(err error) (time.Time, bool) {
	var be *BackoffError
	if errors.As(err, &be) {
		return be.Until, true
	}
	return time.Time{}, false
}

// run is one Run's state.
type run struct {
	opts   Options
	src    model.Source
	client *Client
	rep    *Report
	paths  []*regexp.Regexp
}

// Run goes on with src's backfill: the captures listed and not yet
// fetched, then the listing's next pages, until the listing has ended, ctx
// ends (the run's budget), MaxCaptures were fetched or the archive says to
// slow down. The error is the run's: a listing that cannot be read, a
// back-off (BackoffError), presswatch's own store failing; a capture that
// fails is counted in the report and recorded, not returned.
func Run(ctx context.Context, src model.Source, opts Options) (Report, error) {
	var rep Report
	if src.Wayback == nil {
		return rep, fmt.Errorf("wayback: %s: no from/to configured", src.ID)
	}
	if opts.PageSize <= 0 {
		opts.PageSize = 500
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Log == nil {
		opts.Log = slog.Default()
	}
	r := &run{opts: opts, src: src, rep: &rep, paths: compilePaths(src.Wayback.Paths),
		client: &Client{Endpoint: src.Wayback.Endpoint, Fetcher: opts.Fetcher, Limiter: opts.Limiter, SourceID: src.ID, AllowPrivate: src.AllowPrivate}}
	prog, err := opts.Progress.WaybackProgress(ctx, src.ID)
	if err != nil {
		return rep, storeErr(err)
	}
	if now := opts.Now(); now.Before(prog.BackoffUntil) {
		rep.Progress = prog
		return rep, &BackoffError{Until: prog.BackoffUntil, Err: model.Errorf(model.ErrBackoff,
			"wayback: %s: the archive asked presswatch to slow down; it is asked again after %s", src.ID, prog.BackoffUntil.UTC().Format(time.RFC3339))}
	}
	err = r.loop(ctx, &prog)
	if errors.Is(err, ErrPastDeadline) || (ctx.Err() != nil && errors.Is(err, context.DeadlineExceeded)) {
		rep.OutOfTime, err = true, nil
	}
	if _, ok := BackoffUntil(err); !ok && prog.Backoffs > 0 && err == nil {
		// A run the archive let finish: the next 429 starts from an hour again.
		if berr := opts.Progress.WaybackBackoff(ctx, src.ID, time.Time{}, 0); berr != nil {
			err = storeErr(berr)
		}
	}
	if p, perr := opts.Progress.WaybackProgress(context.WithoutCancel(ctx), src.ID); perr == nil {
		rep.Progress = p
	}
	return rep, err
}

// loop fetches the pending captures, listing more when none are left.
func (r *run) loop(ctx context.Context, prog *model.WaybackProgress) error {
	tried := map[string]bool{} // captures this run tried: a retry waits for the next run
	fetched := 0
	for ctx.Err() == nil {
		if r.opts.MaxCaptures > 0 && fetched >= r.opts.MaxCaptures {
			return nil
		}
		batch := 50
		if r.opts.MaxCaptures > 0 {
			batch = min(batch, r.opts.MaxCaptures-fetched)
		}
		pending, err := r.opts.Progress.WaybackPending(ctx, r.src.ID, batch, tried)
		if err != nil {
			return storeErr(err)
		}
		if len(pending) == 0 {
			if prog.Done {
				return nil
			}
			if err := r.list(ctx, prog); err != nil {
				return err
			}
			continue
		}
		for _, c := range pending {
			tried[key(c)] = true
			if err := r.capture(ctx, c, prog); err != nil {
				return err
			}
			fetched++
		}
	}
	return ctx.Err()
}

// list reads the listing's next page and keeps it with the key of the one
// after it.
func (r *run) list(ctx context.Context, prog *model.WaybackProgress) error {
	w := r.src.Wayback
	q := Query{URL: r.src.URL, From: w.From, To: w.To, Limit: r.opts.PageSize, ResumeKey: prog.ResumeKey}
	page, resp, err := r.client.List(ctx, q)
	if resp != nil {
		if _, rerr := r.opts.Fetches.RecordFetch(ctx, &resp.Fetch); rerr != nil {
			return storeErr(rerr)
		}
		if err != nil && resp.Fetch.ID != 0 && resp.Status == http.StatusOK {
			if ferr := r.opts.Fetches.FetchUnreadable(ctx, resp.Fetch.ID, model.ErrParse, err.Error()); ferr != nil {
				return storeErr(ferr)
			}
		}
	}
	if err != nil {
		return r.slowDown(ctx, resp, err, prog)
	}
	if page.ResumeKey != "" && page.ResumeKey == prog.ResumeKey {
		return model.Errorf(model.ErrParse, "wayback: CDX answer of %s: the same resume key %q again: the listing would never end", r.client.ListURL(q), page.ResumeKey)
	}
	caps := r.wanted(page.Captures)
	if _, err := r.opts.Progress.WaybackListed(ctx, r.src.ID, caps, page.ResumeKey, page.ResumeKey == ""); err != nil {
		return storeErr(err)
	}
	r.rep.Listed += len(caps)
	prog.ResumeKey, prog.Done = page.ResumeKey, page.ResumeKey == ""
	return nil
}

// slowDown turns an archive's 429 or 503 into the stored back-off and the
// run's BackoffError; other errors pass as they are.
func (r *run) slowDown(ctx context.Context, resp *fetch.Response, err error, prog *model.WaybackProgress) error {
	// A 429 to the endpoint's robots.txt, read for this request, is the
	// archive's too: the request was not sent (Status 0).
	robots429 := resp != nil && resp.Status == 0 && kindOf(err) == model.ErrRateLimited
	if resp == nil || (resp.Status != http.StatusTooManyRequests && resp.Status != http.StatusServiceUnavailable && !robots429) {
		return err
	}
	n := prog.Backoffs + 1
	wait := MaxBackoff
	if n < 20 {
		wait = min(FirstBackoff<<(n-1), MaxBackoff)
	}
	now := r.opts.Now()
	if ra, ok := retryAfter(resp.Header.Get("Retry-After"), now); ok && ra > wait {
		wait = ra // the fetcher caps Retry-After at its own hour; the archive's is honoured whole
	}
	until := now.Add(wait)
	if berr := r.opts.Progress.WaybackBackoff(context.WithoutCancel(ctx), r.src.ID, until, n); berr != nil {
		return storeErr(berr)
	}
	prog.Backoffs, prog.BackoffUntil = n, until
	r.opts.Log.Warn("the archive asked to slow down; the backfill waits", "source", r.src.ID, "status", resp.Status,
		"wait", wait.String(), "until", until.UTC().Format(time.RFC3339))
	return &BackoffError{Until: until, Err: model.Errorf(model.ErrRateLimited,
		"wayback: %s: %s answered %d; the backfill waits %s, until %s", r.src.ID, r.client.Endpoint, resp.Status, wait, until.UTC().Format(time.RFC3339))}
}

// retryAfter reads a Retry-After header (seconds, or an HTTP date), at
// most MaxBackoff.
func retryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		return min(time.Duration(min(secs, int64(MaxBackoff/time.Second)))*time.Second, MaxBackoff), true
	}
	if t, err := http.ParseTime(v); err == nil {
		return min(max(t.Sub(now), 0), MaxBackoff), true
	}
	return 0, false
}

// capture fetches one capture and hands its page to the sink, keeping what
// became of it. Its error is the run's (a back-off, the store, the run's
// end); the capture's own failures are counted and kept.
func (r *run) capture(ctx context.Context, c model.WaybackCapture, prog *model.WaybackProgress) error {
	resp, err := r.replay(ctx, c)
	if err != nil {
		return err
	}
	if resp != nil {
		return r.read(ctx, c, resp, resp.Fetch.CapturedAt)
	}
	at, _ := Timestamp(c.Timestamp)
	resp, err = r.client.Get(ctx, c)
	if resp == nil { // not asked: the limiter's wait ended with the run
		return err
	}
	f := &resp.Fetch
	got := c // the capture read; its state is kept under c, as listed
	if ts, t, ok := r.client.redirectedTo(resp.URL, c); ok {
		got.Timestamp, at = ts, t // the archive sent the nearest capture it holds
	}
	f.URL, f.CapturedAt, f.Capture = c.Original, at, r.client.CaptureURL(got)
	if err == nil {
		// The CDX row goes into the WARC archive before the fetch is
		// recorded: a fetch replay finds always has its row beside it.
		if err := r.keepRow(c, got, at, resp); err != nil {
			return err
		}
	}
	if _, rerr := r.opts.Fetches.RecordFetch(ctx, f); rerr != nil {
		return storeErr(rerr)
	}
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if serr := r.slowDown(ctx, resp, err, prog); serr != err {
			return serr
		}
		state := stateFailed // the archive answered: a 404, a capture too large
		if resp.Status == 0 {
			state = stateListed // no answer: tried again next run
		}
		return r.settle(ctx, c, state, err)
	}
	return r.read(ctx, c, resp, at)
}

// replay returns the response of an earlier fetch of c that read it whole
// but was not stored, read back from presswatch's WARC archive; nil when
// there is none (or no Archived), or when the archive cannot give it back
// (then c is fetched again, and why is logged).
func (r *run) replay(ctx context.Context, c model.WaybackCapture) (*fetch.Response, error) {
	if r.opts.Archived == nil {
		return nil, nil
	}
	f, err := r.opts.Progress.CaptureFetched(ctx, r.src.ID, r.client.CaptureURL(c))
	if err != nil {
		return nil, storeErr(err)
	}
	if f == nil {
		return nil, nil
	}
	resp, err := r.opts.Archived(f)
	if err != nil {
		r.opts.Log.Warn("an earlier fetch of the capture cannot be read back from the WARC archive; fetching it again",
			"source", r.src.ID, "capture", f.Capture, "error", err)
		return nil, nil
	}
	resp.Fetch = *f
	r.rep.Replayed++
	return resp, nil
}

// read stores the page of a capture fetched whole (resp, its fetch
// recorded): an archive's own page is reported, an article handed to the
// sink.
func (r *run) read(ctx context.Context, c model.WaybackCapture, resp *fetch.Response, at time.Time) error {
	f := &resp.Fetch
	if why := ArchivePage(resp.Body); why != "" {
		err := model.Errorf(model.ErrArchivePage, "wayback: %s: %s answered with %s, not the capture; not stored", r.src.ID, r.client.PlaybackURL(c), why)
		r.rep.ArchivePages++
		if ferr := r.opts.Fetches.FetchUnreadable(ctx, f.ID, model.ErrArchivePage, err.Error()); ferr != nil {
			return storeErr(ferr)
		}
		return r.settle(ctx, c, stateFailed, err)
	}
	fin := r.opts.Finish
	if fin == nil {
		fin = ctx
	}
	res, err := r.opts.Extract(fin, r.src.ID, resp.Body, resp.Header.Get("Content-Type"), c.Original)
	if err != nil {
		if fin.Err() != nil {
			return fin.Err()
		}
		return r.settle(fin, c, stateFailed, err)
	}
	doc := r.document(c, res, f)
	o, _, err := r.opts.Sink.Put(fin, r.src, doc)
	switch {
	case ownFault(err):
		return err // nothing kept: the capture is fetched again next run
	case err != nil && fin.Err() != nil:
		return fin.Err()
	case err != nil:
		return r.settle(fin, c, stateFailed, err)
	}
	switch o {
	case model.OutcomeNew:
		r.rep.New++
	case model.OutcomeUpdated:
		r.rep.Updated++
	case model.OutcomeUnchanged:
		r.rep.Unchanged++
	case model.OutcomeSkipped:
		r.rep.Skipped++
	}
	state := map[model.Outcome]string{model.OutcomeNew: stateStored, model.OutcomeUpdated: stateStored,
		model.OutcomeUnchanged: stateUnchanged, model.OutcomeSkipped: stateSkipped}[o]
	// Kept even when the run has just ended: the article is stored, so the
	// capture must not be fetched again.
	if err := r.opts.Progress.WaybackDone(context.WithoutCancel(ctx), r.src.ID, c, state, ""); err != nil {
		return storeErr(err)
	}
	return nil
}

// keepRow writes, beside the capture's response record in presswatch's
// WARC archive (when it keeps one), a metadata record holding the CDX row
// that listed it and where and when the capture the archive answered with
// was made. A failed write stops the run (the store's and the archive's
// faults are presswatch's own): nothing of the capture is stored, and it
// is fetched again next run.
func (r *run) keepRow(listed, got model.WaybackCapture, at time.Time, resp *fetch.Response) error {
	if resp.Fetch.WARCRecord == "" {
		return nil
	}
	row := listed.Row
	if len(row) == 0 { // listed before rows were kept
		row = [][2]string{{"timestamp", listed.Timestamp}, {"original", listed.Original}, {"digest", listed.Digest}}
	}
	fields := make([][2]string, 0, len(row)+4)
	for _, f := range row {
		fields = append(fields, [2]string{"cdx-" + f[0], f[1]})
	}
	fields = append(fields, [2]string{"cdx-server", r.client.Endpoint + "/cdx/search/cdx"},
		[2]string{"capture", r.client.CaptureURL(got)}, [2]string{"captured-at", at.UTC().Format(time.RFC3339)},
		[2]string{"source", r.src.ID})
	_, _, err := r.opts.Fetcher.WriteMetadata(resp.URL, resp.Fetch.WARCRecord, fields)
	return err
}

// settle keeps a capture that gave no article, with why.
func (r *run) settle(ctx context.Context, c model.WaybackCapture, state string, why error) error {
	if state == stateFailed {
		r.rep.Failed++
		r.rep.LastFailure = why
	}
	r.opts.Log.Warn("capture not stored", "source", r.src.ID, "capture", r.client.CaptureURL(c), "error", why)
	if err := r.opts.Progress.WaybackDone(ctx, r.src.ID, c, state, kindOf(why)); err != nil {
		return storeErr(err)
	}
	return nil
}

// document is the capture's page as an article of provenance archive.
func (r *run) document(c model.WaybackCapture, res *extract.Result, f *model.Fetch) *model.Document {
	canon := c.Original
	if r.opts.Canonical != nil {
		canon = r.opts.Canonical(res, c.Original)
	}
	lang := res.Lang
	if lang == "" {
		lang = r.src.Lang
	}
	if len(lang) > 2 && lang[2] == '-' {
		lang = lang[:2]
	}
	return &model.Document{
		SourceID: r.src.ID, URL: c.Original, CanonicalURL: canon, Title: res.Title, PageTitle: res.Title, Author: res.Author,
		Published: res.Published, DateSource: res.DateSource, Lang: lang, Text: res.Text,
		Provenance: model.ProvenanceArchive, Fetch: f,
	}
}

// wanted keeps the captures whose URL path matches the source's paths
// (all when it sets none).
func (r *run) wanted(caps []model.WaybackCapture) []model.WaybackCapture {
	if len(r.paths) == 0 {
		return caps
	}
	out := caps[:0:0]
	for _, c := range caps {
		u, err := url.Parse(c.Original)
		if err != nil {
			continue
		}
		p := u.EscapedPath()
		if p == "" {
			p = "/"
		}
		for _, re := range r.paths {
			if re.MatchString(p) {
				out = append(out, c)
				break
			}
		}
	}
	return out
}

// compilePaths turns path patterns (* matches any run of characters, /
// included) into anchored expressions.
func compilePaths(pats []string) []*regexp.Regexp {
	out := make([]*regexp.Regexp, 0, len(pats))
	for _, p := range pats {
		parts := strings.Split(p, "*")
		for i := range parts {
			parts[i] = regexp.QuoteMeta(parts[i])
		}
		out = append(out, regexp.MustCompile("^"+strings.Join(parts, ".*")+"$"))
	}
	return out
}

// The capture states, as internal/store keeps them.
const (
	stateListed    = "listed"
	stateStored    = "stored"
	stateUnchanged = "unchanged"
	stateSkipped   = "skipped"
	stateFailed    = "failed"
)

func key(c model.WaybackCapture) string { return c.Timestamp + " " + c.Original }

func kindOf(err error) model.ErrorKind {
	var me *model.Error
	if errors.As(err, &me) {
		return me.Kind
	}
	return model.ErrInternal
}

// storeErr marks a failure of Progress or Fetches as the store's.
func storeErr(err error) error {
	if err == nil || kindOf(err) == model.ErrStore || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return &model.Error{Kind: model.ErrStore, Err: err}
}

// ownFault: presswatch's store or archive failed; the run stops and the
// capture is read again next run.
func ownFault(err error) bool {
	k := kindOf(err)
	return err != nil && (k == model.ErrStore || k == model.ErrArchive)
}
