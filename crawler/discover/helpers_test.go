package discover

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"presswatch/crawler/fetch"
	"presswatch/internal/model"
)

// site is an httptest server on 127.0.0.1 that counts what it is asked.
// Paths without a route answer 404, robots.txt included.
type site struct {
	*httptest.Server
	mu   sync.Mutex
	hits map[string]int
}

func newSite(t testing.TB, routes map[string]http.HandlerFunc) *site {
	t.Helper()
	s := &site{hits: map[string]int{}}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.hits[r.URL.Path]++
		s.mu.Unlock()
		if h := routes[r.URL.Path]; h != nil {
			h(w, r)
			return
		}
		http.NotFound(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *site) count(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

// newFetcher builds a fetcher for loopback tests: private addresses
// allowed (as crawler/fetch's own tests do), tiny delays.
func newFetcher(t testing.TB, change func(*fetch.Options)) *fetch.Fetcher {
	t.Helper()
	opts := fetch.Options{
		UserAgent:    "presswatch-test/0.1 (+https://example.org/contact)",
		AllowPrivate: true,
		MinDelay:     time.Millisecond,
		Timeout:      5 * time.Second,
	}
	if change != nil {
		change(&opts)
	}
	f, err := fetch.New(opts)
	if err != nil {
		t.Fatalf("fetch.New: %v", err)
	}
	t.Cleanup(f.Close)
	return f
}

func kindOf(err error) model.ErrorKind {
	var me *model.Error
	if errors.As(err, &me) {
		return me.Kind
	}
	if err != nil {
		return "not a *model.Error"
	}
	return ""
}

func serve(contentType, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", contentType)
		_, _ = w.Write([]byte(body))
	}
}

func html(head string) http.HandlerFunc {
	return serve("text/html; charset=utf-8", "<!DOCTYPE html><html><head><title>A page</title>"+head+"</head><body><p>Hello</p></body></html>")
}

func redirect(status int, to string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, to, status) }
}

// rss is an RSS 2.0 feed titled title with n items, the newest dated
// 16 Dec 2011 05:00 +0600.
func rss(title string, n int) http.HandlerFunc {
	items := ""
	for i := range n {
		items += fmt.Sprintf("<item><title>Item %d</title><link>https://example.org/%d</link><pubDate>%s</pubDate></item>",
			i, i, time.Date(2011, 12, 16, 5, 0, 0, 0, time.FixedZone("", 6*3600)).Add(-time.Duration(i)*time.Hour).Format(time.RFC1123Z))
	}
	return serve("application/rss+xml", `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>`+title+`</title><link>https://example.org/</link>`+items+`</channel></rss>`)
}

func atom(title string) http.HandlerFunc {
	return serve("application/atom+xml", `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>`+title+`</title><id>urn:x</id><updated>2011-12-17T10:00:00Z</updated>`+
		`<entry><title>E</title><id>urn:e</id><link href="https://example.org/e"/><updated>2011-12-17T10:00:00Z</updated></entry></feed>`)
}

func jsonFeed(title string) http.HandlerFunc {
	return serve("application/feed+json", `{"version":"https://jsonfeed.org/version/1.1","title":"`+title+`","items":[{"id":"1","url":"https://example.org/1","title":"One","date_published":"2011-12-18T00:00:00Z"}]}`)
}
