package main

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"presswatch/internal/testsite"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// The browser tests drive headless Chromium (Debian's chromium package)
// against `presswatch serve` holding the fixture site's articles and two
// imported articles whose text and title carry script. They skip, saying
// so, when no Chromium is installed, unless CI is set: then they fail.
// (The README's screenshots are web's TestScreenshots.)

// browserTimeout bounds the whole browser test; each scenario has less.
const (
	browserTimeout  = 2 * time.Minute
	scenarioTimeout = 30 * time.Second
)

// chromium finds the browser, or skips (fails under CI) without one.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "/usr/bin/chromium"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if ci := os.Getenv("CI"); ci != "" && ci != "false" && ci != "0" {
		t.Fatal("CI is set but no chromium binary is installed: .ci/run installs Debian's chromium package")
	}
	t.Skip("SKIPPED: no chromium binary on PATH (install Debian's chromium package to run the browser tests)")
	return ""
}

// evilText and evilHTML are imported as articles: nothing in them may run.
const (
	evilText = `Pwnedtext <script>window.__pwned=1</script> <img src=x onerror="window.__pwned=1">

Posted on 16 December 2011. The pwnedtext article <script>window.__pwned=1</script> and
<img src=x onerror="window.__pwned=1"> and <a href="javascript:window.__pwned=1">click</a>
<svg onload="window.__pwned=1"></svg> <iframe src="javascript:window.__pwned=1"></iframe>
<style>body{display:none}</style> <div style="position:fixed;inset:0;background:red">cover</div>
`
	evilHTML = `<!doctype html><html><head><meta charset="utf-8">
<title>Pwnedhtml &lt;script&gt;window.__pwned=1&lt;/script&gt;</title>
<script>window.__pwned=1</script><style>body{display:none}</style></head>
<body><article><h1>Pwnedhtml &lt;img src=x onerror="window.__pwned=1"&gt;</h1>
<p>Published 16 December 2011. The pwnedhtml article &lt;script&gt;window.__pwned=1&lt;/script&gt;
carries enough words to be taken as an article by the extractor of the importer.</p>
<p><img src=x onerror="window.__pwned=1"> <a href="javascript:window.__pwned=1">a javascript link</a>
&lt;a href="javascript:window.__pwned=1"&gt;an escaped javascript link&lt;/a&gt;
<a href="#" onclick="window.__pwned=1">onclick</a></p>
<script>window.__pwned=1</script></article></body></html>
`
)

// browserFixture is a running server and a started browser.
type browserFixture struct {
	base    string          // http://127.0.0.1:port
	browser context.Context // a chromedp context with a browser
	evil    []int64         // ids of the articles carrying script
}

// startBrowserFixture crawls the fixture site, imports the evil articles,
// serves the data and starts Chromium.
func startBrowserFixture(t *testing.T, chrome string) *browserFixture {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), browserTimeout)
	t.Cleanup(cancel)

	site := testsite.Start(t, testsite.Options{})
	cfg, data := siteConfig(t, site.URL), t.TempDir()
	presswatch(t, 0, "crawl", "--config", cfg, "--data", data)
	dir := t.TempDir()
	for name, body := range map[string]string{"pwned.txt": evilText, "pwned.html": evilHTML} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	presswatch(t, 0, "import", "--data", data, dir)
	f := &browserFixture{}
	for _, word := range []string{"pwnedtext", "pwnedhtml"} {
		r := searchJSON(t, data, word)
		if r.Total != 1 {
			t.Fatalf("the imported article %q is found %d times", word, r.Total)
		}
		f.evil = append(f.evil, r.Hits[0].ID)
	}

	// serve, in-process, until the test ends.
	f.base = serveInProcess(t, ctx, cfg, data)
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if r, err := http.Get(f.base + "/readyz"); err == nil {
			r.Body.Close()
			if r.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve at %s was not ready within 30 s", f.base)
		}
	}

	alloc, cancelAlloc := chromedp.NewExecAllocator(ctx, append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chrome),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-proxy-server", true),
		chromedp.Flag("lang", "en-US"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)...)
	t.Cleanup(cancelAlloc) // runs before the TempDirs are removed
	browser, cancelBrowser := chromedp.NewContext(alloc)
	t.Cleanup(cancelBrowser)
	if err := chromedp.Do(browser); err != nil {
		t.Fatalf("starting %s: %v", chrome, err)
	}
	f.browser = browser
	return f
}

