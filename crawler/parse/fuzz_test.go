package parse

import (
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"presswatch/internal/model"
)

// checkListing holds for every result of Feed, Page and Sitemap: an error
// is a *model.Error that is not a recovered panic; a listing has at most
// MaxItems items, each with an absolute http(s) URL without a fragment.
func checkListing(t *testing.T, l *Listing, err error) {
	t.Helper()
	if err != nil {
		var me *model.Error
		if !errors.As(err, &me) {
			t.Fatalf("error %v is not a *model.Error", err)
		}
		if strings.Contains(err.Error(), "feed parser failed") {
			t.Fatalf("the feed parser panicked: %v", err)
		}
		return
	}
	if len(l.Items) > MaxItems || len(l.Children) > MaxChildren {
		t.Fatalf("%d items, %d children", len(l.Items), len(l.Children))
	}
	for _, it := range l.Items {
		u, perr := url.Parse(it.URL)
		if perr != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Fragment != "" {
			t.Fatalf("item URL %q", it.URL)
		}
	}
}

// FuzzFeed also fails on an input Feed takes more than 2s over. Minimizing
// new inputs has been seen to stall the fuzzer for long stretches; bound it:
//
//	go test -fuzz ^FuzzFeed$ -fuzzminimizetime 200x ./crawler/parse
func FuzzFeed(f *testing.F) {
	for _, name := range []string{"rss20_koi8-r.xml", "jsonfeed10.json", "sitemap_index.xml"} {
		f.Add(readTestdata(f, name))
	}
	f.Add(syntheticFeed(3))
	f.Add([]byte(`<feed xmlns="http://www.w3.org/2005/Atom"><entry><link href="../a"/><title type="xhtml"><div>x</div></title></entry></feed>`))
	f.Add([]byte(`<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><item><link>b</link></item></rdf:RDF>`))
	f.Add([]byte("<!DOCTYPE html><html></html>"))
	f.Fuzz(func(t *testing.T, body []byte) {
		done := make(chan struct{})
		var l *Listing
		var err error
		go func() {
			defer close(done)
			l, err = Feed(body, "https://feeds.example/feed")
		}()
		select {
		case <-done:
		case <-time.After(2 * time.Second):
			t.Fatalf("Feed did not return within 2s")
		}
		checkListing(t, l, err)
	})
}

func FuzzSitemap(f *testing.F) {
	for _, name := range []string{"sitemap_news.xml", "sitemap_index.xml"} {
		b := readTestdata(f, name)
		f.Add(b)
		f.Add(gz(f, b))
	}
	f.Add([]byte("https://a.example/1\nhttps://a.example/2\n"))
	f.Add([]byte{0x1f, 0x8b})
	f.Fuzz(func(t *testing.T, body []byte) {
		l, err := Sitemap(body, "https://news.example/sitemap.xml")
		checkListing(t, l, err)
	})
}

func FuzzPage(f *testing.F) {
	f.Add(readTestdata(f, "listing_cwi_latest.html"), "#latest .item", "h4 a", ".meta")
	f.Add([]byte(`<base href="//x.example/"><div class=p><a href="a">A</a>12.01.2012</div>`), "div.p", "", "div")
	f.Add([]byte(`<a href="/1">17 декабря 2011</a>`), "a", "", "a")
	f.Fuzz(func(t *testing.T, html []byte, item, link, date string) {
		l, err := Page(html, "https://outlet.example/news/", model.Selectors{Item: item, Link: link, Date: date, Next: "a"})
		checkListing(t, l, err)
	})
}
