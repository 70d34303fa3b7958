package wayback

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"presswatch/crawler/extract"
	"presswatch/internal/model"
)

func TestBackfillPagesThroughTheListing(t *testing.T) {
	w := newWorld(t, captures(7, "Zhanaozen"))
	src := w.source(model.KeepAll)
	rep, err := w.run(context.Background(), src, w.options(3))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Listed != 7 || rep.New != 7 || rep.Failed != 0 {
		t.Errorf("report = %+v, want 7 listed and 7 new", rep)
	}
	// Three pages of three: the second and third ask from the resume key.
	qs := w.archive.queries
	if len(qs) != 3 || qs[0].Get("resumeKey") != "" || qs[1].Get("resumeKey") != "3" || qs[2].Get("resumeKey") != "6" {
		t.Fatalf("listing requests = %v, want 3 paged by resumeKey 3 then 6", qs)
	}
	q := qs[0]
	for k, want := range map[string]string{"url": "x.kz/news/", "matchType": "prefix", "output": "json", "from": "20111201",
		"to": "20121231", "collapse": "digest", "showResumeKey": "true", "limit": "3"} {
		if q.Get(k) != want {
			t.Errorf("listing asked %s=%q, want %q", k, q.Get(k), want)
		}
	}
	if f := q["filter"]; len(f) != 2 || f[0] != "statuscode:200" || f[1] != "mimetype:text/html" {
		t.Errorf("listing filters = %q", f)
	}
	if tw := w.archive.twice(); len(tw) != 0 || len(w.archive.fetched) != 7 {
		t.Errorf("captures fetched = %v, twice: %v", w.archive.fetched, tw)
	}
	// Each document is the archive's capture, its fetch saying when and where.
	d := w.sink.docs[0]
	wantCapture := w.archive.srv.URL + "/web/20111201100000/http://x.kz/news/1.html"
	if d.Provenance != model.ProvenanceArchive || d.URL != "http://x.kz/news/1.html" || d.Fetch == nil ||
		d.Fetch.URL != "http://x.kz/news/1.html" || d.Fetch.Capture != wantCapture || d.Fetch.Status != 200 || d.Fetch.SHA256 == "" ||
		!d.Fetch.CapturedAt.Equal(time.Date(2011, 12, 1, 10, 0, 0, 0, time.UTC)) || d.Fetch.ID == 0 || !strings.Contains(d.Text, "Paragraph 6") {
		t.Errorf("document = %+v\nfetch %+v", d, d.Fetch)
	}
	a, err := w.st.ArticleByURL(context.Background(), "http://x.kz/news/1.html")
	if err != nil || a.Provenance != model.ProvenanceArchive {
		t.Errorf("stored article = %+v, %v", a, err)
	}
	p := rep.Progress
	if !p.Done || p.Listed != 7 || p.Fetched != 7 || p.Stored != 7 || p.Remaining != 0 || p.Pages != 3 {
		t.Errorf("progress = %+v", p)
	}
	// A finished backfill asks the archive nothing more.
	n := w.archive.requests()
	if rep, err := w.run(context.Background(), src, w.options(3)); err != nil || rep.Fetched() != 0 || w.archive.requests() != n {
		t.Errorf("a run after the end: %+v, %v, %d requests more", rep, err, w.archive.requests()-n)
	}
}

// Every request the archive sees keeps to the rate: its robots.txt, the
// listing pages, the captures and a redirect's second hop.
func TestBackfillKeepsToTheRate(t *testing.T) {
	caps := captures(5, "Zhanaozen")
	near := capture{ts: "20111219120000", url: caps[4].url, digest: "N", body: caps[4].body}
	caps[4].body = "redirect:" + near.ts
	w := newWorld(t, caps)
	w.archive.extra = []capture{near}
	start := w.clock.Now()
	opts := w.options(2)
	if rep, err := w.run(context.Background(), w.source(model.KeepAll), opts); err != nil || rep.New != 5 {
		t.Fatal(rep, err)
	}
	all := w.archive.all
	// robots.txt, 3 listing pages, 5 captures and the redirect's hop
	if len(all) != 10 || w.archive.robots != 1 {
		t.Fatalf("%d requests (%d of robots.txt), want 10 with one robots.txt", len(all), w.archive.robots)
	}
	if !all[0].Equal(start) {
		t.Errorf("the first request waited %s", all[0].Sub(start))
	}
	for i := 1; i < len(all); i++ {
		if gap := all[i].Sub(all[i-1]); gap < 2500*time.Millisecond {
			t.Errorf("requests %d and %d came %s apart; at 0.4 a second they must be 2.5s apart", i, i+1, gap)
		}
	}
}

