package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"presswatch/internal/safehtml"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// TestArchivedPageIsInert crawls a news site whose articles carry every
// way a page has to run script or to make the reader's browser ask
// another site for something, all aimed at a second, "attacker" server
// on another loopback address. Each article's /articles/{id}/archived is
// then opened in headless Chromium: the attacker must see no connection
// and no request, no script may run, and the page must come under
// safehtml.CSP. A control opens the same pages straight from the news
// site, so the payloads are known to be live in this Chromium.
func TestArchivedPageIsInert(t *testing.T) {
	chrome := chromium(t)
	ctx, cancel := context.WithTimeout(context.Background(), inertTimeout)
	defer cancel()

	attacker := startRecorder(t, "127.0.0.2:0", http.HandlerFunc(serveAttacker))
	victim := startRecorder(t, "127.0.0.1:0", nil)
	pages := hostilePages(t)
	victim.srv.Config.Handler = hostileSite(victim.URL, attacker.URL, pages)
	if sameHost(attacker.URL, victim.URL) {
		t.Logf("127.0.0.2 cannot be listened on here: the attacker is %s", attacker.URL)
	}
	cfg := filepath.Join(t.TempDir(), "presswatch.yaml")
	writeFile(t, cfg, fmt.Sprintf(`
contact: https://presswatch.test/contact
allow_private_networks: true
crawl: {workers: 2, per_host: 1, min_delay: 1ms, timeout: 10s}
sources:
  - {id: steppe-wire, type: feed, url: %s/feed.rss, stance: independent, every: 1h}
`, victim.URL))
	data := t.TempDir()

	victim.setPhase("crawl")
	attacker.setPhase("crawl")
	var out, errOut bytes.Buffer
	if code := run(ctx, []string{"crawl", "--config", cfg, "--data", data}, &out, &errOut); code != 0 {
		t.Fatalf("presswatch crawl: exit %d\n%s", code, errOut.String())
	}
	if hits, _ := attacker.in("crawl"); len(hits) > 0 {
		t.Logf("the crawler itself asked the attacker for %v (a fetch, not the reader's browser)", paths(hits))
	}
	ids := map[string]int64{}
	for _, name := range slices.Sorted(maps.Keys(pages)) {
		r := searchJSON(t, data, "pw"+name)
		if r.Total != 1 {
			t.Fatalf("the hostile article %q is found %d times, want once (not extracted?)\ncrawl stderr:\n%s", name, r.Total, errOut.String())
		}
		ids[name] = r.Hits[0].ID
	}

	base := serveInProcess(t, ctx, cfg, data)
	browser := startInertBrowser(t, ctx, chrome)

	for _, name := range slices.Sorted(maps.Keys(ids)) {
		t.Run("archived/"+name, func(t *testing.T) { checkArchived(t, browser, base, name, ids[name], attacker, victim) })
	}

	// The control: the same pages, opened from the site itself, do run
	// and do reach the attacker.
	t.Run("control", func(t *testing.T) { controlInert(t, browser, base, victim.URL, attacker, pages) })
}

