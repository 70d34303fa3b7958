package crawler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"presswatch/crawler/extract"
	"presswatch/crawler/fetch"
	"presswatch/crawler/wayback"
	"presswatch/internal/model"
)

// Sink receives what the crawler reads. internal/ingest implements it.
type Sink interface {
	// Known reports which canonical item URLs need no fetching for src.
	Known(ctx context.Context, src model.Source, urls []string) (map[string]bool, error)
	// Put stores one document read from src.
	Put(ctx context.Context, src model.Source, doc *model.Document) (model.Outcome, *model.Article, error)
	// Failed records an item that could not be read.
	Failed(ctx context.Context, src model.Source, itemURL string, kind model.ErrorKind) error
}

// State keeps what the crawler learns about sources and every fetch it
// makes. internal/store implements it.
type State interface {
	SourceState(ctx context.Context, id string) (model.SourceState, error)
	SaveSourceState(ctx context.Context, st model.SourceState) error
	RecordFetch(ctx context.Context, f *model.Fetch) (int64, error)
	// FetchUnreadable marks a recorded fetch whose exchange succeeded but
	// whose body could not be read (not a feed, a broken page), so the
	// fetches say when a source failed.
	FetchUnreadable(ctx context.Context, fetchID int64, kind model.ErrorKind, msg string) error
}

// Options configure a Crawler.
type Options struct {
	Fetcher    *fetch.Fetcher
	Sink       Sink
	State      State
	MaxItems   int           // new items fetched per run of a source; default 100
	MaxBackoff time.Duration // longest wait after repeated failures; default 24h
	// RunBudget is the longest one run of a source may take, listing and
	// items together, unless the source sets its own; default 10m. When it
	// is used up the run stops fetching: what was stored stays, and the
	// items not reached are left, unmarked, for the next run.
	RunBudget time.Duration
	// ItemWorkers is how many items of one source are fetched and
	// extracted at once. The fetcher's per-host limit still holds, so this
	// mostly overlaps extraction with the next download. Default 4.
	ItemWorkers int
	// ExtractWorkers is how many pages are extracted at once over all
	// runs; default runtime.GOMAXPROCS. Extraction is CPU work: more at
	// once only adds memory and garbage collection. One source holds at
	// most half of them (at least one), so a source of slow pages cannot
	// keep the others' articles waiting.
	ExtractWorkers int
	// ExtractTimeout bounds the extraction of one page; default 10s (real
	// pages take tens of milliseconds). A page that takes longer is
	// recorded as failed with kind model.ErrExtractTimeout.
	ExtractTimeout time.Duration
	Log            *slog.Logger
	Now            func() time.Time
	// Extract turns a page into an article; default extract.Page.
	Extract func(html []byte, pageURL string) (*extract.Result, error)
	// ArchiveDir is the folder of the fetcher's WARC archive: a backfill
	// reads back from it a capture an earlier run fetched but did not
	// store. "" when the fetcher keeps no archive.
	ArchiveDir string
	// Backfill keeps wayback sources' progress; default State, when it
	// implements wayback.Progress (internal/store does).
	Backfill wayback.Progress
	// WaybackClock paces the requests to web archives; default the wall clock.
	WaybackClock wayback.Clock
}

// Crawler runs sources. It is safe for concurrent use on different
// sources; the scheduler makes sure one source never runs twice at once.
type Crawler struct {
	opts Options

	extracting chan struct{} // a slot per page being extracted
	waiting    atomic.Int64  // pages waiting for a slot (see Extracting)

	mu       sync.Mutex
	inflight map[string]chan struct{} // item URLs being read by some run now; closed when done
	shares   map[string]chan struct{} // per source: its slots of ExtractWorkers

	archives *wayback.Limiters // one pace per web archive, over all its wayback sources
}

