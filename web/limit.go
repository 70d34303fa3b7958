package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"presswatch/index"
)

// Defaults of the limits on concurrent searches (Options.MaxSearches,
// Options.MaxExports).
const (
	// searchQueueWait is how long a search past the limit waits for a
	// slot, while the queue has room, before it is answered 503 (past
	// the queue the answer is at once): long enough for a slot to come
	// free when searches take tens of milliseconds, short enough that a
	// shed request is answered within 50 ms (issue 14) with time left to
	// write the answer on loaded cores.
	searchQueueWait = 40 * time.Millisecond
	// retryAfter is the Retry-After of a 503 for load, in seconds.
	retryAfter = "1"
)

// Load is what a limit on concurrent searches has done, for metrics.
type Load struct {
	InFlight int    // requests being served now
	Waiting  int    // requests waiting for a slot now
	Shed     uint64 // requests answered 503 since the start
}

// SearchLoad counts the searches, pages and API calls under the search
// limit (Options.MaxSearches); safe to call at any time, from any goroutine.
func (s *Server) SearchLoad() Load { return s.searches.load() }

// ExportLoad counts the exports under their own limit (Options.MaxExports).
func (s *Server) ExportLoad() Load { return s.exports.load() }

// limiter admits at most cap(slots) requests at once; up to cap(queue)
// more wait, each at most wait, for a slot; the rest are shed (503). It
// also tells a search that ran while others were served or turned away
// (ticket.crowded), so its timeout is blamed on the load, not the query.
//
// With a spare slot (newLimiters gives one to searches when
// Options.Crawling is set and there are at least two slots), the last slot
// is taken only while busy() is false: while the crawl has work, a core's
// worth of CPU is left to it.
type limiter struct {
	slots chan struct{}
	spare chan struct{} // the slot left to the crawl while busy(); nil: none
	busy  func() bool   // the crawl has work; nil: never
	queue chan struct{}
	wait  time.Duration
	after func(time.Duration) <-chan time.Time // time.After; tests inject

	mu     sync.Mutex
	active map[*ticket]struct{}
	shed   atomic.Uint64
}

// ticket is one admitted request; spare says it holds the spare slot.
type ticket struct {
	crowded atomic.Bool
	spare   bool
}

// newLimiters returns the limits of opts: on searches and on exports.
// By default searches take one slot per core, so that serve's crawl keeps
// its share of the CPU: under 50 clients on two cores, four slots left
// the crawl a third of its quiet ingest rate, two left it 0.8 of it
// (BENCHMARKS.md, the load section). While Options.Crawling says the
// crawl has work, searches get one slot fewer (never none).
func newLimiters(opts Options) (searches, exports *limiter) {
	ns, ne := opts.MaxSearches, opts.MaxExports
	if ns <= 0 {
		ns = runtime.GOMAXPROCS(0)
	}
	if ne <= 0 {
		ne = runtime.GOMAXPROCS(0)
	}
	searches = newLimiter(ns, searchQueueWait)
	if opts.Crawling != nil && ns >= 2 {
		searches.slots, searches.spare, searches.busy = make(chan struct{}, ns-1), make(chan struct{}, 1), opts.Crawling
	}
	return searches, newLimiter(ne, searchQueueWait)
}

// newLimiter admits n at once with as many waiting, each up to wait.
func newLimiter(n int, wait time.Duration) *limiter {
	return &limiter{slots: make(chan struct{}, n), queue: make(chan struct{}, n), wait: wait, after: time.After,
		active: map[*ticket]struct{}{}}
}

func (l *limiter) load() Load {
	return Load{InFlight: len(l.slots) + len(l.spare), Waiting: len(l.queue), Shed: l.shed.Load()}
}

// spareSlot is the spare slot's channel when it may be taken now, nil
// (a select case never ready) when there is none or the crawl has work.
func (l *limiter) spareSlot() chan struct{} {
	if l.spare == nil || l.busy() {
		return nil
	}
	return l.spare
}

// acquire returns a ticket, or nil when the request must be shed or its
// client left while it waited. release must be called with the ticket.
func (l *limiter) acquire(ctx context.Context) *ticket {
	select {
	case l.slots <- struct{}{}:
		return l.admit(false, false)
	default:
	}
	if spare := l.spareSlot(); spare != nil {
		select {
		case spare <- struct{}{}:
			return l.admit(false, true)
		default:
		}
	}
	l.crowd()
	if l.busy != nil && l.busy() {
		// While the crawl has work, a waiting request would be woken by
		// its timer behind the crawl's goroutines and answered late:
		// past the slots it is shed at once.
		l.shed.Add(1)
		return nil
	}
	select {
	case l.queue <- struct{}{}:
	default:
		l.shed.Add(1)
		return nil
	}
	defer func() { <-l.queue }()
	select {
	case l.slots <- struct{}{}:
		return l.admit(true, false)
	case l.spareSlot() <- struct{}{}:
		return l.admit(true, true)
	case <-l.after(l.wait):
		l.shed.Add(1)
		return nil
	case <-ctx.Done():
		return nil
	}
}

