package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"presswatch/internal/model"
	"presswatch/internal/store"
)

// The backfill section runs `presswatch crawl` on a wayback source against
// a loopback fake of the Internet Archive's CDX server and playback: 2,000
// captures of 200 URLs, killed with SIGKILL part way, restarted, stopped by
// a 429 burst, restarted inside the back-off, and finished. The fake
// records every request, so the figures are the archive's view: the rate
// it saw, the captures it served twice, the requests made while presswatch
// was told to wait.

const (
	backfillURLs     = 200
	backfillPerURL   = 10
	backfillRate     = 10 // requests a second, the most a configuration may ask
	backfillKillAt   = 500
	backfillBurstAt  = 1000 // the playback request that starts the 429 burst
	backfillBurstLen = 5
	backfillRetry    = 2 * time.Hour // the burst's Retry-After
)

func backfillSection() Section {
	return Section{
		Key:     "backfill",
		Name:    "Backfilling from a web archive: pace, a 429 burst and a resume after SIGKILL",
		Command: "go run ./cmd/presswatch-bench -only backfill",
		Run:     runBackfill,
	}
}

// fakeWayback is the archive: listing pages by offset, playback of each
// capture (a 404 for some), and from the backfillBurstAt-th capture on a
// burst of 429s to every request (robots.txt too) until backfillBurstLen
// were sent or the bench ends it (the hour presswatch waits).
type fakeWayback struct {
	caps  []model.WaybackCapture
	pages map[string]string // capture key -> body; missing: 404

	mu       sync.Mutex
	times    []time.Time // every request's arrival
	plays    map[string]int
	played   int // playback requests answered
	burst    int // 429s left to send; -1 once the burst began
	burstAt  time.Time
	rejected int
}

func newFakeWayback() *fakeWayback {
	f := &fakeWayback{pages: map[string]string{}, plays: map[string]int{}}
	for u := range backfillURLs {
		orig := fmt.Sprintf("http://x.kz/news/%03d.html", u)
		digest := ""
		for i := range backfillPerURL {
			ts := time.Date(2011, 12, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(u)*time.Hour + time.Duration(i)*36*time.Hour).Format("20060102150405")
			if i%5 != 4 { // every fifth capture has the content of the one before: listed, never fetched
				digest = fmt.Sprintf("D%03d-%d", u, i)
			}
			c := model.WaybackCapture{Timestamp: ts, Original: orig, Digest: digest}
			f.caps = append(f.caps, c)
			if (u*7+i)%20 == 0 {
				continue // the archive lost it: a 404
			}
			topic := "the weather in the west of the country"
			if u%2 == 0 {
				topic = "the strike in Zhanaozen"
			}
			var b strings.Builder
			fmt.Fprintf(&b, "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Report %d</title>"+
				"<meta property=\"article:published_time\" content=\"2011-12-17T09:00:00Z\"></head><body><article><h1>Report %d</h1>", u, u)
			for p := range 6 {
				fmt.Fprintf(&b, "<p>Paragraph %d of report %d on %s, as the page read in capture %s. Witnesses told the paper what they saw that morning on the square.</p>", p+1, u, topic, digest)
			}
			b.WriteString("</article></body></html>")
			f.pages[ts+" "+orig] = b.String()
		}
	}
	return f
}

func (f *fakeWayback) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.times = append(f.times, time.Now())
	play := strings.HasPrefix(r.URL.Path, "/web/")
	if play {
		f.played++
		if f.played == backfillBurstAt && f.burst == 0 {
			f.burst, f.burstAt = backfillBurstLen, time.Now()
		}
	}
	reject := f.burst > 0
	if reject {
		f.burst--
		f.rejected++
		if f.burst == 0 {
			f.burst = -1
		}
	}
	f.mu.Unlock()
	switch {
	case reject:
		w.Header().Set("Retry-After", strconv.Itoa(int(backfillRetry/time.Second)))
		w.WriteHeader(http.StatusTooManyRequests)
	case r.URL.Path == "/robots.txt":
		http.NotFound(w, r)
	case r.URL.Path == "/cdx/search/cdx":
		f.list(w, r)
	case play:
		ts, orig, _ := strings.Cut(strings.TrimPrefix(r.URL.RequestURI(), "/web/"), "id_/")
		k := ts + " " + orig
		f.mu.Lock()
		f.plays[k]++
		f.mu.Unlock()
		body, ok := f.pages[k]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(body))
	default:
		http.NotFound(w, r)
	}
}