// tab is one browser tab of a scenario. It records what the pages write
// to the console as errors; the scenario fails if there is any.
type tab struct {
	t    *testing.T
	ctx  context.Context
	base string

	mu      sync.Mutex
	errs    []string
	allowed map[string]bool // URLs expected to answer 4xx
}

func (f *browserFixture) tab(t *testing.T) *tab {
	t.Helper()
	tb := &tab{t: t, base: f.base, allowed: map[string]bool{}}
	ctx, cancel := chromedp.NewContext(f.browser, chromedp.WithListener(tb.listen))
	if err := chromedp.Do(ctx); err != nil {
		cancel()
		t.Fatalf("opening a tab: %v", err)
	}
	ctx, cancelTimeout := context.WithTimeout(ctx, scenarioTimeout)
	tb.ctx = ctx
	t.Cleanup(func() {
		cancelTimeout()
		cancel()
		tb.mu.Lock()
		defer tb.mu.Unlock()
		for _, e := range tb.errs {
			t.Errorf("browser console: %s", e)
		}
	})
	return tb
}

// listen runs in the tab's event loop: it must return fast.
func (tb *tab) listen(ev any) {
	var msg string
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if ev.Type != runtime.ConsoleAPICalledTypeError {
			return
		}
		var args []string
		for _, a := range ev.Args {
			if a.Description != "" {
				args = append(args, a.Description)
			} else {
				args = append(args, string(a.Value))
			}
		}
		msg = "console.error: " + strings.Join(args, " ")
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		msg = "exception: " + d.Text
		if d.Exception != nil {
			msg += " " + d.Exception.Description
		}
		msg += " at " + d.URL
	case *log.EventEntryAdded:
		if ev.Entry == nil || ev.Entry.Level != log.EntryLevelError {
			return
		}
		msg = fmt.Sprintf("%s: %s (%s)", ev.Entry.Source, ev.Entry.Text, ev.Entry.URL)
		tb.mu.Lock()
		defer tb.mu.Unlock()
		if ev.Entry.Source == log.EntrySourceNetwork && tb.allowed[ev.Entry.URL] {
			return
		}
		tb.errs = append(tb.errs, msg)
		return
	default:
		return
	}
	tb.mu.Lock()
	defer tb.mu.Unlock()
	tb.errs = append(tb.errs, msg)
}

// open navigates to path and stops the scenario unless the page answers
// wantStatus.
func (tb *tab) open(path string, wantStatus int) {
	tb.t.Helper()
	if !tb.try(path, wantStatus) {
		tb.t.FailNow()
	}
}

// try navigates to path and reports whether the page answered wantStatus.
func (tb *tab) try(path string, wantStatus int) bool {
	tb.t.Helper()
	u := tb.base + path
	if wantStatus >= 400 {
		tb.mu.Lock()
		tb.allowed[u] = true
		tb.mu.Unlock()
	}
	resp, err := chromedp.Run(tb.ctx, chromedp.NavigateResponse(u))
	switch {
	case err != nil:
		tb.t.Errorf("open %.100s: %v", path, err)
		return false
	case resp == nil:
		tb.t.Errorf("open %.100s: no response", path)
		return false
	case resp.Status != int64(wantStatus):
		tb.t.Errorf("open %.100s: status %d, want %d", path, resp.Status, wantStatus)
		return false
	}
	return true
}

// click clicks the element the JavaScript expression sel finds (it must
// give an element or null), waits for the page it leads to and returns
// that page's URL. what names the element in messages.
func (tb *tab) click(what, sel string) *url.URL {
	tb.t.Helper()
	found := eval[bool](tb, `(() => { const e = (`+sel+`);
		if (!e) return false;
		document.querySelectorAll('[data-pw-click]').forEach(x => x.removeAttribute('data-pw-click'));
		e.setAttribute('data-pw-click', '1'); return true })()`)
	if !found {
		tb.t.Fatalf("no %s on %s", what, tb.location())
	}
	resp, err := chromedp.RunResponse(tb.ctx, chromedp.Click(chromedp.CSS(`[data-pw-click]`)))
	if err != nil {
		tb.t.Fatalf("clicking the %s on %s: %v", what, tb.location(), err)
	}
	if resp == nil || resp.Status != http.StatusOK {
		tb.t.Fatalf("clicking the %s: %v", what, resp)
	}
	u, err := url.Parse(tb.location())
	if err != nil {
		tb.t.Fatal(err)
	}
	return u
}

