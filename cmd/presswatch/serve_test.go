package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"presswatch/index"
	"presswatch/internal/testsite"

	"github.com/blevesearch/bleve/v2"
)

// syncBuffer is a bytes.Buffer safe for one writer and one reader.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

var servingAt = regexp.MustCompile(`serving (http://127\.0\.0\.1:\d+)/`)

// TestServeCrawlsOnScheduleAndStopsCleanly runs `presswatch serve` on the
// fixture site: the scheduler reads the sources, /api/search finds the
// articles, and cancelling (as SIGTERM does) stops it with exit status 0.
func TestServeCrawlsOnScheduleAndStopsCleanly(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for the scheduler")
	}
	site := testsite.Start(t, testsite.Options{})
	cfg, data := siteConfig(t, site.URL), t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--config", cfg, "--data", data, "--addr", "127.0.0.1:0"}, &stdout, &stderr)
	}()

	var base string
	var res index.Result
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
		if base == "" {
			if m := servingAt.FindStringSubmatch(stdout.String()); m != nil {
				base = m[1]
			}
			continue
		}
		r, err := http.Get(base + "/api/search?q=Жанаозене&limit=50")
		if err != nil {
			continue
		}
		body, _ := io.ReadAll(r.Body)
		r.Body.Close()
		if r.StatusCode == http.StatusOK && json.Unmarshal(body, &res) == nil && res.Total >= 2 {
			break
		}
	}
	if res.Total < 2 {
		cancel()
		t.Fatalf("serve did not make the fixture searchable within 60 s (at %q)\nstderr:\n%s", base, stderr.String())
	}
	if r, err := http.Get(base + "/healthz"); err != nil || r.StatusCode != http.StatusOK {
		t.Errorf("healthz: %v %v", r, err)
	}
	// /metrics counts the source runs (each reported when it ends), what
	// they stored, their fetches and the searches above, and has the
	// gauges read at scrape time.
	wants := []*regexp.Regexp{
		regexp.MustCompile(`(?m)^presswatch_source_runs_total\{outcome="ok",source="[^"]+"\} [1-9]`),
		regexp.MustCompile(`(?m)^presswatch_articles_ingested_total\{outcome="new",source="[^"]+"\} [1-9]`),
		regexp.MustCompile(`(?m)^presswatch_fetches_total\{outcome="ok"\} [1-9]`),
		regexp.MustCompile(`(?m)^presswatch_fetch_duration_seconds_count\{outcome="ok"\} [1-9]`),
		regexp.MustCompile(`(?m)^presswatch_search_duration_seconds_count\{route="/api/search"\} [1-9]`),
		regexp.MustCompile(`(?m)^presswatch_index_lag_articles \d`),
		regexp.MustCompile(`(?m)^presswatch_revisits_due \d`),
		regexp.MustCompile(`(?m)^presswatch_extractions_running \d`),
	}
	missing := func(page string) []string {
		var out []string
		for _, re := range wants {
			if !re.MatchString(page) {
				out = append(out, re.String())
			}
		}
		return out
	}
	var metricsPage string
	for end := time.Now().Add(30 * time.Second); time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
		r, err := http.Get(base + "/metrics")
		if err != nil {
			continue
		}
		body, _ := io.ReadAll(r.Body)
		r.Body.Close()
		metricsPage = string(body)
		if r.StatusCode == http.StatusOK && len(missing(metricsPage)) == 0 {
			break
		}
	}
	if lack := missing(metricsPage); len(lack) > 0 {
		var ours []string
		for _, l := range strings.Split(metricsPage, "\n") {
			if strings.HasPrefix(l, "presswatch_") {
				ours = append(ours, l)
			}
		}
		t.Errorf("/metrics has no line matching %q:\n%s", lack, strings.Join(ours, "\n"))
	}
	// serve listens on loopback, so staff may build today's digest from
	// the web; it holds what was crawled so far, in the deployment's zone.
	almaty, _ := time.LoadLocation("Asia/Almaty")
	today := time.Now().In(almaty).Format(time.DateOnly)
	r, err := http.PostForm(base+"/digests", url.Values{"topic": {"zhanaozen"}, "day": {today}})
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(r.Body)
	r.Body.Close()
	if r.StatusCode != http.StatusOK || r.Request.URL.Path != "/digests/zhanaozen/"+today ||
		!regexp.MustCompile(`[1-9]\d* articles? from [1-9]\d* sources?`).Match(page) {
		t.Errorf("building today's digest from the web: %d at %s\n%.2000s", r.StatusCode, r.Request.URL, page)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("serve exited %d after cancel\n%s", code, stderr.String())
		}
	case <-time.After(40 * time.Second):
		t.Fatal("serve did not stop within 40 s of cancel")
	}
	if site.MaxInFlight() != 1 {
		t.Errorf("the site saw %d requests at once", site.MaxInFlight())
	}
}

// An index made by an older presswatch is rebuilt by serve while it
// answers searches.
func TestServeRebuildsAnIndexOfAnOlderMapping(t *testing.T) {
	if testing.Short() {
		t.Skip("runs serve")
	}
	site := testsite.Start(t, testsite.Options{})
	cfg, data := siteConfig(t, site.URL), t.TempDir()
	presswatch(t, 0, "crawl", "--config", cfg, "--data", data)
	old, err := bleve.Open(filepath.Join(data, "index.bleve"))
	if err != nil {
		t.Fatal(err)
	}
	old.SetInternal([]byte("mapping_version"), []byte("1-standard"))
	old.Close()

	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--config", cfg, "--data", data, "--addr", "127.0.0.1:0", "--no-crawl"}, &stdout, &stderr)
	}()
	deadline := time.Now().Add(60 * time.Second)
	for !strings.Contains(stderr.String(), "index rebuilt") && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	if code := <-done; code != 0 || !strings.Contains(stderr.String(), `"index rebuilt" articles=18`) {
		t.Fatalf("exit %d\n%s", code, stderr.String())
	}
	if fi, err := os.Lstat(filepath.Join(data, "index.bleve")); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the index was not replaced by a new generation: %v", err)
	}
	if r := searchJSON(t, data, "Schanaosen"); r.Total < 2 {
		t.Errorf("after the rebuild, Schanaosen finds %d (every spelling should)", r.Total)
	}
}