// admit records a request that holds a slot (the spare one if spare);
// waited says it had to queue.
func (l *limiter) admit(waited, spare bool) *ticket {
	t := &ticket{spare: spare}
	l.mu.Lock()
	defer l.mu.Unlock()
	if waited || len(l.active) > 0 {
		t.crowded.Store(true)
		for o := range l.active {
			o.crowded.Store(true)
		}
	}
	l.active[t] = struct{}{}
	return t
}

// crowd marks every request being served as having shared the server.
func (l *limiter) crowd() {
	l.mu.Lock()
	defer l.mu.Unlock()
	for o := range l.active {
		o.crowded.Store(true)
	}
}

func (l *limiter) release(t *ticket) {
	l.mu.Lock()
	delete(l.active, t)
	l.mu.Unlock()
	if t.spare {
		<-l.spare
		return
	}
	<-l.slots
}

type ticketKey struct{}

// limit serves h under l: past the limit and its short queue, the answer
// is 503 with Retry-After, never a 400 blaming the query. Every 503 that h
// writes gets a Retry-After too (busyWriter).
//
// routes notes the path of each limited route, so that ServeHTTP admits
// or sheds its requests before anything else runs (serveLimited); h then
// finds its ticket in the request. The handler admits by itself a
// request that reached it otherwise.
func (s *Server) limit(l *limiter, h http.HandlerFunc) http.Handler {
	return limitedHandler{s: s, l: l, h: h}
}

// limitedHandler is a route under a limit (Server.limit).
type limitedHandler struct {
	s *Server
	l *limiter
	h http.HandlerFunc
}

func (lh limitedHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if t, _ := r.Context().Value(ticketKey{}).(*ticket); t != nil {
		lh.h(w, r) // admitted by serveLimited, which gave a busyWriter
		return
	}
	t := lh.l.acquire(r.Context())
	if t == nil {
		if r.Context().Err() == nil {
			lh.s.busy(w, r)
		}
		return
	}
	defer lh.l.release(t)
	lh.h(busyWriter{w}, r.WithContext(context.WithValue(r.Context(), ticketKey{}, t)))
}

// limitedRoute is a limited route's limiter and its 503, made once (New):
// a shed request costs no session lookup, no query parsing beyond the UI
// language and no rendering.
type limitedRoute struct {
	l           *limiter
	contentType []string
	body        map[string][]byte // by UI language
	length      map[string][]string
	pageLang    bool // the body is a page: Content-Language is its language
}

// limitOf is the limited route r asks for, nil if none: a GET or HEAD of
// the exact path of a route registered with Server.limit (its pattern has
// no wildcard). A request with an unclean path is left to the mux, which
// redirects it, and to limitedHandler.
func (s *Server) limitOf(r *http.Request) *limitedRoute {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return nil
	}
	return s.limited[r.URL.Path]
}

// serveLimited admits r to its route's limit before the rest of the chain
// (rebinding check, session, private check, mux) runs, or sheds it with
// the route's ready 503.
func (s *Server) serveLimited(lr *limitedRoute, w http.ResponseWriter, r *http.Request) {
	t := lr.l.acquire(r.Context())
	if t == nil {
		if r.Context().Err() == nil {
			lr.shed(w, r)
		}
		return
	}
	defer lr.l.release(t)
	s.serve(busyWriter{w}, r.WithContext(context.WithValue(r.Context(), ticketKey{}, t)))
}

var (
	retryAfterValue = []string{retryAfter}
	noStore         = []string{"no-store"}
	langValues      = map[string][]string{}
)

func init() {
	for _, l := range uiLangs {
		langValues[l] = []string{l}
	}
}

// shed writes the route's 503 in r's UI language.
func (lr *limitedRoute) shed(w http.ResponseWriter, r *http.Request) {
	lang := shedLang(r)
	h := w.Header()
	h["Retry-After"] = retryAfterValue
	h["Cache-Control"] = noStore
	h["Content-Type"] = lr.contentType
	h["Content-Length"] = lr.length[lang]
	if lr.pageLang {
		h["Content-Language"] = langValues[lang]
	}
	w.WriteHeader(http.StatusServiceUnavailable)
	if r.Method != http.MethodHead {
		w.Write(lr.body[lang])
	}
}