func (tb *tab) location() string {
	tb.t.Helper()
	return eval[string](tb, `location.href`)
}

// eval evaluates a JavaScript expression in the tab's page.
func eval[T any](tb *tab, js string) T {
	tb.t.Helper()
	v, err := chromedp.Run(tb.ctx, chromedp.Evaluate[T](js))
	if err != nil {
		tb.t.Fatalf("evaluating %.80q on %s: %v", js, tb.base, err)
	}
	return v
}

// jsResults lists the distinct article links in the page's main part.
const jsResults = `[...new Set([...document.querySelectorAll('main a[href]')]
	.map(a => new URL(a.getAttribute('href'), location.href))
	.filter(u => u.origin === location.origin && /^\/articles\/\d+$/.test(u.pathname))
	.map(u => u.pathname))]`

// jsText is the page's visible text.
const jsText = `document.body.innerText`

func TestBrowser(t *testing.T) {
	chrome := chromium(t)
	start := time.Now()
	f := startBrowserFixture(t, chrome)
	t.Logf("fixture crawled, served at %s and %s started in %s", f.base, chrome, time.Since(start).Round(time.Millisecond))

	t.Run("ConsoleIsWatched", f.testConsoleIsWatched)
	t.Run("Search", f.testSearch)
	t.Run("Language", f.testLanguage)
	t.Run("BadInput", f.testBadInput)
	t.Run("ArticleScriptInert", f.testScriptInert)
	t.Run("Pages", f.testPages)
	t.Logf("browser tests took %s", time.Since(start).Round(time.Millisecond))
}

// the harness sees console.error, an uncaught exception and a failed
// load, so that a scenario passing means its pages logged no error.
func (f *browserFixture) testConsoleIsWatched(t *testing.T) {
	tb := f.tab(t)
	page := "data:text/html,<p>x</p><img src='" + f.base + "/no-such-image.png'>" +
		"<script>console.error('pw-console'); setTimeout(() => { throw new Error('pw-exception') })</script>"
	if err := chromedp.Do(tb.ctx, chromedp.Navigate(page)); err != nil {
		t.Fatal(err)
	}
	var got string
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		tb.mu.Lock()
		got = strings.Join(tb.errs, "\n")
		tb.mu.Unlock()
		if strings.Contains(got, "pw-console") && strings.Contains(got, "pw-exception") && strings.Contains(got, "no-such-image.png") {
			break
		}
	}
	for _, want := range []string{"pw-console", "pw-exception", "no-such-image.png"} {
		if !strings.Contains(got, want) {
			t.Errorf("the console watcher missed %q; it saw:\n%s", want, got)
		}
	}
	tb.mu.Lock()
	tb.errs = nil // expected: not this scenario's failure
	tb.mu.Unlock()
}

