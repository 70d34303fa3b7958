package fetch

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"testing"

	"presswatch/internal/model"
)

// Pace is asked before every request a Get sends: robots.txt, the first
// request and each redirect hop; its error ends the Get with nothing sent.
func TestPaceIsAskedBeforeEveryRequest(t *testing.T) {
	s := newServer(t, map[string]http.HandlerFunc{
		"/robots.txt": func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) },
		"/a":          func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/b", http.StatusFound) },
		"/b":          text("the page"),
	})
	f := newFetcher(t, nil)
	var turns []string // what the server had seen at each turn
	resp, err := f.Get(context.Background(), Request{URL: s.URL + "/a", Pace: func(context.Context) error {
		turns = append(turns, fmt.Sprintf("robots=%d a=%d b=%d", s.count("/robots.txt"), s.count("/a"), s.count("/b")))
		return nil
	}})
	if err != nil || string(resp.Body) != "the page" {
		t.Fatalf("Get = %v, %v", resp, err)
	}
	if want := []string{"robots=0 a=0 b=0", "robots=1 a=0 b=0", "robots=1 a=1 b=0"}; !slices.Equal(turns, want) {
		t.Errorf("turns = %q, want %q (one before each of robots.txt, /a and /b)", turns, want)
	}

	stop := errors.New("the run's budget is spent")
	before := s.count("/b")
	resp, err = f.Get(context.Background(), Request{URL: s.URL + "/b", Pace: func(context.Context) error { return stop }})
	if !errors.Is(err, stop) || kindOf(err) != model.ErrCanceled || resp.Status != 0 || s.count("/b") != before {
		t.Errorf("Get with a refusing Pace = status %d, %v (kind %q), %d requests; want nothing sent, ErrCanceled wrapping the reason",
			resp.Status, err, kindOf(err), s.count("/b")-before)
	}
}
