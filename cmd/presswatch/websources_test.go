package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"presswatch/internal/testsite"
	"presswatch/web"
)

// A source added in the web UI of a running serve is read at once, is
// kept across a restart, is paused and resumed there, and
// `presswatch sources export` and `crawl` know it.
func TestWebSourceThroughServe(t *testing.T) {
	if testing.Short() {
		t.Skip("runs serve")
	}
	site := testsite.Start(t, testsite.Options{})
	cfgText := fmt.Sprintf(`
contact: https://presswatch.test/contact
allow_private_networks: true
crawl: {workers: 2, per_host: 1, min_delay: 2ms, timeout: 10s, max_items: 100}
topics:
  - {id: zhanaozen, name: Zhanaozen, query: Zhanaozen Жанаозен Жанаозене}
sources:
  - {id: campaign-rss, type: feed, url: %s/feed.rss, stance: campaign, every: 1h}
`, site.URL)
	cfg := filepath.Join(t.TempDir(), "presswatch.yaml")
	if err := os.WriteFile(cfg, []byte(cfgText), 0o644); err != nil {
		t.Fatal(err)
	}
	data := t.TempDir()

	base, stop := startServe(t, cfg, data)
	// The site's page announces no feed; its /atom.xml is found.
	res, err := http.PostForm(base+"/sources/find", url.Values{"site": {site.URL + "/"}})
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.Contains(string(page), site.URL+"/atom.xml") {
		t.Errorf("finding the site's feeds: %d\n%s", res.StatusCode, page)
	}
	res, err = http.PostForm(base+"/sources", url.Values{"id": {"web-atom"}, "name": {"Campaign Atom"}, "url": {site.URL + "/atom.xml"},
		"type": {"feed"}, "stance": {"campaign"}, "every": {"1h"}, "keep": {"all"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK || res.Request.URL.Path != "/sources" {
		t.Fatalf("adding a source: %d at %s", res.StatusCode, res.Request.URL)
	}
	// Never read before, it is due at once, though its interval is an hour.
	src := waitSource(t, base, "web-atom", func(s web.SourceStatus) bool { return s.LastFetch != nil && s.Articles > 0 })
	if src.Origin != "web" || src.Paused {
		t.Errorf("the added source: %+v", src)
	}
	for _, step := range []struct {
		path   string
		status int
	}{
		{"/sources/web-atom/pause", http.StatusOK},
		{"/sources/web-atom/run", http.StatusConflict}, // paused: not scheduled
		{"/sources/campaign-rss/delete", http.StatusConflict},
	} {
		res, err := http.PostForm(base+step.path, nil)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != step.status {
			t.Errorf("POST %s: %d, want %d", step.path, res.StatusCode, step.status)
		}
	}
	stop()

	// A restart keeps it, paused.
	base, stop = startServe(t, cfg, data)
	waitSource(t, base, "web-atom", func(s web.SourceStatus) bool { return s.Paused && s.Origin == "web" })
	stop()

	out, _ := presswatch(t, 0, "sources", "export", "--config", cfg, "--data", data)
	for _, want := range []string{"id: campaign-rss", "id: web-atom", "name: Campaign Atom", "url: " + site.URL + "/atom.xml", "1 of them added in the web UI", "1 paused"} {
		if !strings.Contains(out, want) {
			t.Errorf("sources export lacks %q:\n%s", want, out)
		}
	}
	_, errOut := presswatch(t, 0, "crawl", "--config", cfg, "--data", data)
	if strings.Contains(errOut, "web-atom") || !strings.Contains(errOut, "campaign-rss") {
		t.Errorf("a crawl read the paused source, or not the file's:\n%s", errOut)
	}
	_, errOut = presswatch(t, 0, "crawl", "--config", cfg, "--data", data, "--source", "web-atom")
	if !strings.Contains(errOut, "web-atom") {
		t.Errorf("crawl --source web-atom did not read it:\n%s", errOut)
	}
}

// startServe runs serve on data, with the flags of extra, until stop,
// returning its address.
func startServe(t *testing.T, cfg, data string, extra ...string) (base string, stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	done := make(chan int, 1)
	args := append([]string{"serve", "--config", cfg, "--data", data, "--addr", "127.0.0.1:0"}, extra...)
	go func() {
		done <- run(ctx, args, &stdout, &stderr)
	}()
	for end := time.Now().Add(30 * time.Second); time.Now().Before(end) && base == ""; time.Sleep(20 * time.Millisecond) {
		if m := servingAt.FindStringSubmatch(stdout.String()); m != nil {
			base = m[1]
		}
	}
	if base == "" {
		cancel()
		t.Fatalf("serve did not start in 30 s\n%s", stderr.String())
	}
	stopped := false
	stop = func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		select {
		case code := <-done:
			if code != 0 {
				t.Errorf("serve exited %d\n%s", code, stderr.String())
			}
		case <-time.After(40 * time.Second):
			t.Fatal("serve did not stop within 40 s")
		}
	}
	t.Cleanup(stop)
	return base, stop
}

// waitSource polls /api/sources until the source id satisfies ok (at
// most 30 s) and returns it.
func waitSource(t *testing.T, base, id string, ok func(web.SourceStatus) bool) web.SourceStatus {
	t.Helper()
	var last web.SourceStatus
	for end := time.Now().Add(30 * time.Second); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
		res, err := http.Get(base + "/api/sources")
		if err != nil {
			continue
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		var got struct{ Sources []web.SourceStatus }
		if json.Unmarshal(body, &got) != nil {
			continue
		}
		for _, s := range got.Sources {
			if s.ID == id {
				if last = s; ok(s) {
					return s
				}
			}
		}
	}
	t.Fatalf("source %s never got there: %+v", id, last)
	return last
}