func (f *fakeWayback) list(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	start, _ := strconv.Atoi(q.Get("resumeKey"))
	limit, _ := strconv.Atoi(q.Get("limit"))
	end := min(start+max(limit, 1), len(f.caps))
	var b strings.Builder
	b.WriteString(`[["urlkey","timestamp","original","mimetype","statuscode","digest","length"]`)
	for _, c := range f.caps[start:end] {
		fmt.Fprintf(&b, `,["kz,x)/news/%s",%q,%q,"text/html","200",%q,"4000"]`, strings.TrimPrefix(c.Original, "http://x.kz/news/"), c.Timestamp, c.Original, c.Digest)
	}
	if end < len(f.caps) {
		fmt.Fprintf(&b, `,[],["%d"]`, end)
	}
	b.WriteString("]")
	w.Header().Set("Content-Type", "application/json")
	w.Write([]byte(b.String()))
}

func (f *fakeWayback) counts() (requests, played int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.times), f.played
}

// twice counts the captures served more than once, and the extra fetches.
func (f *fakeWayback) twice() (caps, extra int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, n := range f.plays {
		if n > 1 {
			caps++
			extra += n - 1
		}
	}
	return caps, extra
}

// fastest is the most requests that arrived in any window of w, ÷ w in
// seconds, and the shortest gap between two requests.
func (f *fakeWayback) fastest(w time.Duration) (perSec float64, gap time.Duration) {
	f.mu.Lock()
	times := slices.Clone(f.times)
	f.mu.Unlock()
	gap = time.Hour
	most := 0
	j := 0
	for i := range times {
		if i > 0 {
			gap = min(gap, times[i].Sub(times[i-1]))
		}
		for times[i].Sub(times[j]) >= w {
			j++
		}
		most = max(most, i-j+1)
	}
	return float64(most) / w.Seconds(), gap
}

// backfillRun is what one run of the section saw.
type backfillRun struct {
	listed, toFetch, fetched, twice, extra int
	stored                                 int
	perMinute, rate10, rate1               float64
	gap                                    time.Duration
	inBackoff                              int // requests the restart inside the back-off made
	rejected                               int // 429s the archive sent
	backoff                                time.Duration
	wall                                   time.Duration // of the three crawls that fetched
	killedAfter                            int
}