func TestPacerLetsOneThroughPerGap(t *testing.T) {
	clock := &fakeClock{now: time.Date(2026, 12, 3, 7, 0, 0, 0, time.UTC)}
	p := NewPacer(2, clock)
	for range 5 {
		if err := p.Wait(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if got := clock.now.Sub(time.Date(2026, 12, 3, 7, 0, 0, 0, time.UTC)); got != 2*time.Second || len(clock.sleeps) != 4 {
		t.Errorf("5 requests at 2/s took %s in %d waits, want 2s in 4", got, len(clock.sleeps))
	}
	// Two sources of one archive share its pace, at the slower rate.
	ls := NewLimiters(clock)
	if a, b := ls.For("https://web.archive.org", 1), ls.For("https://web.archive.org", 0.5); a != b || a.lim.Limit() != 0.5 {
		t.Errorf("one endpoint's pacers: %p %p, rate %v", a, b, a.lim.Limit())
	}
	// A turn past the deadline is refused at once.
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if err := NewPacer(0.1, clock).Wait(ctx); err != nil {
		t.Fatalf("first turn: %v", err)
	}
	p = NewPacer(0.1, clock)
	p.Wait(ctx)
	if err := p.Wait(ctx); !errors.Is(err, ErrPastDeadline) {
		t.Errorf("a turn 10s away within a 1s deadline: %v", err)
	}
}

func TestBackfillBacksOffOn429(t *testing.T) {
	w := newWorld(t, captures(5, "Zhanaozen"))
	src := w.source(model.KeepAll)
	w.archive.reject[3] = "7200" // the second capture: 429, Retry-After two hours
	rep, err := w.run(context.Background(), src, w.options(10))
	until, ok := BackoffUntil(err)
	if !ok || kindOf(err) != model.ErrRateLimited || !strings.Contains(err.Error(), "429") {
		t.Fatalf("run = %+v, %v; want a 429 back-off", rep, err)
	}
	if want := w.clock.Now().Add(2 * time.Hour); !until.Equal(want) {
		t.Errorf("back-off until %s, want %s (Retry-After 2h over the first hour)", until, want)
	}
	if w.archive.requests() != 3 || rep.New != 1 {
		t.Errorf("%d requests and %d new, want the run to stop at the 429 (3 requests, 1 new)", w.archive.requests(), rep.New)
	}
	// Restarted within the back-off: the archive is asked nothing.
	w.reopen()
	w.clock.advance(time.Hour)
	if _, err := w.run(context.Background(), src, w.options(10)); kindOf(err) != model.ErrBackoff || w.archive.requests() != 3 {
		t.Errorf("a run within the back-off: %v, %d requests", err, w.archive.requests())
	}
	// After it, a second 429 in a row (no Retry-After) waits twice the hour.
	w.clock.advance(time.Hour)
	w.archive.reject[4] = ""
	_, err = w.run(context.Background(), src, w.options(10))
	if until, ok := BackoffUntil(err); !ok || !until.Equal(w.clock.Now().Add(2*time.Hour)) {
		t.Errorf("the second 429: %v until %s, want 2h from now", err, until)
	}
	// A 503 stops the run the same way, four hours now.
	w.clock.advance(2 * time.Hour)
	w.archive.reject[5] = "503"
	_, err = w.run(context.Background(), src, w.options(10))
	if until, ok := BackoffUntil(err); !ok || !until.Equal(w.clock.Now().Add(4*time.Hour)) {
		t.Errorf("the 503: %v until %s, want 4h from now", err, until)
	}
	w.clock.advance(4 * time.Hour)
	rep, err = w.run(context.Background(), src, w.options(10))
	if err != nil || rep.Progress.Stored != 5 || rep.Progress.Backoffs != 0 || !rep.Progress.Done {
		t.Errorf("after the back-offs: %+v, %v; want all 5 stored and the back-off cleared", rep.Progress, err)
	}
	if tw := w.archive.twice(); len(tw) != 0 {
		t.Errorf("captures fetched twice: %v", tw)
	}
}

func TestBackfillResumesWithoutFetchingTwice(t *testing.T) {
	w := newWorld(t, captures(7, "Zhanaozen"))
	src := w.source(model.KeepAll)
	ctx, stop := context.WithCancel(context.Background())
	w.sink.put = func(d *model.Document) {
		if d.URL == "http://x.kz/news/4.html" {
			stop() // killed just after the fourth capture was stored
		}
	}
	rep, err := w.run(ctx, src, w.options(3))
	if err == nil || rep.New != 4 {
		t.Fatalf("interrupted run = %+v, %v; want 4 new and the run's end", rep, err)
	}
	w.reopen() // a new process: new store handle, fetcher and pacer
	rep, err = w.run(context.Background(), src, w.options(3))
	if err != nil || rep.New != 3 || rep.Progress.Stored != 7 || rep.Progress.Listed != 7 {
		t.Fatalf("resumed run = %+v, %v; want the 3 left", rep, err)
	}
	if tw := w.archive.twice(); len(tw) != 0 || len(w.archive.fetched) != 7 {
		t.Errorf("fetched %v; twice: %v", w.archive.fetched, tw)
	}
	// The listing went on from where it was: its first page was read once.
	first := 0
	for _, q := range w.archive.queries {
		if q.Get("resumeKey") == "" {
			first++
		}
	}
	if first != 1 || len(w.archive.queries) != 3 {
		t.Errorf("listing requests %v: the first page read %d times", w.archive.queries, first)
	}
}

func TestBackfillSkipsDuplicateDigests(t *testing.T) {
	caps := captures(3, "Zhanaozen")
	caps[2].digest = caps[0].digest // the same bytes again, not adjacent
	w := newWorld(t, caps)
	rep, err := w.run(context.Background(), w.source(model.KeepAll), w.options(10))
	if err != nil || rep.New != 2 || len(w.archive.fetched) != 2 || rep.Progress.Listed != 3 || rep.Progress.Fetched != 2 {
		t.Errorf("run = %+v, %v, fetched %v; want the third capture, of the first's digest, never fetched", rep, err, w.archive.fetched)
	}
}

func TestBadListingsAreClearErrors(t *testing.T) {
	good := `[["urlkey","timestamp","original","mimetype","statuscode","digest","length"],
["kz,x)/a","20111216100000","http://x.kz/a","text/html","200","AAA","100"],
["kz,x)/b","20111217100000","http://x.kz/b","text/html","200","BBB","100"],
[],
["next-key"]]`
	for name, tc := range map[string]struct{ body, want string }{
		"html error page": {"<html><body>Service temporarily unavailable</body></html>", `the answer is not JSON: it begins "<html><body>Service temporarily unavaila"`},
		"cut short":       {good[:len(good)/2], "the listing is cut short after"},
		"empty":           {"", "the answer is empty"},
		"no field names":  {`[["a","b"],["1","2"]]`, "does not name the fields timestamp, original and digest"},
		"short row":       {`[["timestamp","original","digest"],["20111216100000","http://x.kz/a"]]`, "row 2 has 2 fields, the first row names 3"},
		"bad timestamp":   {`[["timestamp","original","digest"],["yesterday","http://x.kz/a","A"]]`, `row 2: "yesterday" is not a capture timestamp`},
		"objects":         {`[{"timestamp":"1"}]`, "not a JSON list of rows of strings"},
		"key not alone":   {`[["timestamp","original","digest"],[],["k"],["more"]]`, "want the resume key alone after the empty row"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := ParseCDX([]byte(tc.body))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v\nwant it to contain %q", err, tc.want)
			}
		})
	}
	p, err := ParseCDX([]byte(good))
	if err != nil || len(p.Captures) != 2 || p.ResumeKey != "next-key" || p.Captures[1].Digest != "BBB" {
		t.Errorf("good page = %+v, %v", p, err)
	}
	if p, err := ParseCDX([]byte("[]")); err != nil || len(p.Captures) != 0 || p.ResumeKey != "" {
		t.Errorf("no captures = %+v, %v", p, err)
	}
}

