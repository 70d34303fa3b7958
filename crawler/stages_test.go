package crawler

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"presswatch/crawler/extract"
	"presswatch/internal/model"
)

func TestRunStages(t *testing.T) {
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	defer srv.Close()
	mux.HandleFunc("/feed", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, rss(srv.URL, "/a", "/b")) })
	page := func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(60 * time.Millisecond) // a slow server: network time
		io.WriteString(w, "<html>page</html>")
	}
	mux.HandleFunc("/a", page)
	mux.HandleFunc("/b", page)
	c, _, _ := newTestCrawler(t)
	c.opts.Extract = func(html []byte, u string) (*extract.Result, error) {
		time.Sleep(20 * time.Millisecond) // a slow extraction
		return &extract.Result{Title: "t", Text: "text of " + u}, nil
	}
	rep := c.Run(context.Background(), model.Source{ID: "s", Type: model.SourceFeed, URL: srv.URL + "/feed", Every: time.Hour})
	if rep.Err != nil || rep.New != 2 {
		t.Fatalf("run: %v", rep)
	}
	s := rep.Stages
	if s.Fetch < 120*time.Millisecond || s.Extract < 40*time.Millisecond || s.Extract > s.Fetch || s.Parse <= 0 || s.Store <= 0 {
		t.Errorf("stages %+v: want fetch ≥ 120ms (two slow pages), extract ≥ 40ms and below fetch, parse and store above 0", s)
	}
}

func TestExtractWorkersBound(t *testing.T) {
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	defer srv.Close()
	paths := []string{"/1", "/2", "/3", "/4", "/5", "/6"}
	mux.HandleFunc("/feed", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, rss(srv.URL, paths...)) })
	for _, p := range paths {
		mux.HandleFunc(p, func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "<html>page</html>") })
	}
	c, _, _ := newTestCrawler(t)
	c.extracting = make(chan struct{}, 1)
	var now, most atomic.Int32
	c.opts.Extract = func(html []byte, u string) (*extract.Result, error) {
		if n := now.Add(1); n > most.Load() {
			most.Store(n)
		}
		time.Sleep(5 * time.Millisecond)
		now.Add(-1)
		return &extract.Result{Title: "t", Text: "text of " + u}, nil
	}
	rep := c.Run(context.Background(), model.Source{ID: "s", Type: model.SourceFeed, URL: srv.URL + "/feed", Every: time.Hour})
	if rep.Err != nil || rep.New != 6 || most.Load() != 1 {
		t.Errorf("run %v; %d extractions at once with one extract worker", rep, most.Load())
	}
}
