package discover

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"presswatch/crawler/fetch"
	"presswatch/internal/model"
)

// got is what a test compares of a candidate: the site's URL is written
// as {s}, the newest date in UTC, the error as its kind.
type got struct {
	URL, Title, LinkTitle, Type string
	Items                       int
	Newest                      string
	Err                         model.ErrorKind
}

func brief(s *site, cs []Candidate) []got {
	var out []got
	for _, c := range cs {
		g := got{URL: strings.ReplaceAll(c.URL, s.URL, "{s}"), Title: c.Title, LinkTitle: c.LinkTitle, Type: c.Type, Items: c.Items, Err: kindOf(c.Err)}
		if !c.Newest.IsZero() {
			g.Newest = c.Newest.UTC().Format(time.RFC3339)
		}
		out = append(out, g)
	}
	return out
}

const newestRSS = "2011-12-15T23:00:00Z" // 16 Dec 2011 05:00 +0600

func TestFind(t *testing.T) {
	tests := map[string]struct {
		routes map[string]http.HandlerFunc
		start  string // path Find is given
		want   []got
		hit    map[string]int // paths and how often the site must have seen them
	}{
		"two alternates, one relative to <base>, one to the root; repeats and non-feeds left out": {
			routes: map[string]http.HandlerFunc{
				"/news/": html(`<base href="/feeds/">
					<link rel="stylesheet" type="text/css" href="/style.css">
					<link rel="alternate" hreflang="kk" href="/kk/">
					<link rel="preload" type="application/rss+xml" href="/preload.rss">
					<link rel="alternate" type="application/rss+xml" title="News  feed" href="rss.xml">
					<link rel="alternate" type="application/json" href="/wp-json/wp/v2/pages/7">
					<link rel="alternate" type="application/json+oembed" href="/oembed?url=x">
					<link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
					<link rel="Alternate Feed" type="Application/Atom+XML; charset=utf-8" title="Comments" href="/atom.xml#top">
					<link rel="alternate" type="application/rss+xml" title="again" href="/feeds/rss.xml">`),
				"/feeds/rss.xml": rss("News of Mangystau", 3),
				"/atom.xml":      atom("Comments on News"),
				"/kk/":           rss("not linked as a feed", 1),
				"/preload.rss":   rss("not linked as an alternate", 1),
			},
			start: "/news/",
			want: []got{
				{URL: "{s}/feeds/rss.xml", Title: "News of Mangystau", LinkTitle: "News feed", Type: "rss", Items: 3, Newest: newestRSS},
				{URL: "{s}/atom.xml", Title: "Comments on News", LinkTitle: "Comments", Type: "atom", Items: 1, Newest: "2011-12-17T10:00:00Z"},
			},
			hit: map[string]int{"/feeds/rss.xml": 1, "/atom.xml": 1, "/kk/": 0, "/preload.rss": 0, "/feed": 0},
		},
		"relative hrefs resolve against the URL after redirects": {
			routes: map[string]http.HandlerFunc{
				"/old":               redirect(http.StatusFound, "/section/page.html"),
				"/section/page.html": html(`<link rel="alternate" type="application/feed+json" href="feed.json" title="JSON">`),
				"/section/feed.json": jsonFeed("Section"),
				"/feed.json":         jsonFeed("wrong one"),
			},
			start: "/old",
			want:  []got{{URL: "{s}/section/feed.json", Title: "Section", LinkTitle: "JSON", Type: "json", Items: 1, Newest: "2011-12-18T00:00:00Z"}},
		},
		"no alternates, /feed.xml present; /rss sends the home page": {
			routes: map[string]http.HandlerFunc{
				"/blog/post": html(`<link rel="canonical" href="/blog/post">`),
				"/feed.xml":  atom("The blog"),
				"/rss":       redirect(http.StatusFound, "/"),
				"/":          html(""),
			},
			start: "/blog/post",
			want:  []got{{URL: "{s}/feed.xml", Title: "The blog", Type: "atom", Items: 1, Newest: "2011-12-17T10:00:00Z"}},
			hit:   map[string]int{"/feed": 1, "/rss": 1, "/rss.xml": 1, "/atom.xml": 1, "/feed.xml": 1, "/index.xml": 1, "/feeds/posts/default": 1},
		},
		"common paths that lead to one feed give it once": {
			routes: map[string]http.HandlerFunc{
				"/":      html(""),
				"/feed":  redirect(http.StatusMovedPermanently, "/feed/"),
				"/rss":   redirect(http.StatusMovedPermanently, "/feed/"),
				"/feed/": rss("WordPress", 2),
			},
			start: "/",
			want:  []got{{URL: "{s}/feed/", Title: "WordPress", Type: "rss", Items: 2, Newest: newestRSS}},
		},
		"the URL is itself an RSS feed": {
			routes: map[string]http.HandlerFunc{"/rss": rss("Lada.kz", 5)},
			start:  "/rss",
			want:   []got{{URL: "{s}/rss", Title: "Lada.kz", Type: "rss", Items: 5, Newest: newestRSS}},
			hit:    map[string]int{"/feed": 0},
		},
		"the URL is itself a JSON Feed served as application/json": {
			routes: map[string]http.HandlerFunc{"/feed.json": func(w http.ResponseWriter, r *http.Request) {
				jsonFeed("J")(&contentTypeWriter{ResponseWriter: w, ct: "application/json"}, r)
			}},
			start: "/feed.json",
			want:  []got{{URL: "{s}/feed.json", Title: "J", Type: "json", Items: 1, Newest: "2011-12-18T00:00:00Z"}},
		},
		"the URL is a feed that fails to parse": {
			routes: map[string]http.HandlerFunc{"/broken.rss": serve("application/rss+xml", `<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><item><title>`)},
			start:  "/broken.rss",
			want:   []got{{URL: "{s}/broken.rss", Err: model.ErrParse}},
		},
		"a permanent redirect to a feed gives the feed's URL": {
			routes: map[string]http.HandlerFunc{
				"/go":    redirect(http.StatusMovedPermanently, "/feed/"),
				"/feed/": rss("Moved", 1),
			},
			start: "/go",
			want:  []got{{URL: "{s}/feed/", Title: "Moved", Type: "rss", Items: 1, Newest: newestRSS}},
		},
		"a temporary redirect to a feed keeps the URL given": {
			routes: map[string]http.HandlerFunc{
				"/go":    redirect(http.StatusFound, "/feed/"),
				"/feed/": rss("Today here", 1),
			},
			start: "/go",
			want:  []got{{URL: "{s}/go", Title: "Today here", Type: "rss", Items: 1, Newest: newestRSS}},
		},
		"broken alternates come back with their error; common paths tried": {
			routes: map[string]http.HandlerFunc{
				"/": html(`<link rel="alternate" type="application/rss+xml" title="Gone" href="/gone.xml">
					<link rel="alternate" type="application/atom+xml" title="Error page" href="/error.xml">
					<link rel="alternate" type="application/rss+xml" title="Not one" href="/page.xml">`),
				"/error.xml": func(w http.ResponseWriter, _ *http.Request) { http.Error(w, "oops", http.StatusInternalServerError) },
				"/page.xml":  html(""),
				"/index.xml": rss("Found by its path", 1),
			},
			start: "/",
			want: []got{
				{URL: "{s}/gone.xml", Title: "Gone", LinkTitle: "Gone", Type: "rss", Err: model.ErrHTTPStatus},
				{URL: "{s}/error.xml", Title: "Error page", LinkTitle: "Error page", Type: "atom", Err: model.ErrHTTPStatus},
				{URL: "{s}/page.xml", Title: "Not one", LinkTitle: "Not one", Type: "rss", Err: model.ErrNotFeed},
				{URL: "{s}/index.xml", Title: "Found by its path", Type: "rss", Items: 1, Newest: newestRSS},
			},
		},
		"a feed without a title takes the link's": {
			routes: map[string]http.HandlerFunc{
				"/":             html(`<link rel="alternate" type="application/rss+xml" title="Untitled feed" href="/untitled.xml">`),
				"/untitled.xml": rss("", 1),
			},
			start: "/",
			want:  []got{{URL: "{s}/untitled.xml", Title: "Untitled feed", LinkTitle: "Untitled feed", Type: "rss", Items: 1, Newest: newestRSS}},
		},
		"a <link> in the <body> is not read": {
			routes: map[string]http.HandlerFunc{
				"/":         serve("text/html", `<html><head><title>t</title></head><body><link rel="alternate" type="application/rss+xml" href="/body.xml"></body></html>`),
				"/body.xml": rss("in the body", 1),
				"/rss.xml":  rss("by its path", 1),
			},
			start: "/",
			want:  []got{{URL: "{s}/rss.xml", Title: "by its path", Type: "rss", Items: 1, Newest: newestRSS}},
			hit:   map[string]int{"/body.xml": 0},
		},
		"a page in windows-1251 with a Cyrillic link title": {
			routes: map[string]http.HandlerFunc{
				"/":      serve("text/html; charset=windows-1251", "<html><head><link rel=alternate type=application/rss+xml title=\"\xcd\xee\xe2\xee\xf1\xf2\xe8\" href=/n.rss></head></html>"),
				"/n.rss": rss("N", 1),
			},
			start: "/",
			want:  []got{{URL: "{s}/n.rss", Title: "N", LinkTitle: "Новости", Type: "rss", Items: 1, Newest: newestRSS}},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			s := newSite(t, tc.routes)
			cs, err := Find(context.Background(), newFetcher(t, nil), s.URL+tc.start)
			if err != nil {
				t.Fatalf("Find: %v", err)
			}
			if g := brief(s, cs); !reflect.DeepEqual(g, tc.want) {
				t.Errorf("candidates\n%+v\nwant\n%+v", g, tc.want)
			}
			for path, n := range tc.hit {
				if got := s.count(path); got != n {
					t.Errorf("%s fetched %d times, want %d", path, got, n)
				}
			}
		})
	}
}

