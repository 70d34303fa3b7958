package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"presswatch/internal/store"
	"presswatch/internal/testsite"
	"presswatch/web"
)

// serve stops within 10 s of SIGTERM even while a source's server keeps
// it waiting, and indexes what was stored before it exits.
func TestServeStopsWithinTenSeconds(t *testing.T) {
	if testing.Short() {
		t.Skip("runs serve")
	}
	fast := testsite.Start(t, testsite.Options{})
	slow := testsite.Start(t, testsite.Options{Latency: time.Minute})
	cfg := filepath.Join(t.TempDir(), "presswatch.yaml")
	if err := os.WriteFile(cfg, []byte(fmt.Sprintf(`
contact: https://presswatch.test/contact
allow_private_networks: true
crawl: {workers: 4, per_host: 1, min_delay: 2ms, timeout: 2m, max_items: 100}
sources:
  - {id: fast, type: feed, url: %s/feed.rss, stance: campaign, every: 1h}
  - {id: slow, type: feed, url: %s/atom.xml, stance: campaign, every: 1h}
`, fast.URL, slow.URL)), 0o644); err != nil {
		t.Fatal(err)
	}
	data := t.TempDir()
	base, stop := startServe(t, cfg, data)
	waitSource(t, base, "fast", func(s web.SourceStatus) bool { return s.Articles > 0 })
	for end := time.Now().Add(10 * time.Second); slow.MaxInFlight() == 0 && time.Now().Before(end); {
		time.Sleep(10 * time.Millisecond)
	}
	if slow.MaxInFlight() == 0 {
		t.Fatal("the slow site got no request in 10 s")
	}
	start := time.Now()
	stop()
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("serve took %s to stop, want at most 10 s", took.Round(time.Millisecond))
	}
	st, err := store.Open(context.Background(), filepath.Join(data, "presswatch.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c, err := st.Counts(context.Background())
	if err != nil || c.Articles == 0 || c.Unindexed != 0 {
		t.Errorf("after the stop: %+v, %v; want articles, every one indexed", c, err)
	}
}

// A page whose handler ignores its request's end (a stuck render) holds
// the web server's stop for its grace alone: its connection is then
// closed, and the rest of serve's 10 s is left to the final indexing.
func TestStopWebCutsOffAStuckPage(t *testing.T) {
	stuck := make(chan struct{})
	entered := make(chan struct{})
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(entered)
		<-stuck // ignores r.Context()
	})}
	defer close(stuck)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	got := make(chan error, 1)
	go func() {
		res, err := http.Get("http://" + ln.Addr().String() + "/")
		if err == nil {
			res.Body.Close()
		}
		got <- err
	}()
	<-entered
	stopped := make(chan error, 1)
	go func() { stopped <- stopWeb(srv, 50*time.Millisecond) }()
	select {
	case err := <-stopped:
		if err == nil || !strings.Contains(err.Error(), "cut off") {
			t.Errorf("stopWeb with a stuck page: %v, want it to say the page was cut off", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("stopWeb waited for the stuck page")
	}
	select {
	case err := <-got:
		if err == nil {
			t.Error("the stuck page's client got an answer; its connection should have been closed")
		}
	case <-time.After(30 * time.Second):
		t.Error("the stuck page's connection is still open")
	}
}