func TestBadListingStopsTheRunNamingTheURL(t *testing.T) {
	for name, body := range map[string]string{
		"not JSON":  "<!doctype html><title>Error</title>",
		"truncated": `[["urlkey","timestamp","original","mimetype","statuscode","digest","length"],["kz,x)/a","2011121610`,
	} {
		t.Run(name, func(t *testing.T) {
			w := newWorld(t, captures(2, "Zhanaozen"))
			w.archive.cdx = func(int) string { return body }
			rep, err := w.run(context.Background(), w.source(model.KeepAll), w.options(10))
			if err == nil || kindOf(err) != model.ErrParse || !strings.Contains(err.Error(), w.archive.srv.URL+"/cdx/search/cdx?") {
				t.Fatalf("run = %+v, %v; want a parse error naming the listing's URL", rep, err)
			}
			if rep.Progress.Pages != 0 || rep.Progress.Listed != 0 {
				t.Errorf("a bad page was kept: %+v", rep.Progress)
			}
		})
	}
}

func TestArchivePagesAreNotStored(t *testing.T) {
	caps := captures(3, "Zhanaozen")
	caps[0].body = `<!DOCTYPE html><html><head><title>Wayback Machine</title></head><body><div id="error"><h2>Hrm.</h2>` +
		`<p>The Wayback Machine has not archived that URL.</p></div></body></html>`
	caps[1].body = `<html><head><title>x.kz</title></head><body><p class="code shift target">Got an HTTP 302 response at crawl time</p>` +
		`<p class="code">Redirecting to...</p><p class="impatient"><a href="http://x.kz/news/">http://x.kz/news/</a></p></body></html>`
	w := newWorld(t, caps)
	rep, err := w.run(context.Background(), w.source(model.KeepAll), w.options(10))
	if err != nil {
		t.Fatal(err)
	}
	if rep.ArchivePages != 2 || rep.Failed != 2 || rep.New != 1 || kindOf(rep.LastFailure) != model.ErrArchivePage ||
		!strings.Contains(rep.LastFailure.Error(), "/web/20111202100000id_/http://x.kz/news/2.html") {
		t.Errorf("report = %+v; want the two archive pages reported, naming the capture, and one article", rep)
	}
	for _, u := range []string{"http://x.kz/news/1.html", "http://x.kz/news/2.html"} {
		if _, err := w.st.ArticleByURL(context.Background(), u); err == nil {
			t.Errorf("%s, an archive page, was stored", u)
		}
	}
	if rep.Progress.Fetched != 3 || rep.Progress.Remaining != 0 {
		t.Errorf("progress = %+v: archive pages are settled, not fetched again", rep.Progress)
	}
}

