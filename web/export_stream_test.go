package web

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"presswatch/index"
)

// slowSearcher answers pages of perPage hits, numbered from 1, taking
// delay for each page; pages pages in all, and fails on page failOn
// (counting from 1; 0 never). It records the context of each call.
type slowSearcher struct {
	pages, perPage, failOn int
	delay                  time.Duration

	mu       sync.Mutex
	calls    int
	deadline time.Time
	gone     chan struct{} // closed when a call sees its context end
	goneOnce sync.Once
}

func (s *slowSearcher) Search(ctx context.Context, req index.Request) (*index.Result, error) {
	page := 1
	if req.After != "" {
		page, _ = strconv.Atoi(req.After)
	}
	s.mu.Lock()
	s.calls++
	s.deadline, _ = ctx.Deadline()
	s.mu.Unlock()
	select {
	case <-time.After(s.delay):
	case <-ctx.Done():
		s.goneOnce.Do(func() { close(s.gone) })
		return nil, ctx.Err()
	}
	if page == s.failOn {
		return nil, errors.New("index: search: the disk went away")
	}
	res := &index.Result{Total: uint64(s.pages * s.perPage)}
	for i := range s.perPage {
		id := int64((page-1)*s.perPage + i + 1)
		res.Hits = append(res.Hits, index.Hit{ID: id, Title: "Report " + strconv.FormatInt(id, 10), Source: "dw",
			FirstSeen: time.Date(2011, 12, 20, 0, 0, 0, 0, time.UTC)})
	}
	if page < s.pages {
		res.Next = strconv.Itoa(page + 1)
	}
	return res, nil
}

// newSlowServer serves s on loopback with a server-wide WriteTimeout of
// one second, as presswatch serve has one of 60 seconds.
func newSlowServer(t *testing.T, s *slowSearcher) *httptest.Server {
	t.Helper()
	s.gone = make(chan struct{})
	srv, err := New(Options{Search: s, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	srv.SetReady(true)
	ts := httptest.NewUnstartedServer(srv)
	ts.Config.WriteTimeout = time.Second
	ts.Config.ReadTimeout = time.Second
	ts.Start()
	t.Cleanup(ts.Close)
	return ts
}

// TestExportOutlastsWriteTimeout: an export of five pages taking 400 ms
// each (2 s) under a 1 s WriteTimeout arrives whole, and says so in its
// trailer.
func TestExportOutlastsWriteTimeout(t *testing.T) {
	ss := &slowSearcher{pages: 5, perPage: 50, delay: 400 * time.Millisecond}
	ts := newSlowServer(t, ss)
	for name, path := range map[string]string{"csv": "/search.csv", "jsonl": "/search.jsonl"} {
		start := time.Now()
		res, err := http.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(res.Body)
		res.Body.Close()
		took := time.Since(start)
		if err != nil {
			t.Fatalf("%s: reading the export after %s: %v (%d bytes read)", name, took, err, len(body))
		}
		if took < 1500*time.Millisecond {
			t.Fatalf("%s: the export took %s, not longer than the WriteTimeout: the test shows nothing", name, took)
		}
		var ids []string
		if name == "csv" {
			rows, err := csv.NewReader(strings.NewReader(string(body))).ReadAll()
			if err != nil {
				t.Fatalf("csv: %v", err)
			}
			for _, r := range rows[1:] {
				ids = append(ids, r[0])
			}
		} else {
			for line := range strings.SplitSeq(strings.TrimSpace(string(body)), "\n") {
				var h index.Hit
				if err := json.Unmarshal([]byte(line), &h); err != nil {
					t.Fatalf("jsonl line %q: %v", line, err)
				}
				ids = append(ids, strconv.FormatInt(h.ID, 10))
			}
		}
		if len(ids) != 250 || ids[0] != "1" || ids[249] != "250" {
			t.Errorf("%s: %d rows (first %v), want ids 1 to 250", name, len(ids), ids[:min(3, len(ids))])
		}
		if got := res.Trailer.Get(exportTrailer); got != "complete; rows=250" {
			t.Errorf("%s: trailer %s = %q, want complete; rows=250", name, exportTrailer, got)
		}
	}
}

// TestExportFailureIsVisible: a search that fails on the third page, after
// two pages were sent, makes the client's read fail, not end cleanly; what
// arrived ends with a line saying the export is incomplete.
func TestExportFailureIsVisible(t *testing.T) {
	ss := &slowSearcher{pages: 5, perPage: 50, failOn: 3, delay: 10 * time.Millisecond}
	ts := newSlowServer(t, ss)
	for name, tc := range map[string]struct{ path, lastLine string }{
		"csv":   {"/search.csv", `# The export is incomplete (rows written: 100)`},
		"jsonl": {"/search.jsonl", `{"incomplete":true,"error":"The export is incomplete (rows written: 100)`},
	} {
		res, err := http.Get(ts.URL + tc.path)
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 {
			t.Fatalf("%s: status %d", name, res.StatusCode)
		}
		if !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Errorf("%s: reading the broken export ended with %v, want %v", name, err, io.ErrUnexpectedEOF)
		}
		lines := strings.Split(strings.TrimSpace(string(body)), "\n")
		if n := len(lines); n < 2 || !strings.HasPrefix(lines[n-1], tc.lastLine) {
			t.Errorf("%s: %d lines, the last %q; want it to start %q", name, n, lines[len(lines)-1], tc.lastLine)
		}
		if got := res.Trailer.Get(exportTrailer); got != "" {
			t.Errorf("%s: a broken export has trailer %q", name, got)
		}
	}
}

// TestExportIsBounded: every search of an export runs under its deadline
// of exportTimeout, and one whose client goes away stops searching.
func TestExportIsBounded(t *testing.T) {
	ss := &slowSearcher{pages: 100, perPage: 50, delay: 50 * time.Millisecond}
	ts := newSlowServer(t, ss)
	start := time.Now()
	res, err := http.Get(ts.URL + "/search.csv")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bufio.NewReader(res.Body).ReadString('\n'); err != nil {
		t.Fatal(err)
	}
	ss.mu.Lock()
	dl := ss.deadline
	ss.mu.Unlock()
	if dl.IsZero() || dl.Before(start.Add(exportTimeout)) || dl.After(time.Now().Add(exportTimeout)) {
		t.Errorf("the export's searches have deadline %v, want %s after the request at %v", dl, exportTimeout, start)
	}
	res.Body.Close() // the client goes away
	select {
	case <-ss.gone:
	case <-time.After(5 * time.Second):
		t.Fatal("the export kept searching 5 s after its client went away")
	}
	ss.mu.Lock()
	calls := ss.calls
	ss.mu.Unlock()
	if calls >= 100 {
		t.Errorf("%d searches for a client that went away after the first page", calls)
	}
}
