package crawler

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"presswatch/internal/model"
)

// A source's schedule changes while the scheduler runs: a new interval
// counts from the last run at once, RunNow reads a source that is
// backing off, and a removed source is neither run nor listed.
func TestSchedulerChanges(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		io.WriteString(w, rss("http://127.0.0.1/"))
	}))
	defer srv.Close()
	c, st, _ := newTestCrawler(t)
	now := time.Now()
	st.states["a"] = model.SourceState{SourceID: "a", LastFetch: now.Add(-10 * time.Minute), LastSuccess: now.Add(-10 * time.Minute),
		NextDue: now.Add(50 * time.Minute)}
	st.states["b"] = model.SourceState{SourceID: "b", LastFetch: now.Add(-time.Minute), Failures: 3, NextDue: now.Add(time.Hour)}
	a := model.Source{ID: "a", Type: model.SourceFeed, URL: srv.URL + "/a", Every: time.Hour}
	b := model.Source{ID: "b", Type: model.SourceFeed, URL: srv.URL + "/b", Every: time.Minute}
	runs := make(chan string, 10)
	s, err := NewScheduler(c, st, []model.Source{a, b}, SchedulerOptions{OnRun: func(r Report) { runs <- r.Source }})
	if err != nil {
		t.Fatal(err)
	}
	s.Start()
	defer s.Stop()

	if next, _ := s.NextRun("a"); next.Before(now.Add(49 * time.Minute)) {
		t.Errorf("a runs at %s, want 50 min after now (an hour after its last run)", next.Sub(now))
	}
	// Every 5 minutes now: its last run was 10 minutes ago, so it is due.
	a.Every = 5 * time.Minute
	if err := s.Set(a); err != nil {
		t.Fatal(err)
	}
	if got := waitRun(t, runs); got != "a" {
		t.Errorf("after the interval changed, %s ran; want a", got)
	}

	// b is backing off for an hour; "run now" reads it anyway.
	if err := s.RunNow("b"); err != nil {
		t.Fatal(err)
	}
	if got := waitRun(t, runs); got != "b" {
		t.Errorf("after RunNow(b), %s ran", got)
	}

	if err := s.Remove("b"); err != nil {
		t.Fatal(err)
	}
	if _, ok := s.NextRun("b"); ok {
		t.Error("a removed source still has a next run")
	}
	if err := s.RunNow("b"); !errors.Is(err, ErrNotScheduled) {
		t.Errorf("RunNow of a removed source: %v, want ErrNotScheduled", err)
	}
	select {
	case r := <-runs:
		t.Errorf("%s ran again", r)
	default:
	}
}

func waitRun(t *testing.T, runs chan string) string {
	t.Helper()
	select {
	case r := <-runs:
		return r
	case <-time.After(10 * time.Second):
		t.Fatal("no run in 10 s")
		return ""
	}
}
