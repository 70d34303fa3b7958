package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"presswatch/internal/model"
	"presswatch/internal/store"
)

// changingSite is a news site whose pages the test edits, removes and
// moves between a crawl and a revisit.
type changingSite struct {
	mu    sync.Mutex
	pages map[string]func(w http.ResponseWriter, r *http.Request)
	srv   *httptest.Server
}

func paragraphs(topic string, n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "<p>Paragraph %d of the report on %s: strikers of Ozenmunaigas gathered on the square of Zhanaozen, "+
			"where witnesses described the events of the day to reporters who had travelled from Aktau and Almaty.</p>\n", i+1, topic)
	}
	return b.String()
}

func articlePage(title, body, sidebar string) string {
	return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>` + title + ` | Steppe Wire</title></head>
<body><header><nav><a href="/">Home</a> <a href="/news/">News</a></nav></header>` + sidebar + `
<main><article><h1>` + title + `</h1><time datetime="2011-12-17T10:00:00Z">17 December 2011</time>` + body + `</article></main>
<footer>© Steppe Wire</footer></body></html>`
}

func (s *changingSite) set(path string, h func(w http.ResponseWriter, r *http.Request)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pages[path] = h
}

func (s *changingSite) serveHTML(path, html string) {
	s.set(path, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, html)
	})
}

func newChangingSite(t *testing.T, names []string) *changingSite {
	s := &changingSite{pages: map[string]func(http.ResponseWriter, *http.Request){}}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		h := s.pages[r.URL.Path]
		s.mu.Unlock()
		if h == nil {
			http.NotFound(w, r)
			return
		}
		h(w, r)
	}))
	t.Cleanup(s.srv.Close)
	var items strings.Builder
	for _, n := range names {
		fmt.Fprintf(&items, "<item><title>Report %s</title><link>%s/news/%s.html</link><pubDate>Sat, 17 Dec 2011 10:00:00 GMT</pubDate></item>\n",
			n, s.srv.URL, n)
		s.serveHTML("/news/"+n+".html", articlePage("Report "+n, paragraphs(n, 8), ""))
	}
	s.serveHTML("/feed.rss", `<?xml version="1.0"?><rss version="2.0"><channel><title>Steppe Wire</title><link>`+s.srv.URL+
		`/</link><description>news</description>`+items.String()+`</channel></rss>`)
	s.serveHTML("/", `<!doctype html><html><head><title>Steppe Wire</title></head><body><h1>Steppe Wire</h1><ul><li><a href="/news/x.html">Latest</a></li></ul></body></html>`)
	return s
}

func revisitOutcomes(out string) map[string]string {
	got := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		f := strings.Split(line, "\t")
		if len(f) == 3 {
			got[f[2][strings.LastIndex(f[2], "/")+1:]] = f[0]
		}
	}
	return got
}

// TestRevisitFindsEditsRemovalsAndReturns crawls a site, changes it the
// ways publishers do, and checks that a revisit finds exactly the edits
// and removals, and nothing else.
func TestRevisitFindsEditsRemovalsAndReturns(t *testing.T) {
	names := []string{"same", "edited", "headline", "gone", "gone410", "home", "flaky", "sidebar", "moved", "soft404",
		"limited", "consent", "cleanup"}
	site := newChangingSite(t, names)
	data := t.TempDir()
	cfg := filepath.Join(t.TempDir(), "presswatch.yaml")
	if err := os.WriteFile(cfg, []byte(fmt.Sprintf(`
contact: https://presswatch.test/contact
allow_private_networks: true
crawl: {workers: 4, per_host: 1, min_delay: 1ms, timeout: 10s}
sources:
  - {id: wire, type: feed, url: %s/feed.rss, stance: independent, every: 1h}
`, site.srv.URL)), 0o644); err != nil {
		t.Fatal(err)
	}
	presswatch(t, 0, "crawl", "--config", cfg, "--data", data)

	// The publisher's changes.
	site.serveHTML("/news/edited.html", articlePage("Report edited",
		strings.Replace(paragraphs("edited", 8), "Paragraph 3 of the report", "Paragraph 3, revised: sixteen were killed, of the report", 1), ""))
	site.serveHTML("/news/headline.html", articlePage("Police fired on strikers", paragraphs("headline", 8), ""))
	site.set("/news/gone.html", http.NotFound)
	site.set("/news/gone410.html", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusGone) })
	site.set("/news/home.html", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/", http.StatusFound) })
	site.set("/news/flaky.html", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusServiceUnavailable) })
	// Not edits: a new "most read" block in the template.
	site.serveHTML("/news/sidebar.html", articlePage("Report sidebar", paragraphs("sidebar", 8),
		`<aside class="most-read"><h2>Most read</h2><ul><li><a href="/a">Oil prices fall</a></li><li><a href="/b">Weather in Aktau</a></li></ul></aside>`))
	movedPage := articlePage("Report moved", paragraphs("moved", 8), "")
	site.serveHTML("/2011/12/moved.html", movedPage)
	site.set("/news/moved.html", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/2011/12/moved.html", http.StatusMovedPermanently)
	})
	// Never removals: a rate limit, a consent wall answering 200, and a
	// permanent redirect to the same article at a cleaner URL.
	site.set("/news/limited.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "1")
		w.WriteHeader(http.StatusTooManyRequests)
	})
	site.serveHTML("/news/consent.html", `<!doctype html><html><head><title>Before you continue | Steppe Wire</title></head>
<body><main><h1>We value your privacy</h1><p>We and our partners store and access information on your device, such as cookies, and process personal data for personalised advertising and content, measurement and audience research. You can accept or manage your choices below, and change them at any time in the privacy settings of the site.</p><p>Accept all. Manage options. Reject all.</p></main></body></html>`)
	site.serveHTML("/news/cleanup", articlePage("Report cleanup", paragraphs("cleanup", 8), ""))
	site.set("/news/cleanup.html", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/news/cleanup", http.StatusMovedPermanently)
	})
	site.serveHTML("/news/soft404.html", `<!doctype html><html><head><title>Page not found | Steppe Wire</title></head>
<body><h1>Page not found</h1><p>The page you asked for does not exist. Try the search.</p></body></html>`)

	out, _ := presswatch(t, 0, "revisit", "--config", cfg, "--data", data, "--all")
	got := revisitOutcomes(out)
	want := map[string]string{
		"same.html": "unchanged", "edited.html": "edited", "headline.html": "edited", "gone.html": "removed",
		"gone410.html": "removed", "home.html": "removed", "flaky.html": "failed", "sidebar.html": "unchanged",
		"moved.html": "moved", "soft404.html": "removed",
		"limited.html": "failed", "consent.html": "failed", "cleanup.html": "moved",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("revisit of %s: %q, want %q", k, got[k], v)
		}
	}
	if len(got) != len(want) {
		t.Errorf("revisit printed %d outcomes, want %d:\n%s", len(got), len(want), out)
	}

	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(data, "presswatch.db"))
	if err != nil {
		t.Fatal(err)
	}
	byName := func(n string) *model.Article {
		t.Helper()
		a, err := st.ArticleByURL(ctx, site.srv.URL+"/news/"+n+".html")
		if err != nil {
			t.Fatalf("article %s: %v", n, err)
		}
		return a
	}
	states := map[string]model.ArticleState{}
	for _, n := range names {
		states[n] = byName(n).State
	}
	wantStates := map[string]model.ArticleState{"same": "live", "edited": "edited", "headline": "edited", "gone": "removed",
		"gone410": "removed", "home": "removed", "flaky": "live", "sidebar": "live", "moved": "live", "soft404": "removed",
		"limited": "live", "consent": "live", "cleanup": "live"}
	for n, s := range wantStates {
		if states[n] != s {
			t.Errorf("state of %s = %s, want %s", n, states[n], s)
		}
	}
	edited := byName("edited")
	vs, err := st.Versions(ctx, edited.ID)
	if err != nil || len(vs) != 2 || vs[1].Kind != model.VersionEdit || !strings.Contains(vs[1].Text, "sixteen were killed") {
		t.Errorf("versions of the edited article = %+v, %v", vs, err)
	}
	evs, _ := st.Events(ctx, byName("headline").ID)
	if len(evs) != 1 || !evs[0].TitleChanged || byName("headline").Title != "Police fired on strikers" {
		t.Errorf("headline edit: events %+v, title %q", evs, byName("headline").Title)
	}
	if gone := byName("gone"); gone.RemovedSince.IsZero() {
		t.Errorf("removed article has no removed-since time")
	}
	if rv, _ := st.Revisit(ctx, byName("moved").ID); rv == nil || !strings.HasSuffix(rv.URL, "/2011/12/moved.html") {
		t.Errorf("moved article is revisited at %+v", rv)
	}
	if rv, _ := st.Revisit(ctx, byName("flaky").ID); rv == nil || rv.Failures != 1 || rv.FailingSince.IsZero() {
		t.Errorf("flaky article's failures = %+v", rv)
	}
	st.Close()

	// The removed page comes back, the edited one flips back to its first
	// text: a return, and no third version.
	site.serveHTML("/news/gone.html", articlePage("Report gone", paragraphs("gone", 8), ""))
	site.serveHTML("/news/edited.html", articlePage("Report edited", paragraphs("edited", 8), ""))
	out, _ = presswatch(t, 0, "revisit", "--config", cfg, "--data", data, "--all", "--source", "wire")
	got = revisitOutcomes(out)
	if got["gone.html"] != "back" || got["edited.html"] != "edited" || got["gone410.html"] != "removed" || got["same.html"] != "unchanged" {
		t.Errorf("second revisit: %v", got)
	}
	st, err = store.Open(ctx, filepath.Join(data, "presswatch.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if a := byName("gone"); a.State != model.StateLive || !a.RemovedSince.IsZero() {
		t.Errorf("returned article: state %s, removed since %v", a.State, a.RemovedSince)
	}
	if vs, _ := st.Versions(ctx, byName("edited").ID); len(vs) != 2 {
		t.Errorf("a page flipping back to its first text has %d versions, want 2", len(vs))
	}
	changes, err := st.Changes(ctx, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, c := range changes {
		kinds = append(kinds, string(c.Kind)+":"+c.Article.URL[strings.LastIndex(c.Article.URL, "/")+1:])
	}
	slices.Sort(kinds)
	wantKinds := []string{"back:gone.html", "edited:edited.html", "edited:edited.html", "edited:headline.html", "removed:gone.html",
		"removed:gone410.html", "removed:home.html", "removed:soft404.html"}
	if !slices.Equal(kinds, wantKinds) {
		t.Errorf("changes = %v\nwant      %v", kinds, wantKinds)
	}

	// Every exchange was archived, and the archive verifies.
	out, _ = presswatch(t, 0, "warc", "verify", "--data", data)
	if !strings.Contains(out, "records") {
		t.Errorf("warc verify printed %q", out)
	}
	f, err := st.Fetch(ctx, byName("same").FetchID)
	if err != nil || f.WARCFile == "" || !strings.HasPrefix(f.WARCRecord, "<urn:uuid:") || f.WARCLength == 0 {
		t.Errorf("the article's fetch names no WARC record: %+v, %v", f, err)
	}
}