// shedLang is uiLang without parsing the query when nothing in r can
// choose a language (no ui= in the query, no cookie, no Accept-Language).
func shedLang(r *http.Request) string {
	if strings.Contains(r.URL.RawQuery, uiParam+"=") || len(r.Header["Cookie"]) > 0 || len(r.Header["Accept-Language"]) > 0 {
		return uiLang(r)
	}
	return uiLangs[0]
}

// limitRoute makes the limited route of path under l, with its 503 in
// every UI language as busy would write it for a request of path with no
// query and no session.
func (s *Server) limitRoute(path string, l *limiter) (*limitedRoute, error) {
	lr := &limitedRoute{l: l, body: map[string][]byte{}, length: map[string][]string{}}
	for _, lang := range uiLangs {
		r := &http.Request{Method: http.MethodGet, URL: &url.URL{Path: path}, Header: http.Header{"Accept-Language": {lang}}}
		rec := &recorder{header: http.Header{}}
		s.busy(rec, r)
		if rec.status != http.StatusServiceUnavailable {
			return nil, fmt.Errorf("web: the 503 of %s (%s) is %d", path, lang, rec.status)
		}
		lr.contentType = rec.header["Content-Type"]
		_, lr.pageLang = rec.header["Content-Language"]
		lr.body[lang] = rec.body.Bytes()
		lr.length[lang] = []string{strconv.Itoa(rec.body.Len())}
	}
	return lr, nil
}

// recorder is the ResponseWriter the ready 503s are written into.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }
func (r *recorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
}
func (r *recorder) Write(b []byte) (int, error) {
	r.WriteHeader(http.StatusOK)
	return r.body.Write(b)
}

// busy answers a request the server has no room for.
func (s *Server) busy(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Retry-After", retryAfter)
	msg := translate(uiLang(r), "sp.err.busy")
	switch {
	case strings.HasPrefix(r.URL.Path, "/api/"):
		writeError(w, http.StatusServiceUnavailable, msg)
	case strings.HasSuffix(r.URL.Path, ".csv"), strings.HasSuffix(r.URL.Path, ".jsonl"), strings.HasSuffix(r.URL.Path, ".atom"):
		http.Error(w, msg, http.StatusServiceUnavailable)
	default:
		s.errorPage(w, r, http.StatusServiceUnavailable, msg)
	}
}

// busyWriter adds Retry-After to a 503 (load or start-up) without one.
type busyWriter struct{ http.ResponseWriter }

func (w busyWriter) WriteHeader(status int) {
	if status == http.StatusServiceUnavailable && w.Header().Get("Retry-After") == "" {
		w.Header().Set("Retry-After", retryAfter)
	}
	w.ResponseWriter.WriteHeader(status)
}

// Unwrap lets http.ResponseController reach the connection (exports set
// write deadlines and flush through it).
func (w busyWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// busyError is a search that ran out of time while the server was
// serving others: the load's fault, answered 503, not the query's.
type busyError struct{ err error }

// Error says what a client should do; the search's own error, which
// would tell it to narrow the query, is left to Unwrap.
func (e *busyError) Error() string {
	return "web: the server is busy with other searches; try again in a moment"
}

func (e *busyError) Unwrap() error { return e.err }

// loadAware is the Searcher the handlers use: a search that timed out
// while it shared the server (its ticket is crowded) becomes a
// *busyError; one that ran alone keeps its error, which tells the user
// to narrow the query.
type loadAware struct{ Searcher }

func (s loadAware) Search(ctx context.Context, req index.Request) (*index.Result, error) {
	res, err := s.Searcher.Search(ctx, req)
	if err != nil {
		return nil, blameLoad(ctx, err)
	}
	return res, nil
}

// blameLoad turns err, from a search run with ctx, into a *busyError when
// the search timed out while the server was serving others.
func blameLoad(ctx context.Context, err error) error {
	if timedOut(err) {
		if t, _ := ctx.Value(ticketKey{}).(*ticket); t != nil && t.crowded.Load() {
			return &busyError{err}
		}
	}
	return err
}

// timedOut says whether err is a search that ran out of time: the web's
// deadline, or the index's own, which index.Search reports as a
// *index.QueryError "took longer than ..." (pinned by
// TestTimedOutKnowsTheIndexTimeout).
func timedOut(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var qe *index.QueryError
	return errors.As(err, &qe) && qe.Err != nil && strings.Contains(qe.Err.Error(), "took longer than")
}