// New returns a Crawler. Fetcher, Sink and State are required.
func New(opts Options) (*Crawler, error) {
	if opts.Fetcher == nil || opts.Sink == nil || opts.State == nil {
		return nil, errors.New("crawler: Fetcher, Sink and State are required")
	}
	if opts.MaxItems <= 0 {
		opts.MaxItems = 100
	}
	if opts.MaxBackoff <= 0 {
		opts.MaxBackoff = 24 * time.Hour
	}
	if opts.RunBudget <= 0 {
		opts.RunBudget = 10 * time.Minute
	}
	if opts.ItemWorkers <= 0 {
		opts.ItemWorkers = 4
	}
	if opts.ExtractWorkers <= 0 {
		opts.ExtractWorkers = runtime.GOMAXPROCS(0)
	}
	if opts.ExtractTimeout <= 0 {
		opts.ExtractTimeout = 10 * time.Second
	}
	if opts.Log == nil {
		opts.Log = slog.Default()
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Extract == nil {
		opts.Extract = extract.Page
	}
	if p, ok := opts.State.(wayback.Progress); ok && opts.Backfill == nil {
		opts.Backfill = p
	}
	return &Crawler{opts: opts, extracting: make(chan struct{}, opts.ExtractWorkers),
		inflight: map[string]chan struct{}{}, shares: map[string]chan struct{}{},
		archives: wayback.NewLimiters(opts.WaybackClock)}, nil
}

// Report says what one run of a source did.
type Report struct {
	Source    string
	Announced int // items the listing announced
	New       int // articles stored for the first time
	Updated   int // known articles with a new text
	Unchanged int // known articles fetched again with the same text
	Skipped   int // off-topic items of a keep: topic source
	Failed    int // items that could not be read
	// Disallowed counts the failed items robots.txt disallows (the site's
	// wish, not a fault); LastFailure is the error of the last other one.
	Disallowed  int
	LastFailure error
	NotModified bool // the listing had not changed since the last run
	// Left counts the new items the run did not reach because its budget
	// (Budget) was used up; they are read on the next run.
	Left   int
	Budget time.Duration // set when the run budget was used up
	// GoOn says the run was cut by its budget with work it can go on with
	// at once: a backfill's captures still to fetch, or its listing's next
	// pages, paced by the archive rather than by the source's interval.
	// The scheduler starts the next run now instead of after Every.
	GoOn     bool
	Err      error
	Duration time.Duration
	Stages   Stages // where the time went
}

// Run reads src once: its listing, then every new item. It returns an
// error only when the listing could not be read (or ctx ended); items that
// fail are counted in the report and recorded with the sink. The source's
// health is saved, except when ctx ends mid-run: then nothing is marked
// done, and the next run reads the listing afresh. The listing's
// validators are saved only when every new item was handled: while items
// wait (beyond MaxItems, or after a failure that will be retried) the next
// run must read the listing again rather than take a 304 for "nothing to
// do".
//
// The run as a whole is bounded by the source's run budget (RunBudget).
// When the budget is used up while items are read, the run ends as a
// success that says so: the stored items stay, the rest are counted in
// Left and read next time. A budget used up before the listing was read
// is the run's error.
func (c *Crawler) Run(ctx context.Context, src model.Source) Report {
	start := c.opts.Now()
	rep := Report{Source: src.ID}
	budget := src.RunBudget
	if budget <= 0 {
		budget = c.opts.RunBudget
	}
	parent := ctx
	ctx, cancel := context.WithTimeoutCause(ctx, budget, errBudget)
	defer cancel()
	if src.Type == model.SourceWayback {
		return c.runWayback(ctx, parent, src, budget, start)
	}
	t := time.Now()
	st, err := c.opts.State.SourceState(ctx, src.ID)
	since(&rep.Stages.Store, t)
	if err != nil {
		rep.Err = storeErr(err)
		return rep
	}
	st.SourceID = src.ID
	items, next, err := c.list(ctx, src, &st)
	rep.Stages.Add(next.stages)
	complete, listed := true, err == nil
	if err == nil && !next.NotModified {
		rep.Announced = len(items)
		complete, err = c.items(ctx, src, items, next.fetch, &rep)
	}
	if !complete {
		next.state.ETag, next.state.LastModified, next.state.BodyHash = st.ETag, st.LastModified, st.BodyHash
	}
	if derr := c.doneDates(parent, src, next.dated); derr != nil && (err == nil || !ownFault(err)) {
		err = derr
	}
	rep.NotModified = next.NotModified
	rep.Duration = c.opts.Now().Sub(start)
	if ownFault(err) {
		// Ours, not the source's: its health stays as it was.
		rep.Err = err
		c.opts.Log.Error("run stopped: presswatch could not keep what it read", "source", src.ID, "error", err)
		return rep
	}
	if parent.Err() != nil {
		rep.Err = model.Errorf(model.ErrCanceled, "crawler: %s: stopped before the run finished", src.ID)
		return rep
	}
	if ctx.Err() != nil && context.Cause(ctx) == errBudget {
		rep.Budget = budget
		if err != nil && !listed {
			err = model.Errorf(model.ErrTimeout, "crawler: %s: run budget of %s used before the listing was read", src.ID, budget)
		} else {
			err = nil
		}
	}
	rep.Err = err
	t = time.Now()
	c.saveHealth(parent, src, st, next, err, start, rep)
	since(&rep.Stages.Store, t)
	return rep
}

// saveHealth stores the outcome of a run: validators and a clean slate on
// success; on failure the error and the time of the next try, which backs
// off exponentially and honours Retry-After.
//
// The new validators are kept only when the run succeeded: a listing that
// was fetched but could not be read must be read again next time, not
// taken for unchanged.
//
// A run that succeeded but left work keeps rep's note as the source's
// error text (its kind stays empty: the source is healthy). One whose every
// item failed is kept as model.ErrItemsFailed with the last item's error,
// so that the source does not show as ok; it is no failed run and does not
// back off, since its listing was read.
func (c *Crawler) saveHealth(ctx context.Context, src model.Source, old model.SourceState, next listState, runErr error, start time.Time, rep Report) {
	st := next.state
	if runErr != nil {
		st.ETag, st.LastModified, st.BodyHash = old.ETag, old.LastModified, old.BodyHash
	}
	st.LastFetch = start
	st.LastStatus = next.status
	if runErr == nil {
		st.LastSuccess = start
		st.ErrorKind, st.Error, st.Failures = "", rep.Note(), 0
		if rep.AllItemsFailed() {
			st.ErrorKind, st.Error = rep.itemsFailed()
		}
		st.NextDue = start.Add(src.Every)
	} else {
		st.Failures++
		st.ErrorKind, st.Error = kindOf(runErr), runErr.Error()
		if f := next.fetch; f != nil && f.ID != 0 && f.ErrorKind == "" && f.Status < 400 && st.ErrorKind != model.ErrCanceled {
			if err := c.opts.State.FetchUnreadable(ctx, f.ID, st.ErrorKind, st.Error); err != nil {
				c.opts.Log.Error("marking an unreadable listing failed", "source", src.ID, "error", err)
			}
		}
		wait := backoff(src.Every, st.Failures, c.opts.MaxBackoff)
		if ra, ok := fetch.RetryAfter(runErr); ok && ra > wait {
			wait = ra
		}
		st.NextDue = start.Add(wait)
		if until, ok := wayback.BackoffUntil(runErr); ok && until.After(st.NextDue) {
			st.NextDue = until // the web archive's back-off, kept by the backfill
		}
	}
	if err := c.opts.State.SaveSourceState(ctx, st); err != nil {
		c.opts.Log.Error("saving source state failed", "source", src.ID, "error", err)
	}
}

// backoff is every·2^(failures-1), at least every, at most limit.
func backoff(every time.Duration, failures int, limit time.Duration) time.Duration {
	f := math.Pow(2, float64(failures-1))
	d := time.Duration(float64(every) * f)
	if d <= 0 || d > limit || math.IsInf(f, 0) {
		d = limit
	}
	return max(d, every)
}

func kindOf(err error) model.ErrorKind {
	var me *model.Error
	if errors.As(err, &me) {
		return me.Kind
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return model.ErrCanceled
	}
	return model.ErrInternal
}

// errBudget is the cause of a run's context ending when its budget is used up.
var errBudget = errors.New("crawler: run budget used up")

// Note says, in words, what a run left undone within its budget; "" when
// the budget was not used up.
func (r Report) Note() string {
	if r.Budget == 0 {
		return ""
	}
	return fmt.Sprintf("run budget of %s used; %d items left for the next run", r.Budget, r.Left)
}

// AllItemsFailed reports whether the run read its listing and tried
// items, and every item it tried failed, some for another reason than
// robots.txt: the listing is healthy, the source gives nothing.
func (r Report) AllItemsFailed() bool {
	return r.Err == nil && r.Failed > r.Disallowed && r.New+r.Updated+r.Unchanged+r.Skipped == 0
}

// itemsFailed is the health kept for a run whose every item failed.
func (r Report) itemsFailed() (model.ErrorKind, string) {
	msg := fmt.Sprintf("the listing was read, but all %d items tried failed", r.Failed)
	if r.LastFailure != nil {
		msg += "; the last: " + r.LastFailure.Error()
	}
	return model.ErrItemsFailed, msg
}

// String summarises a report on one line.
func (r Report) String() string {
	s := fmt.Sprintf("%s: %d announced, %d new, %d updated, %d unchanged, %d skipped, %d failed, %s",
		r.Source, r.Announced, r.New, r.Updated, r.Unchanged, r.Skipped, r.Failed, r.Duration.Round(time.Millisecond))
	if r.NotModified {
		s += " (listing not modified)"
	}
	if n := r.Note(); n != "" {
		s += " (" + n + ")"
	}
	if r.Err != nil {
		s += ": " + r.Err.Error()
	}
	return s
}