// search, see highlighted results and facet counts, click a facet, click a
// timeline bar, open an article, follow the Atom link.
func (f *browserFixture) testSearch(t *testing.T) {
	tb := f.tab(t)
	tb.open("/search?q=Zhanaozen", http.StatusOK)
	if lang := eval[string](tb, `document.documentElement.lang`); lang != "en" {
		t.Errorf(`<html lang=%q>, want "en" for a browser asking for en-US`, lang)
	}
	all := eval[[]string](tb, jsResults)
	if len(all) < 2 {
		t.Fatalf("/search?q=Zhanaozen lists %d articles:\n%s", len(all), eval[string](tb, jsText))
	}
	if n := eval[int](tb, `document.querySelectorAll('main mark').length`); n == 0 {
		t.Error("no <mark> in the results' snippets")
	} else if m := eval[string](tb, `document.querySelector('main mark').textContent`); !strings.EqualFold(m, "Zhanaozen") && !strings.Contains(strings.ToLower(m), "zhanaozen") {
		t.Logf("the first <mark> holds %q (another spelling?)", m)
	}
	if box := eval[bool](tb, `!!document.querySelector('input[name=q]') && document.querySelector('input[name=q]').value === 'Zhanaozen'`); !box {
		t.Error("the query box does not hold the query")
	}

	// Facets: links that add a filter to this search and show a count.
	type facet struct {
		Href  string `json:"href"`
		Param string `json:"param"`
		Value string `json:"value"`
		Text  string `json:"text"`
	}
	const jsFacets = `[...document.querySelectorAll('main a[href]')].flatMap(a => {
		if (a.closest('svg')) return [];
		const u = new URL(a.getAttribute('href'), location.href), cur = new URL(location.href);
		if (u.pathname !== cur.pathname) return [];
		for (const p of ['language', 'lang', 'source', 'stance', 'topic']) {
			const added = u.searchParams.getAll(p).flatMap(v => v.split(',')).filter(v => v && !cur.searchParams.getAll(p).includes(v));
			if (added.length === 1) {
				const text = ((a.closest('li,tr,dd,p') || a).textContent || '').replace(/\s+/g, ' ').trim();
				return [{href: u.pathname + u.search, param: p, value: added[0], text}];
			}
		}
		return [];
	})`
	facets := eval[[]facet](tb, jsFacets)
	counted, byParam := 0, map[string]int{}
	for _, fc := range facets {
		byParam[fc.Param]++
		if regexp.MustCompile(`\d`).MatchString(fc.Text) {
			counted++
		}
	}
	if byParam["language"]+byParam["lang"] < 2 || byParam["source"] < 2 {
		t.Errorf("facet links per parameter %v, want at least 2 languages and 2 sources (the fixture has several)", byParam)
	}
	if counted == 0 && len(facets) > 0 {
		t.Errorf("no facet shows a count: %+v", facets)
	}

	// Click the language facet of Russian articles: the results narrow, the
	// URL says so, and the UI stays in English (the filter is not the UI
	// language).
	var pick *facet
	for i, fc := range facets {
		if (fc.Param == "language" || fc.Param == "lang") && (pick == nil || fc.Value == "ru") {
			pick = &facets[i]
		}
	}
	if pick == nil {
		t.Fatalf("no language facet link on the search page; links: %+v", facets)
	}
	u := tb.click("facet "+pick.Param+"="+pick.Value, `[...document.querySelectorAll('main a[href]')].find(a => a.getAttribute('href') === `+jsString(pick.Href)+` || (new URL(a.getAttribute('href'), location.href)).pathname + (new URL(a.getAttribute('href'), location.href)).search === `+jsString(pick.Href)+`)`)
	if got := u.Query()[pick.Param]; !containsValue(got, pick.Value) || u.Query().Get("q") != "Zhanaozen" {
		t.Errorf("after clicking the facet %s=%s the URL is %s", pick.Param, pick.Value, u)
	}
	narrowed := eval[[]string](tb, jsResults)
	if len(narrowed) == 0 || len(narrowed) >= len(all) {
		t.Errorf("the facet %s=%s gives %d articles of %d", pick.Param, pick.Value, len(narrowed), len(all))
	}
	if lang := eval[string](tb, `document.documentElement.lang`); lang != "en" {
		t.Errorf("filtering by the articles' language %s switched the UI to <html lang=%q>", pick.Value, lang)
	}
	// Clicking it again removes the filter.
	again := eval[[]facet](tb, `(() => { const cur = new URL(location.href);
		return [...document.querySelectorAll('main a[href]')].filter(a => !a.closest('svg')).map(a => new URL(a.getAttribute('href'), location.href))
			.filter(u => u.pathname === cur.pathname && u.searchParams.get('q') === cur.searchParams.get('q') && !u.searchParams.getAll(`+jsString(pick.Param)+`).flatMap(v => v.split(',')).includes(`+jsString(pick.Value)+`))
			.map(u => ({href: u.pathname + u.search, param: '', value: '', text: ''})) })()`)
	if len(again) == 0 {
		t.Errorf("after filtering by %s=%s no link on the page removes the filter", pick.Param, pick.Value)
	}

	// The timeline: clicking a bar narrows the results to its period.
	tb.open("/search?q=Zhanaozen", http.StatusOK)
	if n := eval[int](tb, `document.querySelectorAll('main svg').length`); n == 0 {
		t.Error("no SVG timeline on the search page")
	} else {
		// The fixture's matches are campaign and independent: the stacked
		// bars show (at least) two colours, not one block of ink.
		fills := eval[[]string](tb, `[...new Set([...document.querySelectorAll('main svg a rect')].filter(r => {
			const cs = getComputedStyle(r), b = r.getBoundingClientRect();
			return b.width > 0 && b.height > 0 && cs.fill !== 'none' && cs.visibility !== 'hidden' && cs.display !== 'none' &&
				parseFloat(cs.opacity) > 0 && parseFloat(cs.fillOpacity) > 0 && !/rgba\(.*,\s*0\)$/.test(cs.fill) && cs.fill !== 'transparent';
		}).map(r => getComputedStyle(r).fill))]`)
		if len(fills) < 2 {
			t.Errorf("the timeline's bars are drawn in %d colour(s) %v: the stacking by stance cannot be seen (is the chart's CSS missing?)", len(fills), fills)
		}
	}
	u = tb.click("timeline bar", `[...document.querySelectorAll('main svg a')].filter(a => /[?&]from=/.test(a.getAttribute('href') || a.getAttribute('xlink:href') || ''))
		.map(a => [a, a.getBoundingClientRect()]).sort((x, y) => y[1].width * y[1].height - x[1].width * x[1].height).map(x => x[0])[0] || null`)
	if q := u.Query(); q.Get("from") == "" || q.Get("to") == "" || q.Get("q") != "Zhanaozen" {
		t.Errorf("after clicking a timeline bar the URL is %s, want q, from and to", u)
	} else {
		period := eval[[]string](tb, jsResults)
		if len(period) == 0 || len(period) > len(all) {
			t.Errorf("the bar's period %s to %s lists %d articles (the whole search %d)", q.Get("from"), q.Get("to"), len(period), len(all))
		}
	}

	// Open an article from the results.
	tb.open("/search?q=Zhanaozen", http.StatusOK)
	title := eval[string](tb, `(() => { const a = [...document.querySelectorAll('main a[href]')].find(a => /^\/articles\/\d+$/.test(new URL(a.getAttribute('href'), location.href).pathname)); return a ? a.textContent.trim() : '' })()`)
	u = tb.click("result link", `[...document.querySelectorAll('main a[href]')].find(a => /^\/articles\/\d+$/.test(new URL(a.getAttribute('href'), location.href).pathname)) || null`)
	if !regexp.MustCompile(`^/articles/\d+$`).MatchString(u.Path) {
		t.Errorf("the result link led to %s", u)
	}
	text := eval[string](tb, jsText)
	if h1 := eval[string](tb, `(document.querySelector('h1') || {textContent: ''}).textContent.trim()`); h1 == "" || (title != "" && !strings.Contains(text, title)) {
		t.Errorf("the article page (h1 %q) does not show the result's title %q", h1, title)
	}
	for _, want := range []string{"SHA-256"} {
		if !strings.Contains(text, want) {
			t.Errorf("the article page does not show %q (the fetch record and cite block)", want)
		}
	}

	// Follow the Atom link of the search.
	tb.open("/search?q=Zhanaozen", http.StatusOK)
	href := eval[string](tb, `(() => { const a = [...document.querySelectorAll('a[href]')].find(a => /\.atom(\?|$)/.test(new URL(a.getAttribute('href'), location.href).pathname + '?'))
		|| document.querySelector('link[rel=alternate][type="application/atom+xml"]'); return a ? new URL(a.getAttribute('href'), location.href).href : '' })()`)
	if href == "" {
		t.Fatal("no Atom link on the search page")
	}
	if au, _ := url.Parse(href); au == nil || au.Path != "/search.atom" || au.Query().Get("q") != "Zhanaozen" {
		t.Errorf("the Atom link is %s, want /search.atom?q=Zhanaozen", href)
	}
	if n := eval[int](tb, `document.querySelectorAll('link[rel=alternate][type="application/atom+xml"]').length`); n == 0 {
		t.Error(`no <link rel="alternate" type="application/atom+xml"> for feed readers`)
	}
	checkAtom(t, href, len(all))
}

