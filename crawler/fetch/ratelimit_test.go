package fetch

import (
	"context"
	"net/http"
	"testing"
	"time"

	"presswatch/internal/model"
)

func TestRateLimited(t *testing.T) {
	now := time.Date(2011, 12, 16, 10, 0, 0, 0, time.UTC)
	tests := map[string]struct {
		status     int
		retryAfter string
		wantKind   model.ErrorKind
		wantAfter  time.Duration
		wantOK     bool
	}{
		"429 with delta-seconds": {429, "120", model.ErrRateLimited, 2 * time.Minute, true},
		"429 with an HTTP-date":  {429, now.Add(90 * time.Second).Format(http.TimeFormat), model.ErrRateLimited, 90 * time.Second, true},
		"429 with a past date":   {429, now.Add(-time.Hour).Format(http.TimeFormat), model.ErrRateLimited, 0, true},
		"503 with delta-seconds": {503, "30", model.ErrRateLimited, 30 * time.Second, true},
		"429 without the header": {429, "", model.ErrRateLimited, 0, false},
		"429 with garbage":       {429, "soon", model.ErrRateLimited, 0, false},
		"a day is capped at 1h":  {429, "86400", model.ErrRateLimited, MaxRetryAfter, true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := newServer(t, map[string]http.HandlerFunc{"/a": func(w http.ResponseWriter, _ *http.Request) {
				if tc.retryAfter != "" {
					w.Header().Set("Retry-After", tc.retryAfter)
				}
				w.WriteHeader(tc.status)
			}})
			f := newFetcher(t, func(o *Options) { o.Clock = func() time.Time { return now } })
			r, err := f.Get(context.Background(), Request{URL: s.URL + "/a"})
			if kindOf(err) != tc.wantKind || r.Status != tc.status {
				t.Fatalf("error %v, status %d", err, r.Status)
			}
			after, ok := RetryAfter(err)
			if after != tc.wantAfter || ok != tc.wantOK {
				t.Errorf("RetryAfter = %s, %v; want %s, %v", after, ok, tc.wantAfter, tc.wantOK)
			}
		})
	}
}

// After a 429 the host waits as long as the server asked: the next request
// is not sent, and a caller with a short deadline gives up.
func TestRetryAfterHoldsHost(t *testing.T) {
	s := newServer(t, map[string]http.HandlerFunc{"/a": func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Retry-After", "60")
		w.WriteHeader(http.StatusTooManyRequests)
	}})
	f := newFetcher(t, nil)
	if _, err := f.Get(context.Background(), Request{URL: s.URL + "/a"}); kindOf(err) != model.ErrRateLimited {
		t.Fatalf("first Get: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := f.Get(ctx, Request{URL: s.URL + "/a"})
	if kindOf(err) != model.ErrCanceled {
		t.Errorf("second Get: %v, want kind canceled", err)
	}
	if el := time.Since(start); el > 2*time.Second {
		t.Errorf("second Get took %s, should stop with its context", el)
	}
	if n := s.count("/a"); n != 1 {
		t.Errorf("server saw %d requests, want 1", n)
	}
}

func TestRetryAfterOfOtherErrors(t *testing.T) {
	for _, err := range []error{nil, model.Errorf(model.ErrHTTPStatus, "x")} {
		if d, ok := RetryAfter(err); ok || d != 0 {
			t.Errorf("RetryAfter(%v) = %s, %v", err, d, ok)
		}
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2011, 12, 16, 10, 0, 0, 0, time.UTC)
	tests := map[string]struct {
		in     string
		want   time.Duration
		wantOK bool
	}{
		"seconds":            {"5", 5 * time.Second, true},
		"zero":               {"0", 0, true},
		"spaces":             {" 7 ", 7 * time.Second, true},
		"negative":           {"-5", 0, false},
		"huge":               {"99999999999999999", MaxRetryAfter, true},
		"overflowing":        {"999999999999999999999999", 0, false},
		"IMF-fixdate":        {"Fri, 16 Dec 2011 10:02:00 GMT", 2 * time.Minute, true},
		"RFC 850 date":       {"Friday, 16-Dec-11 10:00:30 GMT", 30 * time.Second, true},
		"asctime date":       {"Fri Dec 16 10:00:10 2011", 10 * time.Second, true},
		"empty":              {"", 0, false},
		"fraction not legal": {"1.5", 0, false},
	}
	for name, tc := range tests {
		got, ok := parseRetryAfter(tc.in, now)
		if got != tc.want || ok != tc.wantOK {
			t.Errorf("%s: parseRetryAfter(%q) = %s, %v; want %s, %v", name, tc.in, got, ok, tc.want, tc.wantOK)
		}
	}
}