// checkArchived opens the archived copy of the hostile article name
// (article id) and checks it is inert and shows the capture's record.
func checkArchived(t *testing.T, browser context.Context, base, name string, id int64, attacker, victim *recorder) {
	phase := "archived " + name
	attacker.setPhase(phase)
	victim.setPhase(phase)
	page := openInert(t, browser, base, fmt.Sprintf("%s/articles/%d/archived", base, id))
	if hits, conns := attacker.in(phase); len(hits) > 0 || conns > 0 {
		t.Errorf("the archived page made the browser open %d connection(s) to the attacker and ask it for %v", conns, paths(hits))
	}
	if hits, _ := victim.in(phase); len(hits) > 0 {
		t.Errorf("the archived page made the browser ask the original site for %v", paths(hits))
	}
	for _, u := range page.Offsite {
		t.Errorf("the browser sent a request off presswatch: %s", u)
	}
	for _, u := range page.Blocked {
		t.Logf("the browser tried to load %s and blocked it (the sanitiser let it through)", u)
	}
	for _, m := range page.CSPReports {
		t.Logf("CSP report: %s", m)
	}
	for _, m := range page.Errors {
		t.Errorf("browser console: %s", m)
	}
	switch {
	case page.Status != http.StatusOK:
		t.Fatalf("status %d, want 200", page.Status)
	case page.CSP != safehtml.CSP:
		t.Errorf("Content-Security-Policy %q, want safehtml.CSP %q", page.CSP, safehtml.CSP)
	}
	if page.Pwned != "undefined" || strings.Contains(page.Title, "pwned") {
		t.Errorf("script of the page ran: typeof window.pwned is %s, the title is %q", page.Pwned, page.Title)
	}
	for _, e := range page.Live {
		t.Errorf("an element that can load or run is in the page: %s", e)
	}
	record := archivedRecordID(t, base, id)
	if !strings.Contains(page.Banner, record) {
		t.Errorf("the banner does not show the WARC-Record-ID %s:\n%s", record, page.Banner)
	}
	// Not vacuous: the capture is on the page, as text.
	if !strings.Contains(page.Capture, "pw"+name) || !strings.Contains(page.Capture, "Ozenmunaigas") {
		t.Errorf("the archived page does not show the article's text:\n%.600s", page.Capture)
	}
	checkWARCDownload(t, fmt.Sprintf("%s/articles/%d/warc", base, id), record)
}

// controlInert opens the hostile pages straight from the site: each must
// reach the attacker, and together they must show the main payloads live.
func controlInert(t *testing.T, browser context.Context, base, site string, attacker *recorder, pages map[string]string) {
	seen, ran := map[string]bool{}, 0
	for _, name := range slices.Sorted(maps.Keys(pages)) {
		t.Run(name, func(t *testing.T) {
			ran++
			phase := "control " + name
			attacker.setPhase(phase)
			page := openInert(t, browser, base, site+"/news/"+name+".html")
			hits, _ := attacker.in(phase)
			if len(hits) == 0 {
				t.Errorf("opened from the site, the page made no request to the attacker: its payloads are dead")
			}
			for _, h := range hits {
				seen[strings.TrimPrefix(h.Path, "/"+name+"/")] = true
			}
			t.Logf("opened from the site, the page asked the attacker for %v", paths(hits))
			if name == "script" && (page.Pwned != "boolean" || page.Title != "pwned") {
				t.Errorf("opened from the site, the page's script did not run: typeof window.pwned %s, title %q", page.Pwned, page.Title)
			}
		})
	}
	if ran < len(pages) {
		return // a -run pattern left some pages out
	}
	for _, v := range []string{"script-external.js", "script-inline-fetch", "link-stylesheet.css", "img-src.png", "img-srcset-1x.png",
		"iframe-src.html", "img-onerror-handler", "svg-image.png", "video-poster.png"} {
		if !seen[v] {
			t.Errorf("opened from the site, no page asked the attacker for %s: the control does not show that payload live", v)
		}
	}
}

const (
	inertTimeout     = 50 * time.Second        // the whole test
	inertPageTimeout = 15 * time.Second        // one page: load, settle, checks
	inertSettle      = 1500 * time.Millisecond // after load, for timers, lazy loads and refreshes
)

// hostilePages reads the hostile article pages of testdata/archived, by
// name. In them {{A}} is the attacker's URL and the page's name, so the
// path of a request says which page and which element made it.
func hostilePages(t *testing.T) map[string]string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "archived", "*.html"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no hostile pages in testdata/archived (%v)", err)
	}
	pages := map[string]string{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		pages[strings.TrimSuffix(filepath.Base(f), ".html")] = string(b)
	}
	return pages
}