// checkAtom fetches an Atom feed and checks it has entries.
func checkAtom(t *testing.T, href string, atLeast int) {
	t.Helper()
	resp, err := http.Get(href)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if ct := resp.Header.Get("Content-Type"); resp.StatusCode != http.StatusOK || !strings.Contains(ct, "xml") {
		t.Fatalf("%s: status %d, Content-Type %q\n%.500s", href, resp.StatusCode, ct, body)
	}
	var feed struct {
		XMLName xml.Name
		ID      string `xml:"id"`
		Title   string `xml:"title"`
		Entries []struct {
			ID    string `xml:"id"`
			Title string `xml:"title"`
			Link  []struct {
				Href string `xml:"href,attr"`
			} `xml:"link"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal(body, &feed); err != nil {
		t.Fatalf("%s is not XML: %v\n%.500s", href, err, body)
	}
	if feed.XMLName.Space != "http://www.w3.org/2005/Atom" || feed.XMLName.Local != "feed" {
		t.Errorf("%s: root element %v, want an Atom feed", href, feed.XMLName)
	}
	if feed.ID == "" || feed.Title == "" {
		t.Errorf("%s: the feed has no id or title", href)
	}
	if len(feed.Entries) < atLeast && len(feed.Entries) < 20 {
		t.Errorf("%s: %d entries, the search page lists %d", href, len(feed.Entries), atLeast)
	}
	for _, e := range feed.Entries {
		if e.ID == "" || e.Title == "" || len(e.Link) == 0 {
			t.Errorf("%s: an entry without id, title or link: %+v", href, e)
			break
		}
	}
}

// switch the UI language with the link in the header.
func (f *browserFixture) testLanguage(t *testing.T) {
	tb := f.tab(t)
	tb.open("/search?q=Zhanaozen", http.StatusOK)
	before := eval[[]string](tb, jsResults)
	u := tb.click("language switch", `document.querySelector('header a[hreflang="ru"]')`)
	if lang := eval[string](tb, `document.documentElement.lang`); lang != "ru" {
		t.Errorf(`after the switch <html lang=%q>, want "ru"`, lang)
	}
	if u.Path != "/search" || u.Query().Get("q") != "Zhanaozen" {
		t.Errorf("the switch led to %s, want the same search", u)
	}
	if text := eval[string](tb, `[...document.querySelectorAll('button, input[type=submit]')].map(b => b.textContent + (b.value || '')).join(' ')`); !strings.Contains(text, "Найти") {
		t.Errorf("the search button reads %q, want Найти", text)
	}
	if after := eval[[]string](tb, jsResults); len(after) != len(before) {
		t.Errorf("switching the UI language changed the results from %d to %d articles (the UI language must not filter the articles)", len(before), len(after))
	}
	// The choice stays for the next page.
	tb.open("/sources", http.StatusOK)
	if lang := eval[string](tb, `document.documentElement.lang`); lang != "ru" {
		t.Errorf(`the next page has <html lang=%q>, want the chosen "ru"`, lang)
	}
	tb.click("language switch back", `document.querySelector('header a[hreflang="en"]')`)
	if lang := eval[string](tb, `document.documentElement.lang`); lang != "en" {
		t.Errorf(`after switching back <html lang=%q>, want "en"`, lang)
	}
}

// bad parameters give a 400 page naming them, unknown ids a 404 page.
func (f *browserFixture) testBadInput(t *testing.T) {
	tb := f.tab(t)
	for _, c := range []struct {
		path   string
		status int
		want   []string // in the page's text
	}{
		{"/search?q=Zhanaozen&from=2011-13-01", 400, []string{"from", "2011-13-01"}},
		{"/search?q=Zhanaozen&sort=sideways", 400, []string{"sort", "sideways"}},
		{"/timeline?q=Zhanaozen&from=2011-13-01", 400, []string{"from", "2011-13-01"}},
		{"/compare?q=Zhanaozen&to=yesterday", 400, []string{"to", "yesterday"}},
		{"/articles/999999", 404, nil},
		{"/no/such/page", 404, nil},
	} {
		if !tb.try(c.path, c.status) {
			continue
		}
		if lang := eval[string](tb, `document.contentType + ' ' + document.documentElement.lang`); lang != "text/html en" {
			t.Errorf("%s: %q, want an HTML page in English", c.path, lang)
		}
		text := eval[string](tb, jsText)
		for _, w := range c.want {
			if !strings.Contains(text, w) {
				t.Errorf("%s: the %d page does not say %q:\n%s", c.path, c.status, w, text)
			}
		}
		if eval[string](tb, `(document.querySelector('main') || document.body).innerText.trim()`) == "" {
			t.Errorf("%s: an empty page", c.path)
		}
	}
	// An over-long query: a 4xx page that says why.
	long := "/search?q=" + strings.Repeat("Zhanaozen+", 1000)
	u := tb.base + long
	tb.mu.Lock()
	tb.allowed[u] = true
	tb.mu.Unlock()
	resp, err := chromedp.Run(tb.ctx, chromedp.NavigateResponse(u))
	if err != nil {
		t.Fatal(err)
	}
	if resp.Status < 400 || resp.Status > 499 {
		t.Errorf("a query of %d characters: status %d, want a 4xx page", len(long), resp.Status)
	} else if text := eval[string](tb, jsText); !regexp.MustCompile(`(?i)long|length|characters|limit`).MatchString(text) {
		t.Errorf("a query of %d characters: the page does not say it is too long:\n%.300s", len(long), text)
	}
}

// no script in an article's title or text runs, on its page or in results.
func (f *browserFixture) testScriptInert(t *testing.T) {
	tb := f.tab(t)
	var pages []string
	for _, id := range f.evil {
		pages = append(pages, fmt.Sprintf("/articles/%d", id))
	}
	pages = append(pages, "/search?q=pwnedtext+pwnedhtml", "/timeline?q=pwnedtext", "/compare?q=pwnedtext", "/search.atom?q=pwnedtext")
	for _, p := range pages {
		if !tb.try(p, http.StatusOK) {
			continue
		}
		// Give onerror, onload and a javascript: iframe the time to run.
		time.Sleep(150 * time.Millisecond)
		if pwned := eval[string](tb, `typeof window.__pwned`); pwned != "undefined" {
			t.Errorf("%s: script from an article ran (window.__pwned is %s)", p, pwned)
		}
		if strings.Contains(p, ".atom") {
			continue // an XML document: nothing more to look at
		}
		type inert struct {
			Scripts  int  `json:"scripts"`
			Handlers int  `json:"handlers"`
			JSLinks  int  `json:"jsLinks"`
			Frames   int  `json:"frames"`
			Styles   int  `json:"styles"`
			Visible  bool `json:"visible"`
		}
		got := eval[inert](tb, `(() => {
			const m = document.querySelector('main') || document.body, all = [...m.querySelectorAll('*')];
			return {
				scripts: m.querySelectorAll('script').length,
				handlers: all.filter(e => [...e.attributes].some(a => /^on/i.test(a.name))).length,
				jsLinks: all.filter(e => [...e.attributes].some(a => /^\s*javascript:/i.test(a.value))).length,
				frames: m.querySelectorAll('iframe, object, embed').length,
				styles: m.querySelectorAll('style, [style]').length,
				visible: getComputedStyle(document.body).display !== 'none' && m.getBoundingClientRect().height > 0,
			} })()`)
		if got != (inert{Visible: true}) {
			t.Errorf("%s: article content is live in the page: %+v", p, got)
		}
	}
	// The title shows as text, whatever it holds.
	tb.open(fmt.Sprintf("/articles/%d", f.evil[0]), http.StatusOK)
	if h1 := eval[string](tb, `(document.querySelector('h1') || {textContent: ''}).textContent`); !strings.Contains(h1, "Pwnedtext") {
		t.Errorf("the article's h1 is %q, want its title", h1)
	}
	// The payload reached the page (as text), so the checks above were not
	// vacuous.
	if text := eval[string](tb, jsText); !strings.Contains(text, "The pwnedtext article") {
		t.Errorf("the article page does not show the article's text:\n%.500s", text)
	} else if strings.Contains(text, "window.__pwned=1") {
		t.Log("the article page shows the markup of the text as text")
	}
}

// the other pages load without an error in the console.
func (f *browserFixture) testPages(t *testing.T) {
	tb := f.tab(t)
	for _, p := range []string{"/", "/sources", "/help", "/timeline?q=Zhanaozen", "/compare?q=Zhanaozen"} {
		if !tb.try(p, http.StatusOK) {
			continue
		}
		if eval[string](tb, `(document.querySelector('main') || document.body).innerText.trim()`) == "" {
			t.Errorf("%s: an empty page", p)
		}
	}
	tb.open("/timeline?q=Zhanaozen", http.StatusOK)
	if n := eval[int](tb, `document.querySelectorAll('main svg').length`); n == 0 {
		t.Error("/timeline: no SVG chart")
	}
	if n := eval[int](tb, `document.querySelectorAll('main table').length`); n == 0 {
		t.Error("/timeline: no table alternative to the chart")
	}
	tb.open("/compare?q=Zhanaozen", http.StatusOK)
	text := strings.ToLower(eval[string](tb, jsText))
	for _, stance := range []string{"independent", "campaign"} {
		if !strings.Contains(text, stance) {
			t.Errorf("/compare: no column for %s sources", stance)
		}
	}
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func containsValue(vals []string, v string) bool {
	for _, x := range vals {
		for _, p := range strings.Split(x, ",") {
			if p == v {
				return true
			}
		}
	}
	return false
}
