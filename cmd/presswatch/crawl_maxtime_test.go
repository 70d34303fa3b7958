package main

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// feedOf announces the paths of base.
func feedOf(base string, paths ...string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>`)
	for _, p := range paths {
		fmt.Fprintf(&b, `<item><title>Article %s</title><link>%s%s</link></item>`, p, base, p)
	}
	b.WriteString(`</channel></rss>`)
	return b.String()
}

// A one-shot crawl with a site whose articles never answer ends at
// --max-time: it exits 0 with a note, and the articles the other site
// gave are stored and indexed.
func TestCrawlEndsAtMaxTime(t *testing.T) {
	release := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/feed":
			io.WriteString(w, feedOf("http://"+r.Host, "/s1", "/s2", "/s3"))
		case "/robots.txt":
			http.NotFound(w, r)
		default:
			select { // an article that stalls until the test ends
			case <-release:
			case <-r.Context().Done():
			}
		}
	}))
	defer slow.Close()
	defer close(release) // before slow.Close, which waits for its handlers
	fast := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/feed":
			io.WriteString(w, feedOf("http://"+r.Host, "/f1", "/f2"))
		case "/robots.txt":
			http.NotFound(w, r)
		default:
			io.WriteString(w, articlePage("Article "+r.URL.Path, paragraphs("the strike "+r.URL.Path, 6), ""))
		}
	}))
	defer fast.Close()
	cfg := filepath.Join(t.TempDir(), "presswatch.yaml")
	yaml := fmt.Sprintf(`
contact: https://presswatch.test/contact
allow_private_networks: true
crawl: {workers: 4, per_host: 1, min_delay: 2ms, timeout: 20s, run_budget: 1h}
sources:
  - {id: slow, type: feed, url: %s/feed, every: 1h}
  - {id: fast, type: feed, url: %s/feed, every: 1h}
`, slow.URL, fast.URL)
	if err := os.WriteFile(cfg, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	data := t.TempDir()
	_, stderr := presswatch(t, 0, "crawl", "--config", cfg, "--data", data, "--max-time", "2s")
	if !strings.Contains(stderr, "stopped after --max-time 2s: the next crawl continues where this one stopped") ||
		!strings.Contains(stderr, "slow: 3 announced, 0 new, 0 updated, 0 unchanged, 0 skipped, 0 failed") ||
		!strings.Contains(stderr, "crawler: slow: stopped before the run finished") {
		t.Errorf("want the slow source stopped, nothing failed, and a note of --max-time in:\n%s", stderr)
	}
	c := counts(t, data)
	r := searchJSON(t, data, "--limit", "1")
	if c.Articles != 2 || c.Unindexed != 0 || r.Total != 2 {
		t.Errorf("after the crawl: %d articles stored (%d not indexed), %d in the index; want the fast site's 2, indexed", c.Articles, c.Unindexed, r.Total)
	}
}