type contentTypeWriter struct {
	http.ResponseWriter
	ct string
}

func (w *contentTypeWriter) WriteHeader(code int) {
	w.Header().Set("Content-Type", w.ct)
	w.ResponseWriter.WriteHeader(code)
}

func (w *contentTypeWriter) Write(b []byte) (int, error) {
	w.Header().Set("Content-Type", w.ct)
	return w.ResponseWriter.Write(b)
}

func TestFindErrors(t *testing.T) {
	s := newSite(t, map[string]http.HandlerFunc{
		"/":          html(`<link rel="alternate" type="application/rss+xml" href="/nothing.xml">`),
		"/empty":     html(""),
		"/image.png": serve("image/png", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
		"/data":      serve("application/json", `{"results": [1, 2]}`),
	})
	tests := map[string]struct {
		url    string
		kind   model.ErrorKind
		want   string
		noFeed bool
	}{
		"no feed anywhere": {
			url: s.URL + "/empty", kind: model.ErrNotFeed, noFeed: true,
			want: "discover: " + s.URL + "/empty: no feed found: the page links none in its <head>, and none of /feed, /rss, /rss.xml, /atom.xml, /feed.xml, /index.xml, /feeds/posts/default on its site is one",
		},
		"an image":             {url: s.URL + "/image.png", kind: model.ErrNotFeed, want: "discover: " + s.URL + `/image.png: neither an HTML page nor a feed: Content-Type "image/png"`},
		"JSON that is no feed": {url: s.URL + "/data", kind: model.ErrNotFeed, want: `neither an HTML page nor a feed: Content-Type "application/json"`},
		"a page that is gone":  {url: s.URL + "/gone", kind: model.ErrHTTPStatus, want: "fetch: GET " + s.URL + "/gone: server answered 404 Not Found"},
		"not http":             {url: "ftp://example.org/", kind: model.ErrParse, want: `discover: "ftp://example.org/": scheme "ftp" is not http or https`},
		"empty":                {url: "  ", kind: model.ErrParse, want: `discover: "  ": no address`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			cs, err := Find(context.Background(), newFetcher(t, nil), tc.url)
			if err == nil {
				t.Fatalf("Find gave %+v, want an error", brief(s, cs))
			}
			if kindOf(err) != tc.kind || !strings.Contains(err.Error(), tc.want) || errors.Is(err, ErrNoFeed) != tc.noFeed {
				t.Errorf("error %q (kind %q), want kind %q containing %q, ErrNoFeed %v", err, kindOf(err), tc.kind, tc.want, tc.noFeed)
			}
		})
	}
}