// hostileSite serves the news site: a feed and the hostile pages, whose
// {{A}} it replaces by the attacker's URL and the page's name.
func hostileSite(site, attacker string, pages map[string]string) http.Handler {
	mux := http.NewServeMux()
	var items strings.Builder
	for _, name := range slices.Sorted(maps.Keys(pages)) {
		page := strings.ReplaceAll(pages[name], "{{A}}", attacker+"/"+name)
		mux.HandleFunc("GET /news/"+name+".html", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			io.WriteString(w, page)
		})
		fmt.Fprintf(&items, "<item><title>Zhanaozen, what the %s of the page said</title><link>%s/news/%s.html</link>"+
			"<pubDate>Sat, 17 Dec 2011 10:00:00 GMT</pubDate></item>\n", name, site, name)
	}
	feed := `<?xml version="1.0"?><rss version="2.0"><channel><title>Steppe Wire</title><link>` + site +
		`/</link><description>News of the Mangystau region</description>` + items.String() + `</channel></rss>`
	mux.HandleFunc("GET /feed.rss", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		io.WriteString(w, feed)
	})
	return mux
}

// serveAttacker answers as a hostile server would, so that a page opened
// straight from the site shows its payloads at work.
func serveAttacker(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Access-Control-Allow-Origin", "*")
	switch p := r.URL.Path; {
	case strings.HasSuffix(p, ".js"):
		w.Header().Set("Content-Type", "text/javascript")
		io.WriteString(w, `window.pwned = true; document.title = "pwned";`)
	case strings.HasSuffix(p, ".css"):
		w.Header().Set("Content-Type", "text/css")
		io.WriteString(w, `html { outline: 1px solid red }`)
	case strings.HasSuffix(p, ".html"):
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, `<script>top.pwned = true</script>`)
	case strings.Contains(p, "onerror"):
		http.NotFound(w, r)
	default:
		w.Header().Set("Content-Type", "image/gif") // 1x1 transparent
		w.Write([]byte("GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"))
	}
}

// hit is one request a recorder received.
type hit struct {
	Phase, Path string
	At          time.Time
}

// recorder is a loopback HTTP server that notes every connection and
// every request it receives, with the phase of the test they came in.
type recorder struct {
	URL string
	srv *httptest.Server

	mu    sync.Mutex
	phase string
	hits  []hit
	conns map[string]int // new connections by phase
}

// startRecorder listens on addr (another 127.0.0.1 port if addr cannot
// be listened on) until the test ends.
func startRecorder(t *testing.T, addr string, h http.Handler) *recorder {
	t.Helper()
	l, err := net.Listen("tcp", addr)
	if err != nil {
		if l, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
			t.Fatal(err)
		}
	}
	rec := &recorder{conns: map[string]int{}}
	rec.srv = &httptest.Server{Listener: l, Config: &http.Server{}}
	rec.srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.mu.Lock()
		rec.hits = append(rec.hits, hit{Phase: rec.phase, Path: r.URL.Path, At: time.Now()})
		rec.mu.Unlock()
		if h != nil {
			h.ServeHTTP(w, r)
		}
	})
	rec.srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			rec.mu.Lock()
			rec.conns[rec.phase]++
			rec.mu.Unlock()
		}
	}
	rec.srv.Start()
	rec.URL = rec.srv.URL
	t.Cleanup(rec.srv.Close)
	return rec
}

func (r *recorder) setPhase(p string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.phase = p
}

// in returns the requests and the number of new connections of a phase.
func (r *recorder) in(phase string) ([]hit, int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var hits []hit
	for _, h := range r.hits {
		if h.Phase == phase {
			hits = append(hits, h)
		}
	}
	return hits, r.conns[phase]
}

func paths(hits []hit) []string {
	var ps []string
	for _, h := range hits {
		ps = append(ps, h.Path+" at "+h.At.Format("15:04:05.000"))
	}
	return ps
}