func runBackfill(ctx context.Context, e *Env) ([]Figure, error) {
	var runs []backfillRun
	for i := range e.Runs {
		r, err := backfillOnce(ctx, e, i)
		if err != nil {
			return nil, err
		}
		e.Log.Info("backfill run", "run", i+1, "fetched", r.fetched, "twice", r.twice, "per_minute", r.perMinute, "rate10", r.rate10, "in_backoff", r.inBackoff)
		runs = append(runs, r)
	}
	col := func(fn func(backfillRun) float64) []float64 {
		out := make([]float64, len(runs))
		for i, r := range runs {
			out[i] = fn(r)
		}
		return out
	}
	load := loadAverage()
	shape := fmt.Sprintf("a wayback source (url x.kz/news/, keep: topic, rate: %d) read by `presswatch crawl` from a loopback fake of the CDX server and playback holding %d captures of %d URLs: every fifth capture of a URL has the digest of the one before (listed, never fetched), one in twenty answers 404, half the URLs are about Zhanaozen (the others are off-topic: fetched, not stored); the listing is paged 500 to a page with resume keys; the first crawl is killed with SIGKILL after %d captures were served, a second goes on until the archive answers %d 429s (Retry-After %s) from the %dth capture on, a third starts at once inside the back-off, then the bench moves the stored back-off to its end (the hour the archive asked for, not waited) and a fourth finishes; the machine's load average at the end: %s",
		backfillRate, backfillURLs*backfillPerURL, backfillURLs, backfillKillAt, backfillBurstLen, backfillRetry, backfillBurstAt, load)
	return []Figure{
		{Name: "requests the archive saw in its busiest minute", Runs: col(func(r backfillRun) float64 { return r.perMinute }),
			Goal:  &Target{Max: 60*backfillRate + 1, Text: fmt.Sprintf("under the configured rate: at most %d, %d a second and the pacer's burst of one", 60*backfillRate+1, backfillRate)},
			Notes: "every request the fake received (robots.txt, listing pages, captures, the 429s), counted in the busiest 60 s window; " + shape},
		{Name: "highest request rate the archive saw, over any 10 s", Unit: "requests/s", Runs: col(func(r backfillRun) float64 { return r.rate10 }),
			Notes: fmt.Sprintf("the busiest 10 s window ÷ 10; a pacer of %d a second with a burst of one lets %d through in a window whose ends it both touches", backfillRate, 10*backfillRate+1)},
		{Name: "highest request rate the archive saw, over any 1 s", Unit: "requests/s", Runs: col(func(r backfillRun) float64 { return r.rate1 }),
			Notes: "the busiest 1 s window of the same requests, as they arrived (arrival jitter can put one more in a window than the client sent)"},
		{Name: "shortest gap between two requests", Unit: "ms", Runs: col(func(r backfillRun) float64 { return float64(r.gap.Microseconds()) / 1000 }),
			Notes: fmt.Sprintf("at %d a second the pacer gives a turn every %s; a request whose goroutine waited for a core after its turn reaches the server just before the next one's, which is why the minute's count, not the gap, is the figure with the target", backfillRate, time.Second/backfillRate)},
		{Name: "captures fetched ÷ captures to fetch", Runs: col(func(r backfillRun) float64 { return float64(r.fetched) / float64(r.toFetch) }),
			Goal:  &Target{Min: 1, Max: 1, Text: "every capture listed, duplicates by digest left out, fetched once"},
			Notes: "distinct captures the playback served (404s included) ÷ captures listed with a digest not listed before for their URL"},
		{Name: "captures fetched twice", Runs: col(func(r backfillRun) float64 { return float64(r.twice) }),
			Goal:  &Target{Max: 0.5, Text: "none, across the SIGKILL, the 429s and three restarts"},
			Notes: "captures the playback served more than once over the four crawls (a capture whose bytes came before the SIGKILL but was not yet stored is read back from presswatch's WARC archive)"},
		{Name: "requests made inside the back-off", Runs: col(func(r backfillRun) float64 { return float64(r.inBackoff) }),
			Goal:  &Target{Max: 0.5, Text: "none: a 429 stops the backfill, and the stored back-off holds across a restart"},
			Notes: "requests the fake received from the first 429 until the bench moved the stored back-off to its end (the third crawl, started inside it, included)"},
		{Name: "429s answered before presswatch stopped", Runs: col(func(r backfillRun) float64 { return float64(r.rejected) }),
			Goal: &Target{Max: 1, Text: "one: the first 429 stops the source"}},
		{Name: "time lost to the 429 back-off", Unit: "h", Runs: col(func(r backfillRun) float64 { return r.backoff.Hours() }),
			Notes: fmt.Sprintf("the back-off presswatch stored at the first 429: the longer of its own (an hour, doubling on repeat) and the archive's Retry-After (%s); the bench does not wait it", backfillRetry)},
		{Name: "articles stored", Runs: col(func(r backfillRun) float64 { return float64(r.stored) }),
			Notes: "the on-topic captures that answered 200, as articles of provenance archive"},
		{Name: "wall time of the crawls that fetched", Unit: "s", Runs: col(func(r backfillRun) float64 { return r.wall.Seconds() }),
			Notes: fmt.Sprintf("the first (killed), second and fourth crawls, start to exit; at %d a second the %d captures to fetch and the listing's %d pages take at least %.0f s",
				backfillRate, runs[0].toFetch, pagesOf(runs[0].listed), float64(runs[0].toFetch+pagesOf(runs[0].listed))/backfillRate)},
	}, nil
}

// pagesOf is how many listing pages of 500 list n captures.
func pagesOf(n int) int { return (n + 499) / 500 }