func TestKeepTopicStoresOnlyMatchingCaptures(t *testing.T) {
	caps := captures(4, "the harvest")
	caps[1].body = article("Zhanaozen", "Zhanaozen")
	caps[3].body = article("Strike", "Zhanaozen")
	w := newWorld(t, caps)
	rep, err := w.run(context.Background(), w.source(model.KeepTopic), w.options(10))
	if err != nil || rep.New != 2 || rep.Skipped != 2 {
		t.Fatalf("run = %+v, %v; want 2 stored and 2 skipped", rep, err)
	}
	for i, c := range caps {
		_, err := w.st.ArticleByURL(context.Background(), c.url)
		if stored := err == nil; stored != (i == 1 || i == 3) {
			t.Errorf("%s stored = %v", c.url, stored)
		}
	}
	if rep.Progress.Stored != 2 || rep.Progress.Fetched != 4 {
		t.Errorf("progress = %+v", rep.Progress)
	}
}

func TestPathsKeepOnlyMatchingCaptures(t *testing.T) {
	caps := captures(3, "Zhanaozen")
	caps[1].url = "http://x.kz/about/contacts.html"
	w := newWorld(t, caps)
	src := w.source(model.KeepAll)
	src.Wayback.Paths = []string{"/news/*"}
	rep, err := w.run(context.Background(), src, w.options(10))
	if err != nil || rep.Listed != 2 || rep.New != 2 || w.archive.fetched["20111202100000 http://x.kz/about/contacts.html"] != 0 {
		t.Errorf("run = %+v, %v, fetched %v", rep, err, w.archive.fetched)
	}
}