// serveInProcess runs `presswatch serve --no-crawl` in-process until the
// test ends and returns its base URL.
func serveInProcess(t *testing.T, ctx context.Context, cfg, data string) string {
	t.Helper()
	srvCtx, stop := context.WithCancel(ctx)
	var stdout, stderr syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(srvCtx, []string{"serve", "--config", cfg, "--data", data, "--addr", "127.0.0.1:0", "--no-crawl"}, &stdout, &stderr)
	}()
	t.Cleanup(func() {
		stop()
		select {
		case code := <-done:
			if code != 0 {
				t.Errorf("serve exited %d\n%s", code, stderr.String())
			}
		case <-time.After(20 * time.Second):
			t.Error("serve did not stop within 20 s")
		}
	})
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if m := servingAt.FindStringSubmatch(stdout.String()); m != nil {
			return m[1]
		}
	}
	t.Fatalf("serve did not say where it serves within 20 s\nstderr:\n%s", stderr.String())
	return ""
}

// startInertBrowser starts headless Chromium as the browser tests do.
func startInertBrowser(t *testing.T, ctx context.Context, chrome string) context.Context {
	t.Helper()
	alloc, cancelAlloc := chromedp.NewExecAllocator(ctx, append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chrome), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-proxy-server", true),
		chromedp.Flag("autoplay-policy", "no-user-gesture-required"),
		chromedp.UserDataDir(t.TempDir()),
	)...)
	t.Cleanup(cancelAlloc)
	browser, cancelBrowser := chromedp.NewContext(alloc)
	t.Cleanup(cancelBrowser)
	if err := chromedp.Do(browser); err != nil {
		t.Fatalf("starting %s: %v", chrome, err)
	}
	return browser
}

// inertPage is what a page did in the browser and what it holds.
type inertPage struct {
	Status     int64
	CSP        string
	Title      string
	Pwned      string   // typeof window.pwned
	Banner     string   // the text of the banner
	Capture    string   // the text of the captured page
	Live       []string // elements that can load or run
	Offsite    []string // requests sent to another origin than presswatch's
	Blocked    []string // requests to another origin the browser blocked
	CSPReports []string
	Errors     []string // console errors that are not CSP reports
}

// watch gathers what a tab reports; it runs in the tab's event loop.
type watch struct {
	host string // presswatch's host:port

	mu       sync.Mutex
	requests map[network.RequestID]string
	p        inertPage
}

func (w *watch) listen(ev any) {
	w.mu.Lock()
	defer w.mu.Unlock()
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		if u, err := url.Parse(ev.Request.URL); err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != w.host {
			w.requests[ev.RequestID] = ev.Request.URL
		}
	case *network.EventLoadingFailed:
		if u, ok := w.requests[ev.RequestID]; ok && ev.BlockedReason != "" {
			w.p.Blocked = append(w.p.Blocked, u+" ("+string(ev.BlockedReason)+")")
			delete(w.requests, ev.RequestID)
		}
	case *log.EventEntryAdded:
		if ev.Entry != nil && ev.Entry.Level == log.EntryLevelError {
			w.report(fmt.Sprintf("%s: %s (%s)", ev.Entry.Source, ev.Entry.Text, ev.Entry.URL))
		}
	case *runtime.EventExceptionThrown:
		w.report("exception: " + ev.ExceptionDetails.Text)
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError {
			w.report("console.error")
		}
	}
}

func (w *watch) report(msg string) {
	if strings.Contains(msg, "Content Security Policy") || strings.Contains(msg, "sandboxed") {
		w.p.CSPReports = append(w.p.CSPReports, msg)
	} else {
		w.p.Errors = append(w.p.Errors, msg)
	}
}

// jsLive lists the elements of the page that could load or run anything:
// a sanitised capture and presswatch's banner have none.
const jsLive = `(() => {
	const tags = /^(script|iframe|frame|frameset|object|embed|applet|img|picture|source|video|audio|track|style|base|form|input|button|select|textarea|svg|math|noscript|template|portal|image|use)$/i;
	const attrs = /^(on.*|src|srcset|srcdoc|data|poster|background|action|formaction|ping|style|lowsrc|dynsrc|codebase|manifest|xlink:href)$/i;
	const live = [];
	for (const e of document.querySelectorAll('*')) {
		const tag = e.localName;
		const bad = tags.test(tag) || [...e.attributes].some(a => attrs.test(a.name)) ||
			(tag === 'meta' && e.hasAttribute('http-equiv')) ||
			(tag === 'link' && !(e.rel === 'stylesheet' && new URL(e.href).origin === location.origin && e.closest('head'))) ||
			(e.hasAttribute('href') && !(tag === 'a' || tag === 'link')) ||
			(tag === 'a' && e.hasAttribute('href') && !/^https?:/.test(e.href));
		if (bad) live.push(e.outerHTML.slice(0, 200));
	}
	return live })()`

