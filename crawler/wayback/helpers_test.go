package wayback

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"presswatch/crawler/extract"
	"presswatch/crawler/fetch"
	"presswatch/internal/ingest"
	"presswatch/internal/model"
	"presswatch/internal/store"
)

// fakeClock moves only when slept on.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sleeps = append(c.sleeps, d)
	c.now = c.now.Add(d)
	return ctx.Err()
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// capture is one capture the fake archive holds.
type capture struct {
	ts, url, digest, body string
}

// fakeArchive is a CDX server and playback on 127.0.0.1. It pages its
// listing by the limit asked, with the offset as resume key, and records
// every request (with the fake clock's time) and every capture fetched.
type fakeArchive struct {
	t     *testing.T
	clock *fakeClock
	srv   *httptest.Server

	mu        sync.Mutex
	caps      []capture
	extra     []capture        // served by the playback but not listed
	n         int              // requests to the listing and the playback
	reject    map[int]string   // request number -> Retry-After of a 429 ("" none); "503" for a 503
	cdx       func(int) string // when set, the body of the n-th listing request instead
	times     []time.Time      // the clock at each request
	all       []time.Time      // the clock at every request, robots.txt included
	robots    int              // robots.txt requests
	robots429 bool             // robots.txt answers 429
	queries   []url.Values     // the listing requests
	fetched   map[string]int   // playback requests by "ts url"
	onFetch   func(key string) // called before a playback answer
}

func newArchive(t *testing.T, clock *fakeClock, caps []capture) *fakeArchive {
	a := &fakeArchive{t: t, clock: clock, caps: caps, reject: map[int]string{}, fetched: map[string]int{}}
	a.srv = httptest.NewServer(http.HandlerFunc(a.serve))
	t.Cleanup(a.srv.Close)
	return a
}

func (a *fakeArchive) serve(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	a.all = append(a.all, a.clock.Now())
	if r.URL.Path == "/robots.txt" {
		a.robots++
		limited := a.robots429
		a.mu.Unlock()
		if limited {
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		http.NotFound(w, r)
		return
	}
	a.n++
	n := a.n
	a.times = append(a.times, a.clock.Now())
	rej, rejected := a.reject[n]
	a.mu.Unlock()
	if rejected {
		if rej == "503" {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		if rej != "" {
			w.Header().Set("Retry-After", rej)
		}
		w.WriteHeader(http.StatusTooManyRequests)
		return
	}
	switch {
	case r.URL.Path == "/cdx/search/cdx":
		a.list(w, r)
	case strings.HasPrefix(r.URL.Path, "/web/"):
		a.play(w, r)
	default:
		http.NotFound(w, r)
	}
}

func (a *fakeArchive) list(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	a.mu.Lock()
	a.queries = append(a.queries, q)
	nq := len(a.queries)
	a.mu.Unlock()
	if a.cdx != nil {
		fmt.Fprint(w, a.cdx(nq))
		return
	}
	start, _ := strconv.Atoi(q.Get("resumeKey"))
	limit, _ := strconv.Atoi(q.Get("limit"))
	rows := [][]string{{"urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length"}}
	end := min(start+limit, len(a.caps))
	for _, c := range a.caps[start:end] {
		rows = append(rows, []string{"kz,x)/", c.ts, c.url, "text/html", "200", c.digest, "1000"})
	}
	if end < len(a.caps) {
		rows = append(rows, []string{}, []string{strconv.Itoa(end)})
	}
	w.Header().Set("Content-Type", "application/json")
	var b strings.Builder
	b.WriteString("[")
	for i, row := range rows {
		if i > 0 {
			b.WriteString(",\n")
		}
		b.WriteString("[")
		for j, f := range row {
			if j > 0 {
				b.WriteString(",")
			}
			b.WriteString(strconv.Quote(f))
		}
		b.WriteString("]")
	}
	b.WriteString("]\n")
	fmt.Fprint(w, b.String())
}

func (a *fakeArchive) play(w http.ResponseWriter, r *http.Request) {
	ts, orig, ok := strings.Cut(strings.TrimPrefix(r.URL.RequestURI(), "/web/"), "id_/")
	if !ok {
		http.Error(w, "want the id_ form", http.StatusBadRequest)
		return
	}
	k := ts + " " + orig
	a.mu.Lock()
	a.fetched[k]++
	on := a.onFetch
	a.mu.Unlock()
	if on != nil {
		on(k)
	}
	for _, c := range append(a.caps[:len(a.caps):len(a.caps)], a.extra...) {
		if c.ts == ts && c.url == orig && strings.HasPrefix(c.body, "redirect:") {
			w.Header().Set("Location", "/web/"+strings.TrimPrefix(c.body, "redirect:")+"id_/"+orig) // http.Redirect would clean the //
			w.WriteHeader(http.StatusFound)
			return
		}
		if c.ts == ts && c.url == orig {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, c.body)
			return
		}
	}
	http.NotFound(w, r)
}

// twice returns the captures fetched more than once.
func (a *fakeArchive) twice() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	var out []string
	for k, n := range a.fetched {
		if n > 1 {
			out = append(out, fmt.Sprintf("%s ×%d", k, n))
		}
	}
	return out
}

