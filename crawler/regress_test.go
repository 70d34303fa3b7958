package crawler

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"

	"presswatch/crawler/extract"
	"presswatch/internal/model"
)

// feedServer serves an RSS feed with an ETag (304 to its validator) and
// every other path as a small page.
func feedServer(t *testing.T, feed func(base string) string, page http.HandlerFunc) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	mux.HandleFunc("/robots.txt", http.NotFound)
	mux.HandleFunc("/feed", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		io.WriteString(w, feed(srv.URL))
	})
	mux.HandleFunc("/", page)
	return srv
}

func okPage(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "<html>x</html>") }

func TestItemsBeyondMaxItemsComeNextRunThoughTheFeedIsUnchanged(t *testing.T) {
	srv := feedServer(t, func(base string) string {
		return rss(base, "/a0", "/a1", "/a2", "/a3", "/a4", "/a5")
	}, okPage)
	c, _, sink := newTestCrawler(t)
	c.opts.MaxItems = 3
	src := model.Source{ID: "s", Type: model.SourceFeed, URL: srv.URL + "/feed", Every: time.Hour}
	c.Run(context.Background(), src)
	rep := c.Run(context.Background(), src)
	if len(sink.docs) != 6 || rep.NotModified {
		t.Fatalf("after two runs %d of 6 items stored (%v)", len(sink.docs), rep)
	}
	if rep := c.Run(context.Background(), src); !rep.NotModified {
		t.Errorf("with everything read, the third run should be a 304: %v", rep)
	}
}

func TestFailedItemIsRetriedWhileTheFeedIsUnchanged(t *testing.T) {
	var fail atomic.Bool
	fail.Store(true)
	srv := feedServer(t, func(base string) string {
		// No description, so the feed cannot stand in for the page.
		return `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>A</title><link>` +
			base + `/a</link></item></channel></rss>`
	}, func(w http.ResponseWriter, r *http.Request) {
		if fail.Load() {
			http.Error(w, "oops", http.StatusInternalServerError)
			return
		}
		okPage(w, r)
	})
	c, _, sink := newTestCrawler(t)
	src := model.Source{ID: "s", Type: model.SourceFeed, URL: srv.URL + "/feed", Every: time.Hour}
	if rep := c.Run(context.Background(), src); rep.Failed != 1 || sink.failed[srv.URL+"/a"] != model.ErrHTTPStatus {
		t.Fatalf("first run: %v, failed %v", rep, sink.failed)
	}
	fail.Store(false)
	c.Run(context.Background(), src)
	if len(sink.docs) != 1 {
		t.Errorf("the page is back but the item was not retried")
	}
}

func TestUnreadableOlderPageKeepsTheFirstPage(t *testing.T) {
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	defer srv.Close()
	mux.HandleFunc("/robots.txt", http.NotFound)
	mux.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `<html><body><div class="post"><a href="/a">A</a></div><div class="post"><a href="/b">B</a></div>
<a class="older" href="/page/2/">Older</a></body></html>`)
	})
	mux.HandleFunc("/a", okPage)
	mux.HandleFunc("/b", okPage)
	c, st, sink := newTestCrawler(t)
	src := model.Source{ID: "s", Type: model.SourcePage, URL: srv.URL + "/", Every: time.Hour,
		Selectors: &model.Selectors{Item: "div.post", Link: "a", Next: "a.older", MaxPages: 3}}
	rep := c.Run(context.Background(), src)
	if len(sink.docs) != 2 || rep.Err != nil || st.states["s"].ErrorKind != "" {
		t.Errorf("page 1 announced 2 items, %d stored; %v", len(sink.docs), rep)
	}
}

func TestSitemapLastmodDoesNotBeatThePagesDate(t *testing.T) {
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	defer srv.Close()
	mux.HandleFunc("/robots.txt", http.NotFound)
	mux.HandleFunc("/sitemap.xml", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>%[1]s/dated.html</loc><lastmod>2024-05-01</lastmod></url>
<url><loc>%[1]s/undated.html</loc><lastmod>2024-05-02</lastmod></url></urlset>`, srv.URL)
	})
	mux.HandleFunc("/", okPage)
	c, _, sink := newTestCrawler(t)
	pageDate := time.Date(2011, 12, 16, 10, 0, 0, 0, time.UTC)
	c.opts.Extract = func(html []byte, u string) (*extract.Result, error) {
		r := &extract.Result{Title: "t", Text: "text", Lang: "en"}
		if u == srv.URL+"/dated.html" {
			r.Published, r.DateSource = pageDate, model.DateFromMeta
		}
		return r, nil
	}
	src := model.Source{ID: "s", Type: model.SourceSitemap, URL: srv.URL + "/sitemap.xml", Every: time.Hour}
	c.Run(context.Background(), src)
	if d := sink.docs[srv.URL+"/dated.html"]; d == nil || !d.Published.Equal(pageDate) || d.DateSource != model.DateFromMeta {
		t.Errorf("dated page: %+v, want the page's own date", d)
	}
	if d := sink.docs[srv.URL+"/undated.html"]; d == nil || d.Published.Format(time.DateOnly) != "2024-05-02" || d.DateSource != model.DateFromListing {
		t.Errorf("undated page: %+v, want lastmod as a last resort", d)
	}
}

func TestFeedCharsetOnlyInTheHeader(t *testing.T) {
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	defer srv.Close()
	body := `<?xml version="1.0"?><rss version="2.0"><channel><title>Новости</title>
<item><title>Жанаозен: суд</title><link>` + srv.URL + `/a</link></item></channel></rss>`
	enc, _ := charmap.Windows1251.NewEncoder().String(body)
	mux.HandleFunc("/robots.txt", http.NotFound)
	mux.HandleFunc("/feed", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml; charset=windows-1251")
		io.WriteString(w, enc)
	})
	mux.HandleFunc("/a", okPage)
	c, _, sink := newTestCrawler(t)
	rep := c.Run(context.Background(), model.Source{ID: "s", Type: model.SourceFeed, URL: srv.URL + "/feed", Every: time.Hour})
	if d := sink.docs[srv.URL+"/a"]; d == nil || d.Title != "Жанаозен: суд" {
		t.Errorf("%v; doc %+v", rep, d)
	}
}

func TestCanonicalToASectionIsNotTrusted(t *testing.T) {
	got := canonicalFor(&extract.Result{CanonicalURL: "https://example.org/news/"}, "https://example.org/news/2011/12/16/x.html")
	if got != "https://example.org/news/2011/12/16/x.html" {
		t.Errorf("canonical = %s", got)
	}
}
