package crawler

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"presswatch/crawler/extract"
	"presswatch/crawler/fetch"
	"presswatch/internal/model"
)

// While a run's three items are read and its source's one extraction
// slot is held, Extracting and ItemsInFlight say so: one page extracted,
// two waiting, three items in flight; when the run is over, nothing.
func TestQueuesSayWhatIsUnderWay(t *testing.T) {
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	defer srv.Close()
	mux.HandleFunc("/feed", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, shortRSS(srv.URL, "/a", "/b", "/c")) })
	for _, p := range []string{"/a", "/b", "/c"} {
		mux.HandleFunc(p, func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "<html>page "+p+"</html>") })
	}
	f, err := fetch.New(fetch.Options{UserAgent: "presswatch-test", AllowPrivate: true, MinDelay: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(f.Close)
	entered, release := make(chan struct{}, 3), make(chan struct{})
	c, err := New(Options{Fetcher: f, Sink: &memSink{docs: map[string]*model.Document{}, failed: map[string]model.ErrorKind{}},
		State: &memState{states: map[string]model.SourceState{}}, Log: slog.New(slog.DiscardHandler),
		ExtractWorkers: 2, ItemWorkers: 4, // the source's share is one slot
		Extract: func(html []byte, u string) (*extract.Result, error) {
			entered <- struct{}{}
			<-release
			return &extract.Result{Title: "t", Text: "text of " + u, Lang: "en"}, nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	if running, waiting := c.Extracting(); running != 0 || waiting != 0 || c.ItemsInFlight() != 0 {
		t.Fatalf("before any run: %d extracting, %d waiting, %d items in flight", running, waiting, c.ItemsInFlight())
	}
	done := make(chan Report, 1)
	go func() {
		done <- c.Run(context.Background(), model.Source{ID: "s", Type: model.SourceFeed, URL: srv.URL + "/feed", Every: time.Hour})
	}()
	<-entered
	// The other two pages reach the wait for the slot in their own time.
	eventually(t, "one page extracted, two waiting, three items in flight", func() bool {
		running, waiting := c.Extracting()
		return running == 1 && waiting == 2 && c.ItemsInFlight() == 3
	})
	close(release)
	if rep := <-done; rep.New != 3 {
		t.Fatalf("run %+v, want 3 new articles", rep)
	}
	if c.ItemsInFlight() != 0 {
		t.Errorf("after the run: %d items in flight, want 0", c.ItemsInFlight())
	}
	// An extraction frees its slot just after handing its result over.
	eventually(t, "nothing extracted or waiting after the run", func() bool {
		running, waiting := c.Extracting()
		return running == 0 && waiting == 0
	})
}

// eventually fails t unless cond becomes true within 10 s (a generous
// bound for a loaded machine; it is met within milliseconds).
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	for end := time.Now().Add(10 * time.Second); !cond(); <-tick.C {
		if time.Now().After(end) {
			t.Fatalf("not so within 10 s: %s", what)
		}
	}
}