func (a *fakeArchive) requests() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.n
}

// article is a news page extract reads as an article.
func article(title, topic string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>%s</title>"+
		"<meta property=\"article:published_time\" content=\"2011-12-17T09:00:00Z\"></head><body><nav><a href=\"/\">Home</a></nav><article><h1>%s</h1>", title, title)
	for i := range 6 {
		fmt.Fprintf(&b, "<p>Paragraph %d of the report on %s. Oil workers in the west of the country gathered on the square "+
			"for the seventh month of their strike, and the police answered; witnesses told the paper what they saw that morning.</p>", i+1, topic)
	}
	b.WriteString("</article><footer>© the paper</footer></body></html>")
	return b.String()
}

// captures makes n captures of distinct pages about topic.
func captures(n int, topic string) []capture {
	out := make([]capture, n)
	for i := range out {
		out[i] = capture{ts: fmt.Sprintf("201112%02d100000", i+1), url: fmt.Sprintf("http://x.kz/news/%d.html", i+1),
			digest: fmt.Sprintf("D%d", i+1), body: article(fmt.Sprintf("Report %d", i+1), topic)}
	}
	return out
}

// world is a backfill's surroundings: the store, ingest, a fetcher.
type world struct {
	t       *testing.T
	path    string
	st      *store.Store
	sink    *recSink
	clock   *fakeClock
	archive *fakeArchive
}

// recSink is ingest, keeping the documents it was given.
type recSink struct {
	in   *ingest.Ingester
	mu   sync.Mutex
	docs []*model.Document
	put  func(*model.Document)
}

func (s *recSink) Put(ctx context.Context, src model.Source, d *model.Document) (model.Outcome, *model.Article, error) {
	o, a, err := s.in.Put(ctx, src, d)
	s.mu.Lock()
	s.docs = append(s.docs, d)
	put := s.put
	s.mu.Unlock()
	if put != nil {
		put(d)
	}
	return o, a, err
}

// topicMatcher matches articles that name Zhanaozen.
type topicMatcher struct{}

func (topicMatcher) Match(a *model.Article) ([]string, error) {
	if strings.Contains(a.Text, "Zhanaozen") {
		return []string{"zhanaozen"}, nil
	}
	return nil, nil
}

func newWorld(t *testing.T, caps []capture) *world {
	w := &world{t: t, path: filepath.Join(t.TempDir(), "presswatch.db"),
		clock: &fakeClock{now: time.Date(2026, 12, 3, 7, 0, 0, 0, time.UTC)}}
	w.archive = newArchive(t, w.clock, caps)
	w.reopen()
	return w
}

// reopen opens the store afresh, as a restarted presswatch does.
func (w *world) reopen() {
	if w.st != nil {
		w.st.Close()
	}
	st, err := store.Open(context.Background(), w.path)
	if err != nil {
		w.t.Fatal(err)
	}
	w.t.Cleanup(func() { st.Close() })
	w.st = st
	w.sink = &recSink{in: ingest.New(st, topicMatcher{}, nil)}
}

func (w *world) source(keep model.Keep) model.Source {
	return model.Source{ID: "x-2011", Name: "X", Type: model.SourceWayback, URL: "x.kz/news/", Keep: keep, Every: time.Hour,
		AllowPrivate: true, Stance: model.StanceIndependent,
		Wayback: &model.Wayback{From: time.Date(2011, 12, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2012, 12, 31, 0, 0, 0, 0, time.UTC),
			Endpoint: w.archive.srv.URL, Rate: 0.4}}
}

// options are a fresh process's: a new fetcher and pacer, the fake clock.
func (w *world) options(pageSize int) Options {
	f, err := fetch.New(fetch.Options{UserAgent: "presswatch-test", MinDelay: time.Millisecond, Timeout: 5 * time.Second})
	if err != nil {
		w.t.Fatal(err)
	}
	return Options{Fetcher: f, Limiter: NewPacer(0.4, w.clock), Progress: w.st, Sink: w.sink, Fetches: w.st,
		Extract: func(_ context.Context, _ string, body []byte, ct, u string) (*extract.Result, error) {
			html, _, err := fetch.DecodeHTML(body, ct)
			if err != nil {
				return nil, err
			}
			return extract.Page(html, u)
		},
		PageSize: pageSize, Now: w.clock.Now}
}

// run runs src once, bounded.
func (w *world) run(ctx context.Context, src model.Source, opts Options) (Report, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	return Run(ctx, src, opts)
}