// TestFindRefusesPrivate holds that Find goes through the fetcher's
// address check: a fetcher that may not reach private addresses refuses
// a loopback site, and so a typed intranet address.
func TestFindRefusesPrivate(t *testing.T) {
	s := newSite(t, map[string]http.HandlerFunc{"/": rss("intranet", 1)})
	f := newFetcher(t, func(o *fetch.Options) { o.AllowPrivate = false })
	_, err := Find(context.Background(), f, s.URL+"/")
	if kindOf(err) != model.ErrBlockedAddress || !strings.Contains(err.Error(), s.URL) {
		t.Fatalf("error %v, want %s refused as a private address", err, s.URL)
	}
	if n := s.count("/"); n != 0 {
		t.Errorf("the site was asked %d times", n)
	}
}

func TestPageURL(t *testing.T) {
	for in, want := range map[string]string{
		"example.org":            "https://example.org",
		" example.org/news?a=1 ": "https://example.org/news?a=1",
		"http://example.org/":    "http://example.org/",
		"127.0.0.1:8080/x":       "https://127.0.0.1:8080/x",
	} {
		if got, err := pageURL(in); err != nil || got != want {
			t.Errorf("pageURL(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "mailto:a@example.org", "https://", "javascript://x%zz"} {
		if got, err := pageURL(in); err == nil {
			t.Errorf("pageURL(%q) = %q, want an error", in, got)
		}
	}
}

// TestFindTimeout holds that one candidate that never answers costs its
// own deadline, not the others': it comes back as a timeout and the next
// is still read.
func TestFindTimeout(t *testing.T) {
	s := newSite(t, map[string]http.HandlerFunc{
		"/": html(`<link rel="alternate" type="application/rss+xml" href="/slow.xml">
			<link rel="alternate" type="application/rss+xml" href="/fast.xml">`),
		"/slow.xml": func(_ http.ResponseWriter, r *http.Request) { <-r.Context().Done() },
		"/fast.xml": rss("Fast", 1),
	})
	fd := finder{get: newFetcher(t, nil), timeout: time.Second}
	cs, err := fd.find(context.Background(), s.URL+"/")
	if err != nil {
		t.Fatalf("find: %v", err)
	}
	want := []got{
		{URL: "{s}/slow.xml", Type: "rss", Err: model.ErrTimeout},
		{URL: "{s}/fast.xml", Title: "Fast", Type: "rss", Items: 1, Newest: newestRSS},
	}
	if g := brief(s, cs); !reflect.DeepEqual(g, want) {
		t.Fatalf("candidates\n%+v\nwant\n%+v", g, want)
	}
	if msg := cs[0].Err.Error(); msg != fmt.Sprintf("discover: GET %s/slow.xml: no answer within 1s", s.URL) {
		t.Errorf("timeout error %q", msg)
	}
}

func TestFindCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	s := newSite(t, map[string]http.HandlerFunc{
		"/": html(`<link rel="alternate" type="application/rss+xml" href="/a.xml">
			<link rel="alternate" type="application/rss+xml" href="/b.xml">`),
		"/a.xml": func(w http.ResponseWriter, r *http.Request) { cancel(); rss("A", 1)(w, r) },
		"/b.xml": rss("B", 1),
	})
	cs, err := Find(ctx, newFetcher(t, nil), s.URL+"/")
	if kindOf(err) != model.ErrCanceled {
		t.Fatalf("error %v, want canceled", err)
	}
	if len(cs) != 1 || s.count("/b.xml") != 0 {
		t.Errorf("%d candidates, /b.xml fetched %d times: want the one read before", len(cs), s.count("/b.xml"))
	}
}

// TestFindHasOneDeadline: candidates that each stall up to the per-fetch
// timeout cannot hold Find past its overall bound; the ones checked come
// back with an error that says the search took too long.
func TestFindHasOneDeadline(t *testing.T) {
	stall := func(_ http.ResponseWriter, r *http.Request) { <-r.Context().Done() }
	s := newSite(t, map[string]http.HandlerFunc{
		"/": html(`<link rel="alternate" type="application/rss+xml" href="/a.xml">
			<link rel="alternate" type="application/rss+xml" href="/b.xml">
			<link rel="alternate" type="application/rss+xml" href="/c.xml">
			<link rel="alternate" type="application/rss+xml" href="/d.xml">`),
		"/a.xml": stall, "/b.xml": stall, "/c.xml": stall, "/d.xml": stall,
	})
	fd := finder{get: newFetcher(t, nil), timeout: time.Second, total: 1500 * time.Millisecond}
	cs, err := fd.find(context.Background(), s.URL+"/")
	if err == nil || !strings.Contains(err.Error(), "finding feeds took longer than 1.5s") {
		t.Fatalf("find: %v, want the overall deadline's error", err)
	}
	if len(cs) > 2 {
		t.Errorf("%d candidates checked within 1.5 s of 1 s stalls each, want at most 2", len(cs))
	}
}
