package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
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
