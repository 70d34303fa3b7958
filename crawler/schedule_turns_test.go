package crawler

import (
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"presswatch/internal/model"
)

// All sources are due when serve starts: the scheduler reads at most
// Runs of them at once, and the others, waiting their turn, run after.
// Each source's first run comes within 5 ms (its spread is at most half
// its interval).
func TestSchedulerReadsAtMostRunsSourcesAtOnce(t *testing.T) {
	const sources, runs = 6, 2
	var (
		mu             sync.Mutex
		inFlight, most int
		hosts          = map[string]bool{}
		release        = make(chan struct{})
	)
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		mu.Lock()
		inFlight++
		hosts[r.Host] = true
		most = max(most, inFlight)
		mu.Unlock()
		select {
		case <-release:
		case <-r.Context().Done():
		}
		mu.Lock()
		inFlight--
		mu.Unlock()
		io.WriteString(w, rss("http://127.0.0.1/"))
	})
	c, st, _ := newTestCrawler(t)
	var list []model.Source
	for i := range sources {
		srv := httptest.NewServer(handler) // one site each: the per-host limit does not couple them
		t.Cleanup(srv.Close)
		list = append(list, model.Source{ID: string(rune('a' + i)), Type: model.SourceFeed, URL: srv.URL + "/feed", Every: 10 * time.Millisecond})
	}
	done := make(chan string, sources)
	s, err := NewScheduler(c, st, list, SchedulerOptions{Runs: runs, OnRun: func(r Report) {
		select {
		case done <- r.Source:
		default: // a source's next runs, every 10 ms
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	s.Start()
	defer s.Stop()
	deadline := time.After(20 * time.Second)
	// Every source is due within its first run's spread: wait until each
	// is either reading its listing or waiting its turn, then see how
	// many are reading.
	for {
		mu.Lock()
		n := inFlight
		mu.Unlock()
		if n+s.Waiting() == sources {
			break
		}
		select {
		case <-deadline:
			t.Fatalf("%d sources reading and %d waiting after 20 s; want all %d due", n, s.Waiting(), sources)
		case <-time.After(5 * time.Millisecond):
		}
	}
	mu.Lock()
	if inFlight != runs {
		t.Errorf("%d listings read at once; want %d", inFlight, runs)
	}
	mu.Unlock()
	close(release) // the rest, in turn
	ran := map[string]bool{}
	for len(ran) < sources {
		select {
		case id := <-done:
			ran[id] = true
		case <-deadline:
			t.Fatalf("%d of %d sources ran in 20 s", len(ran), sources)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if most != runs || len(hosts) != sources {
		t.Errorf("listings of %d sources read, at most %d at once; want all %d, at most %d at once", len(hosts), most, sources, runs)
	}
}
