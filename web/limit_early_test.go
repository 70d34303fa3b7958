package web

import (
	"context"
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"presswatch/index"
	"presswatch/internal/store"
)

// sessionCounter is a store that counts the session lookups.
type sessionCounter struct {
	*store.Store
	lookups atomic.Int64
}

func (c *sessionCounter) Session(ctx context.Context, token string) (*store.SessionRow, error) {
	c.lookups.Add(1)
	return c.Store.Session(ctx, token)
}

// shedSearches counts the searches that reach it.
type shedSearches struct{ n atomic.Int64 }

func (c *shedSearches) Search(ctx context.Context, req index.Request) (*index.Result, error) {
	c.n.Add(1)
	return &index.Result{Interval: "day"}, nil
}

// A request shed for load is answered before the costly part of the
// chain: no session lookup (on a private server, with a session cookie),
// no template rendered, no handler, no search; its 503 is the ready one,
// with Retry-After, in the request's UI language, HTML for pages and
// JSON for the API. The same request with a free slot does go through
// the chain, so the counters see it.
func TestShedSkipsTheChain(t *testing.T) {
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	counted := &sessionCounter{Store: st}
	searcher := &shedSearches{}
	s, err := New(Options{Search: searcher, Store: counted, Private: true, MaxSearches: 1,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	s.SetReady(true)
	var renders atomic.Int64
	// Every page rendered from now on is counted: the ready 503s were
	// made in New.
	s.pages = template.Must(template.New("").Funcs(template.FuncMap{"counted": func() string { renders.Add(1); return "" }}).
		Parse(`{{define "error.html"}}{{counted}}{{end}}{{define "login.html"}}{{counted}}{{end}}{{define "search.html"}}{{counted}}{{end}}`))
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)

	// Every slot and place in the queue are taken.
	held := s.searches.acquire(context.Background())
	if held == nil {
		t.Fatal("the free slot was refused")
	}
	s.searches.queue <- struct{}{}
	for range cap(s.exports.slots) {
		if s.exports.acquire(context.Background()) == nil {
			t.Fatal("a free export slot was refused")
		}
	}
	for range cap(s.exports.queue) {
		s.exports.queue <- struct{}{}
	}
	ask := func(path, lang string) (*http.Response, string) {
		t.Helper()
		req, err := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: "a-session-token"})
		if lang != "" {
			req.Header.Set("Accept-Language", lang)
		}
		c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	for _, tc := range []struct{ path, lang, ctype, text string }{
		{"/search?q=oil", "", "text/html", translate("en", "sp.err.busy")},
		{"/search?q=oil", "ru", "text/html", template.HTMLEscapeString(translate("ru", "sp.err.busy"))},
		{"/api/search?q=oil", "", "application/json", translate("en", "sp.err.busy")},
		{"/timeline?q=oil&ui=ru", "", "text/html", template.HTMLEscapeString(translate("ru", "sp.err.busy"))},
		{"/search.csv?q=oil", "", "text/plain", translate("en", "sp.err.busy")},
	} {
		resp, body := ask(tc.path, tc.lang)
		if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") != retryAfter {
			t.Errorf("%s (%s) shed: %d, Retry-After %q; want 503, %s", tc.path, tc.lang, resp.StatusCode, resp.Header.Get("Retry-After"), retryAfter)
		}
		if !strings.HasPrefix(resp.Header.Get("Content-Type"), tc.ctype) || !strings.Contains(body, tc.text) {
			t.Errorf("%s (%s) shed: %s %.300q; want %s saying %q", tc.path, tc.lang, resp.Header.Get("Content-Type"), body, tc.ctype, tc.text)
		}
		if resp.Header.Get("Content-Security-Policy") == "" || resp.Header.Get("X-Frame-Options") != "DENY" {
			t.Errorf("%s shed without the security headers: %v", tc.path, resp.Header)
		}
	}
	if n := counted.lookups.Load(); n != 0 {
		t.Errorf("shed requests looked up their session %d times, want none", n)
	}
	if n := renders.Load(); n != 0 {
		t.Errorf("shed requests rendered %d templates, want none", n)
	}
	if n := searcher.n.Load(); n != 0 {
		t.Errorf("shed requests reached the search %d times", n)
	}
	if l, e := s.SearchLoad(), s.ExportLoad(); l.Shed != 4 || e.Shed != 1 {
		t.Errorf("shed: %d searches and %d exports, want 4 and 1", l.Shed, e.Shed)
	}

	// With the slot free, the chain runs: the session is looked up and
	// the private server sends the request to the login.
	<-s.searches.queue
	s.searches.release(held)
	resp, _ := ask("/search?q=oil", "")
	if resp.StatusCode != http.StatusSeeOther || counted.lookups.Load() == 0 {
		t.Errorf("an admitted request: %d after %d session lookups; want 303 to the login after a lookup", resp.StatusCode, counted.lookups.Load())
	}
	if l := s.SearchLoad(); l.InFlight != 0 {
		t.Errorf("the admitted request left %d slots taken", l.InFlight)
	}
}

// Every limited route is admitted before the chain, by the exact path
// of its pattern; an unclean path falls to the mux and is still limited.
func TestLimitedRoutesAreKnownByPath(t *testing.T) {
	s, err := New(Options{Search: newGate(), Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/search", "/timeline", "/compare", "/breakdown", "/terms", "/search.atom", "/search.csv", "/search.jsonl",
		"/api/search", "/api/timeline", "/api/compare", "/api/breakdown", "/api/terms"} {
		lr := s.limited[p]
		if lr == nil {
			t.Errorf("%s is not admitted before the chain", p)
			continue
		}
		want := s.searches
		if strings.HasSuffix(p, ".csv") || strings.HasSuffix(p, ".jsonl") {
			want = s.exports
		}
		if lr.l != want {
			t.Errorf("%s is under the wrong limit", p)
		}
	}
	for _, p := range []string{"/", "/sources", "/articles/1", "/healthz", "/static/style.css", "/api/sources"} {
		if s.limited[p] != nil {
			t.Errorf("%s is limited", p)
		}
	}
	r := httptest.NewRequest(http.MethodPost, "/search", nil)
	if s.limitOf(r) != nil {
		t.Error("a POST to /search is admitted under the search limit")
	}
}
