package web

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"presswatch/index"
)

// ctxGate is a Searcher (and TermsSearcher) whose searches block until
// their context is done and record how it ended. Its safety net, a
// search's end after giveUp, only stops a broken handler from hanging
// the test; it is not a timing under test.
type ctxGate struct {
	started chan struct{}
	mu      sync.Mutex
	ends    []error // ctx.Err() of each search; nil: it gave up
}

const giveUp = 10 * time.Second

func (g *ctxGate) wait(ctx context.Context) error {
	g.started <- struct{}{}
	var err error
	select {
	case <-ctx.Done():
		err = ctx.Err()
	case <-time.After(giveUp):
	}
	g.mu.Lock()
	g.ends = append(g.ends, err)
	g.mu.Unlock()
	if err == nil {
		return errors.New("not cancelled")
	}
	return err
}

func (g *ctxGate) Search(ctx context.Context, req index.Request) (*index.Result, error) {
	return nil, g.wait(ctx)
}

func (g *ctxGate) TopTerms(ctx context.Context, req index.Request, opts index.TermsOptions) (*index.TermsResult, error) {
	return nil, g.wait(ctx)
}

// When the client leaves, every search page, export and search API call
// stops its search (the searcher sees the request's context cancelled)
// and returns; an HTML page is then not rendered at all.
func TestHandlersStopWhenTheClientLeaves(t *testing.T) {
	for _, path := range []string{"/search", "/timeline", "/compare", "/breakdown", "/terms", "/search.csv", "/search.jsonl",
		"/search.atom", "/api/search", "/api/timeline", "/api/compare", "/api/breakdown", "/api/terms"} {
		t.Run(path, func(t *testing.T) {
			g := &ctxGate{started: make(chan struct{}, 100)}
			s, err := New(Options{Search: g, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
			if err != nil {
				t.Fatal(err)
			}
			s.SetReady(true)
			ctx, cancel := context.WithCancel(context.Background())
			req := httptest.NewRequestWithContext(ctx, "GET", path+"?q=Zhanaozen", nil)
			rec := httptest.NewRecorder()
			done := make(chan struct{})
			go func() { defer close(done); s.ServeHTTP(rec, req) }()
			<-g.started
			cancel()
			<-done
			g.mu.Lock()
			defer g.mu.Unlock()
			for i, end := range g.ends {
				if !errors.Is(end, context.Canceled) {
					t.Errorf("search %d ended with %v, not the request's cancellation", i, end)
				}
			}
			if len(g.ends) == 0 {
				t.Error("no search ended")
			}
			if !strings.HasPrefix(path, "/api/") && !strings.Contains(path, ".") && rec.Body.Len() > 0 {
				t.Errorf("a page was rendered for a client that left: %d bytes", rec.Body.Len())
			}
		})
	}
}
