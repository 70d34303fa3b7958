package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"presswatch/internal/model"
	"presswatch/internal/store"
	"presswatch/web"
)

// Two sources on loopback with allow_private_networks off: the one with
// allow_private is read, feed and article; the other is refused with the
// address and the source named. Its URL's credentials appear neither in
// the crawl's log, nor in `presswatch sources`, nor in its JSON.
func TestAllowPrivatePerSourceAndRedactedCredentials(t *testing.T) {
	var (
		mu   sync.Mutex
		seen = map[string]int{}
	)
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen[r.URL.Path]++
		mu.Unlock()
		switch r.URL.Path {
		case "/intranet.rss", "/news.rss":
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>%[1]s/</link>
<item><title>Zhanaozen strike, day 200</title><link>%[1]s%[2]s-a.html</link><pubDate>Fri, 16 Dec 2011 10:00:00 +0000</pubDate>
<description>Oil workers in Zhanaozen.</description></item></channel></rss>`, srv.URL, strings.TrimSuffix(r.URL.Path, ".rss"))
		case "/intranet-a.html":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, `<html><head><title>Zhanaozen strike, day 200</title></head><body><article><h1>Zhanaozen strike, day 200</h1>`+
				strings.Repeat("<p>Oil workers in Zhanaozen went on with their strike for higher wages and safer work.</p>", 5)+`</article></body></html>`)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	secret := strings.Replace(srv.URL, "http://", "http://reader:s3cr3t@", 1) + "/news.rss?token=s3cr3t&lang=ru"
	cfg := filepath.Join(t.TempDir(), "presswatch.yaml")
	if err := os.WriteFile(cfg, []byte(fmt.Sprintf(`
contact: https://presswatch.test/contact
allow_private_networks: false
crawl: {workers: 2, per_host: 1, min_delay: 2ms, timeout: 10s}
sources:
  - {id: intranet, type: feed, url: %s/intranet.rss, allow_private: true}
  - {id: news, type: feed, url: "%s"}
`, srv.URL, secret)), 0o644); err != nil {
		t.Fatal(err)
	}
	data := t.TempDir()
	_, logs := presswatch(t, 0, "crawl", "--config", cfg, "--data", data, "--log-level", "debug")
	table, _ := presswatch(t, 0, "sources", "--data", data)
	out, _ := presswatch(t, 0, "sources", "--data", data, "--json")
	for name, text := range map[string]string{"the crawl's log": logs, "the sources table": table, "the sources JSON": out} {
		if strings.Contains(text, "s3cr3t") {
			t.Errorf("%s shows the credentials:\n%s", name, text)
		}
	}
	if !strings.Contains(table, "REDACTED") || !strings.Contains(logs, "REDACTED") {
		t.Errorf("the news source's error is not shown redacted:\ntable:\n%s\nlog:\n%s", table, logs)
	}
	var srcs web.SourcesJSON
	if err := json.Unmarshal([]byte(out), &srcs); err != nil {
		t.Fatalf("sources --json: %v\n%s", err, out)
	}
	got := map[string]web.SourceStatus{}
	for _, s := range srcs.Sources {
		got[s.ID] = s
	}
	if in := got["intranet"]; in.ErrorKind != "" || in.Articles != 1 {
		t.Errorf("intranet: %d articles, error %q; want its one article read", in.Articles, in.Error)
	}
	news := got["news"]
	if news.ErrorKind != "blocked_address" || !strings.Contains(news.Error, "127.0.0.1") || !strings.Contains(news.Error, `source "news"`) {
		t.Errorf("news: error kind %q, %q; want blocked_address naming 127.0.0.1 and the source", news.ErrorKind, news.Error)
	}
	if want := strings.Replace(srv.URL, "http://", "http://REDACTED@", 1) + "/news.rss?token=REDACTED&lang=ru"; news.URL != want {
		t.Errorf("news URL %q, want %q", news.URL, want)
	}
	// An error stored by another stage, naming the URL as it is, is shown
	// redacted by the table too.
	st, err := store.Open(context.Background(), filepath.Join(data, "presswatch.db"))
	if err != nil {
		t.Fatal(err)
	}
	news.Error = "parse: " + secret + ": not a feed"
	if err := st.SaveSourceState(context.Background(), model.SourceState{SourceID: "news", LastFetch: time.Now(),
		ErrorKind: model.ErrNotFeed, Error: news.Error, Failures: 1}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	table, _ = presswatch(t, 0, "sources", "--data", data)
	if strings.Contains(table, "s3cr3t") || !strings.Contains(table, "REDACTED") {
		t.Errorf("the sources table shows a stored error unredacted:\n%s", table)
	}
	mu.Lock()
	defer mu.Unlock()
	if seen["/intranet.rss"] != 1 || seen["/intranet-a.html"] != 1 || seen["/news.rss"] != 0 {
		t.Errorf("server saw %v; want the intranet feed and article once, nothing of news", seen)
	}
}

// The logger of every command redacts the URLs in its attributes, so a
// source URL logged as it is configured shows no credentials.
func TestLoggerRedactsURLs(t *testing.T) {
	for _, format := range []string{"text", "json"} {
		var buf bytes.Buffer
		c := common{logLevel: "debug", logFormat: format}
		c.logger(&buf).Info("listing read", "source", "news", "url", "https://reader:s3cr3t@news.example/feed?api_key=s3cr3t")
		if out := buf.String(); strings.Contains(out, "s3cr3t") || !strings.Contains(out, "REDACTED@news.example/feed?api_key=REDACTED") {
			t.Errorf("%s log: %s", format, out)
		}
	}
}