func TestBackfillStopsAtTheRunBudget(t *testing.T) {
	w := newWorld(t, captures(3, "Zhanaozen"))
	opts := w.options(10)
	opts.Limiter = NewPacer(0.1, w.clock) // a request every 10s
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	rep, err := Run(ctx, w.source(model.KeepAll), opts)
	if err != nil || !rep.OutOfTime || rep.Listed != 0 || rep.Fetched() != 0 {
		t.Errorf("run = %+v, %v; want robots.txt read, then the budget's end before the listing's turn", rep, err)
	}
	if len(w.archive.all) != 1 || w.archive.robots != 1 {
		t.Errorf("%d requests (%d of robots.txt) within a 5s budget at one per 10s, want robots.txt alone", len(w.archive.all), w.archive.robots)
	}
	// The next run (robots.txt known) reads the listing, then its budget ends.
	w.clock.advance(10 * time.Second)
	ctx2, cancel2 := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel2()
	rep, err = Run(ctx2, w.source(model.KeepAll), opts)
	if err != nil || !rep.OutOfTime || rep.Listed != 3 || rep.Fetched() != 0 || rep.Progress.Remaining != 3 {
		t.Errorf("second run = %+v, %v; want the listing read, then the budget's end before the next turn, 3 left", rep, err)
	}
	if w.archive.requests() != 1 {
		t.Errorf("%d requests within a 5s budget at one per 10s", w.archive.requests())
	}
}

func TestARedirectToANearbyCaptureKeepsItsTime(t *testing.T) {
	caps := captures(1, "Zhanaozen")
	near := capture{ts: "20111219120000", url: caps[0].url, digest: "N", body: caps[0].body}
	caps[0].body = "redirect:" + near.ts // the archive holds the page at another time
	w := newWorld(t, caps)
	w.archive.caps = append(w.archive.caps[:1:1], near) // served, not listed: the listing is cut to the first
	src := w.source(model.KeepAll)
	w.archive.cdx = func(int) string {
		return `[["timestamp","original","digest"],["` + caps[0].ts + `","` + caps[0].url + `","D1"]]`
	}
	rep, err := w.run(context.Background(), src, w.options(10))
	if err != nil || rep.New != 1 {
		t.Fatalf("run = %+v, %v", rep, err)
	}
	f := w.sink.docs[0].Fetch
	if !f.CapturedAt.Equal(time.Date(2011, 12, 19, 12, 0, 0, 0, time.UTC)) || f.Capture != w.archive.srv.URL+"/web/20111219120000/"+caps[0].url {
		t.Errorf("fetch = %+v; want the time and address of the capture the archive redirected to", f)
	}
	if rep.Progress.Stored != 1 || rep.Progress.Remaining != 0 {
		t.Errorf("progress = %+v: the listed capture is settled", rep.Progress)
	}
}

// A budget that ends between a capture's fetch and its store does not
// throw the capture away: it is stored under Finish and never fetched
// again.
func TestABudgetEndingAfterTheFetchKeepsTheCapture(t *testing.T) {
	w := newWorld(t, captures(2, "Zhanaozen"))
	src := w.source(model.KeepAll)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	opts := w.options(10)
	opts.Finish = context.Background()
	read := opts.Extract
	opts.Extract = func(ctx context.Context, id string, body []byte, ct, u string) (*extract.Result, error) {
		cancel() // the budget ends while the first capture is read
		return read(ctx, id, body, ct, u)
	}
	if _, err := Run(ctx, src, opts); err == nil {
		t.Fatal("the run went on after its context ended")
	}
	if _, err := w.st.ArticleByURL(context.Background(), "http://x.kz/news/1.html"); err != nil {
		t.Fatalf("the capture fetched before the budget ended was not stored: %v", err)
	}
	rep, err := w.run(context.Background(), src, w.options(10))
	if err != nil || rep.New != 1 {
		t.Fatalf("next run = %+v, %v; want the second capture alone", rep, err)
	}
	if tw := w.archive.twice(); len(tw) != 0 {
		t.Errorf("captures fetched twice: %v", tw)
	}
}

// A 429 to the archive's robots.txt is the archive asking to slow down:
// the backfill backs off as for any other 429, asking nothing more.
func TestA429ToRobotsTxtBacksOff(t *testing.T) {
	w := newWorld(t, captures(3, "Zhanaozen"))
	w.archive.robots429 = true
	src := w.source(model.KeepAll)
	_, err := w.run(context.Background(), src, w.options(10))
	until, ok := BackoffUntil(err)
	if !ok || !until.Equal(w.clock.Now().Add(FirstBackoff)) {
		t.Fatalf("run error = %v; want a back-off of %s", err, FirstBackoff)
	}
	if w.archive.requests() != 0 || w.archive.robots != 1 {
		t.Errorf("%d requests besides %d of robots.txt; want robots.txt alone", w.archive.requests(), w.archive.robots)
	}
	if p, _ := w.st.WaybackProgress(context.Background(), src.ID); !p.BackoffUntil.Equal(until) || p.Backoffs != 1 {
		t.Errorf("stored progress = %+v", p)
	}
}
