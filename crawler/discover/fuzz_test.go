package discover

import (
	"net/http"
	"net/url"
	"testing"

	"presswatch/crawler/fetch"
)

// FuzzAlternates holds that any page yields at most MaxCandidates links,
// each an absolute http(s) URL without a fragment, and never a panic.
func FuzzAlternates(f *testing.F) {
	f.Add([]byte(`<html><head><base href="/f/"><link rel="alternate" type="application/rss+xml" href="rss.xml" title="t"></head></html>`))
	f.Add([]byte(`<head><link rel=alternate type="application/json" href="//other.example/wp-json/x"><link rel="ALTERNATE feed" type=application/atom+xml href=" ../a.xml#x ">`))
	f.Add([]byte(`<base href="javascript:x"><link rel=alternate type=application/feed+json href="mailto:x">`))
	f.Fuzz(func(t *testing.T, page []byte) {
		resp := &fetch.Response{URL: "https://example.org/news/page.html", Header: http.Header{"Content-Type": {"text/html"}}, Body: page}
		links := alternates(resp)
		if len(links) > MaxCandidates {
			t.Fatalf("%d links", len(links))
		}
		for _, l := range links {
			u, err := url.Parse(l.url)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Fragment != "" || l.typ == "" {
				t.Fatalf("link %+v", l)
			}
		}
	})
}
