package crawler

import (
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"presswatch/internal/model"
)

func TestSchedulerRunsEachSourceAloneAndStops(t *testing.T) {
	block := make(chan struct{})
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		if r.URL.Path == "/slow" {
			select { // longer than the interval: the next run must wait
			case <-block:
			case <-r.Context().Done():
			}
		}
		io.WriteString(w, rss("http://127.0.0.1/"))
	})
	// Two hosts, so the fetcher's per-host limit does not couple the sources.
	fast, slow := httptest.NewServer(handler), httptest.NewServer(handler)
	defer fast.Close()
	defer slow.Close()
	defer close(block)

	c, st, _ := newTestCrawler(t)
	var mu sync.Mutex
	runs := map[string]int{}
	var canceled atomic.Int32
	sources := []model.Source{
		{ID: "fast", Type: model.SourceFeed, URL: fast.URL + "/fast", Every: 50 * time.Millisecond},
		{ID: "slow", Type: model.SourceFeed, URL: slow.URL + "/slow", Every: 50 * time.Millisecond},
	}
	s, err := NewScheduler(c, st, sources, SchedulerOptions{Jitter: 0.1, OnRun: func(r Report) {
		mu.Lock()
		runs[r.Source]++
		mu.Unlock()
		if r.Err != nil && kindOf(r.Err) == model.ErrCanceled {
			canceled.Add(1)
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	s.Start()
	deadline := time.Now().Add(10 * time.Second)
	for {
		mu.Lock()
		n := runs["fast"]
		mu.Unlock()
		if n >= 3 || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if runs["fast"] < 3 {
		t.Errorf("fast source ran %d times in 10 s at a 50 ms interval", runs["fast"])
	}
	// The slow source's only run was blocked until Stop cancelled it: it
	// was never started twice, and its cancelled run saved nothing.
	if runs["slow"] != 1 || canceled.Load() != 1 {
		t.Errorf("slow source: %d runs, %d cancelled; want 1 and 1", runs["slow"], canceled.Load())
	}
	if st.states["slow"].LastFetch != (time.Time{}) {
		t.Errorf("a cancelled run saved state: %+v", st.states["slow"])
	}
	if _, ok := s.NextRun("fast"); !ok {
		t.Error("no next run known for fast")
	}
}