// openInert opens u in a new tab, lets it settle and reads what it did.
func openInert(t *testing.T, browser context.Context, base, u string) inertPage {
	t.Helper()
	bu, _ := url.Parse(base)
	w := &watch{host: bu.Host, requests: map[network.RequestID]string{}}
	tabCtx, cancel := chromedp.NewContext(browser, chromedp.WithListener(w.listen))
	defer cancel()
	ctx, cancelTimeout := context.WithTimeout(tabCtx, inertPageTimeout)
	defer cancelTimeout()
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(u))
	if err != nil {
		t.Fatalf("open %s: %v", u, err)
	}
	if err := chromedp.Do(ctx, chromedp.Sleep(inertSettle)); err != nil {
		t.Fatal(err)
	}
	var p inertPage
	if resp != nil {
		p.Status = resp.Status
		for k, v := range resp.Headers {
			if strings.EqualFold(k, "Content-Security-Policy") {
				p.CSP = fmt.Sprint(v)
			}
		}
	}
	for js, dst := range map[string]*string{
		`document.title`:      &p.Title,
		`typeof window.pwned`: &p.Pwned,
		`(document.querySelector('.pw-banner') || {innerText: ''}).innerText`:  &p.Banner,
		`(document.querySelector('.pw-capture') || {innerText: ''}).innerText`: &p.Capture,
	} {
		if *dst, err = chromedp.Run(ctx, chromedp.Evaluate[string](js)); err != nil {
			t.Fatalf("%s: evaluating %s: %v", u, js, err)
		}
	}
	if p.Live, err = chromedp.Run(ctx, chromedp.Evaluate[[]string](jsLive)); err != nil {
		t.Fatalf("%s: listing live elements: %v", u, err)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, r := range w.requests {
		w.p.Offsite = append(w.p.Offsite, r)
	}
	p.Offsite, p.Blocked, p.CSPReports, p.Errors = w.p.Offsite, w.p.Blocked, w.p.CSPReports, w.p.Errors
	return p
}

// archivedRecordID is the WARC-Record-ID of an article's capture, as the
// API gives it.
func archivedRecordID(t *testing.T, base string, id int64) string {
	t.Helper()
	resp, err := http.Get(fmt.Sprintf("%s/api/articles/%d", base, id))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var a struct {
		Fetch *struct {
			Record string `json:"warc_record_id"`
		} `json:"fetch"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&a); err != nil || a.Fetch == nil || a.Fetch.Record == "" {
		t.Fatalf("/api/articles/%d: no fetch with a WARC record (%v)", id, err)
	}
	return a.Fetch.Record
}

// checkWARCDownload checks that u is a gzipped WARC holding the record.
func checkWARCDownload(t *testing.T, u, record string) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if ct := resp.Header.Get("Content-Type"); resp.StatusCode != http.StatusOK || ct != "application/warc" {
		t.Fatalf("%s: status %d, Content-Type %q, want 200 application/warc", u, resp.StatusCode, ct)
	}
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("%s: not gzip: %v (starts %q)", u, err, body[:min(len(body), 16)])
	}
	warc, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("%s: a broken gzip stream: %v", u, err)
	}
	if !bytes.HasPrefix(warc, []byte("WARC/1.")) || !bytes.Contains(warc, []byte(record)) {
		t.Errorf("%s: the records do not start with WARC/1. or lack %s:\n%.300s", u, record, warc)
	}
}

func sameHost(a, b string) bool {
	ua, _ := url.Parse(a)
	ub, _ := url.Parse(b)
	return ua.Hostname() == ub.Hostname()
}

func writeFile(t *testing.T, path, body string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}
