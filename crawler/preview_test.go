package crawler

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"presswatch/internal/model"
)

// A preview lists what a read would collect, marks what is stored
// already, reads the first new item, and records and stores nothing.
func TestPreview(t *testing.T) {
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	defer srv.Close()
	mux.HandleFunc("/robots.txt", http.NotFound)
	mux.HandleFunc("/feed", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, rss(srv.URL, "/a", "/b", "/c")) })
	mux.HandleFunc("/list", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `<html><body><ul><li class="i"><a href="/a">A</a></li><li class="i"><a href="/b">B</a></li></ul></body></html>`)
	})
	mux.HandleFunc("/index.xml", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>%s/one.xml</loc></sitemap><sitemap><loc>%s/two.xml</loc></sitemap></sitemapindex>`, srv.URL, srv.URL)
	})
	mux.HandleFunc("/one.xml", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>%s/c</loc></url></urlset>`, srv.URL)
	})
	mux.HandleFunc("/html", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "<html><body>not a feed</body></html>")
	})
	for _, p := range []string{"/a", "/b", "/c"} {
		mux.HandleFunc(p, func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "<html><body>page</body></html>") })
	}
	c, st, sink := newTestCrawler(t)
	sink.docs[srv.URL+"/a"] = &model.Document{}

	tests := map[string]struct {
		src                  model.Source
		total, new, children int
		known                []bool
		sample               string
	}{
		"feed": {model.Source{ID: "f", Type: model.SourceFeed, URL: srv.URL + "/feed"}, 3, 2, 0, []bool{true, false, false}, srv.URL + "/b"},
		"page": {model.Source{ID: "p", Type: model.SourcePage, URL: srv.URL + "/list",
			Selectors: &model.Selectors{Item: "li.i", Link: "a"}}, 2, 1, 0, []bool{true, false}, srv.URL + "/b"},
		"sitemap index": {model.Source{ID: "s", Type: model.SourceSitemap, URL: srv.URL + "/index.xml"}, 1, 1, 2, []bool{false}, srv.URL + "/c"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			p, err := c.Preview(context.Background(), tc.src)
			if err != nil {
				t.Fatal(err)
			}
			if p.Total != tc.total || p.New != tc.new || p.Children != tc.children || len(p.Items) != len(tc.known) {
				t.Fatalf("preview: %d items, %d new, %d children, %d listed; want %d, %d, %d, %d", p.Total, p.New, p.Children,
					len(p.Items), tc.total, tc.new, tc.children, len(tc.known))
			}
			for i, it := range p.Items {
				if it.Known != tc.known[i] {
					t.Errorf("item %d (%s): known %v, want %v", i, it.URL, it.Known, tc.known[i])
				}
			}
			if p.SampleErr != nil || p.Sample == nil || p.Sample.URL != tc.sample || !strings.Contains(p.Sample.Text, "text of") {
				t.Errorf("sample: %+v, %v; want %s extracted", p.Sample, p.SampleErr, tc.sample)
			}
		})
	}
	if _, err := c.Preview(context.Background(), model.Source{ID: "h", Type: model.SourceFeed, URL: srv.URL + "/html"}); err == nil {
		t.Error("a page that is not a feed previewed as one")
	}
	if len(st.fetches) != 0 || len(sink.docs) != 1 || len(sink.failed) != 0 {
		t.Errorf("the previews left %d fetches, %d documents, %d failures; want 0, 1, 0", len(st.fetches), len(sink.docs), len(sink.failed))
	}
}