// backfillOnce runs the four crawls of one run in a fresh data folder.
func backfillOnce(ctx context.Context, e *Env, n int) (backfillRun, error) {
	var r backfillRun
	fake := newFakeWayback()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return r, err
	}
	srv := &http.Server{Handler: fake, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	defer srv.Close()
	dir := filepath.Join(e.Work, fmt.Sprintf("backfill-%d", n))
	data := filepath.Join(dir, "data")
	if err := os.MkdirAll(data, 0o755); err != nil {
		return r, err
	}
	defer os.RemoveAll(dir)
	cfg := filepath.Join(dir, "presswatch.yaml")
	if err := os.WriteFile(cfg, []byte(fmt.Sprintf(`contact: https://presswatch.test/bench
crawl: {workers: 4, per_host: 1, min_delay: 1ms, timeout: 10s, run_budget: 30m}
topics:
  - {id: zhanaozen, query: Zhanaozen}
sources:
  - {id: x-2011, type: wayback, url: x.kz/news/, from: 2011-12-01, to: 2012-12-31, endpoint: "http://%s", rate: %d, allow_private: true, every: 1h}
`, ln.Addr(), backfillRate)), 0o644); err != nil {
		return r, err
	}
	var last string // the last crawl's stderr, for an error
	crawl := func(stopWhen func() bool) (time.Duration, error) {
		ctx, cancel := context.WithTimeout(ctx, 20*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, e.Bin, "crawl", "--config", cfg, "--data", data, "--log-level", "error", "--max-time", "20m")
		cmd.Env = e.childEnv("crawl")
		var stderr strings.Builder
		cmd.Stderr = &stderr
		start := time.Now()
		if err := cmd.Start(); err != nil {
			return 0, err
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		defer func() { last = stderr.String() }()
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case err := <-done:
				var ee *exec.ExitError
				if err != nil && !errors.As(err, &ee) {
					return 0, err
				}
				return time.Since(start), nil // a source that ends backing off exits non-zero: expected here
			case <-tick.C:
				if stopWhen != nil && stopWhen() {
					cmd.Process.Signal(syscall.SIGKILL)
					<-done
					return time.Since(start), nil
				}
			}
		}
	}
	// 1: killed part way.
	w1, err := crawl(func() bool { _, p := fake.counts(); return p >= backfillKillAt })
	if err != nil {
		return r, fmt.Errorf("backfill: first crawl: %w", err)
	}
	_, r.killedAfter = fake.counts()
	// 2: goes on until the 429 burst stops it.
	w2, err := crawl(nil)
	if err != nil {
		return r, fmt.Errorf("backfill: second crawl: %w", err)
	}
	fake.mu.Lock()
	burstAt, began := fake.burstAt, fake.burst != 0
	fake.mu.Unlock()
	if !began {
		return r, errors.New("backfill: the second crawl ended before the 429 burst")
	}
	st, err := store.Open(ctx, filepath.Join(data, "presswatch.db"))
	if err != nil {
		return r, err
	}
	p, err := st.WaybackProgress(ctx, "x-2011")
	st.Close()
	if err != nil {
		return r, err
	}
	r.backoff = p.BackoffUntil.Sub(burstAt)
	// 3: inside the back-off.
	if _, err := crawl(nil); err != nil {
		return r, fmt.Errorf("backfill: third crawl: %w", err)
	}
	fake.mu.Lock()
	for _, t := range fake.times {
		if t.After(burstAt) {
			r.inBackoff++
		}
	}
	r.rejected = fake.rejected
	fake.mu.Unlock()
	// The hour passes: the burst is over, and the back-off's end is moved
	// to now, its count kept.
	fake.mu.Lock()
	fake.burst = -1
	fake.mu.Unlock()
	if st, err = store.Open(ctx, filepath.Join(data, "presswatch.db")); err != nil {
		return r, err
	}
	err = st.WaybackBackoff(ctx, "x-2011", time.Time{}, p.Backoffs)
	st.Close()
	if err != nil {
		return r, err
	}
	// 4: to the end.
	w4, err := crawl(nil)
	if err != nil {
		return r, fmt.Errorf("backfill: fourth crawl: %w", err)
	}
	r.wall = w1 + w2 + w4
	if st, err = store.Open(ctx, filepath.Join(data, "presswatch.db")); err != nil {
		return r, err
	}
	defer st.Close()
	if p, err = st.WaybackProgress(ctx, "x-2011"); err != nil {
		return r, err
	}
	if !p.Done || p.Remaining != 0 {
		return r, fmt.Errorf("backfill: after the fourth crawl the backfill is not done: %+v; the crawl said: %s", p, tail(last))
	}
	c, err := st.Counts(ctx)
	if err != nil {
		return r, err
	}
	r.stored = c.Articles
	r.listed = len(fake.caps)
	seen := map[string]bool{}
	for _, cp := range fake.caps {
		if !seen[cp.Original+" "+cp.Digest] {
			r.toFetch++
		}
		seen[cp.Original+" "+cp.Digest] = true
	}
	fake.mu.Lock()
	r.fetched = len(fake.plays)
	fake.mu.Unlock()
	r.twice, r.extra = fake.twice()
	perMinute, _ := fake.fastest(time.Minute)
	r.perMinute = perMinute * 60
	r.rate10, _ = fake.fastest(10 * time.Second)
	r.rate1, r.gap = fake.fastest(time.Second)
	return r, nil
}
