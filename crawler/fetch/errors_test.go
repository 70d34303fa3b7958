package fetch

import (
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"presswatch/internal/model"
)

func TestTimeout(t *testing.T) {
	wait := func(d time.Duration, then http.HandlerFunc) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-time.After(d):
				then(w, r)
			}
		}
	}
	hop := func(to string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, to, http.StatusFound) }
	}
	tests := map[string]struct {
		routes  map[string]http.HandlerFunc
		stopped []string // the hop that timed out; on a loaded machine a later hop may be reached late
	}{
		"a server that never answers": {
			routes:  map[string]http.HandlerFunc{"/a": wait(5*time.Second, text("late"))},
			stopped: []string{"/a"},
		},
		"a redirect chain slower than Timeout, each hop faster": {
			routes: map[string]http.HandlerFunc{
				"/a": wait(120*time.Millisecond, hop("/b")),
				"/b": wait(120*time.Millisecond, hop("/c")),
				"/c": wait(120*time.Millisecond, text("late")),
			},
			stopped: []string{"/b", "/c"}, // never /a: each hop alone is faster than Timeout
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := newServer(t, tc.routes)
			f := newFetcher(t, func(o *Options) { o.Timeout = 300 * time.Millisecond })
			start := time.Now()
			r, err := f.Get(context.Background(), Request{URL: s.URL + "/a"})
			if kindOf(err) != model.ErrTimeout {
				t.Fatalf("error %v, want kind timeout", err)
			}
			ok := false
			for _, hop := range tc.stopped {
				ok = ok || err.Error() == "fetch: GET "+s.URL+hop+": timed out after 300ms"
			}
			if !ok {
				t.Errorf("error %q, want a timeout naming one of %v", err, tc.stopped)
			}
			if el := time.Since(start); el > 3*time.Second {
				t.Errorf("took %s", el)
			}
			if r.Status != 0 || r.Fetch.Status != 0 || r.Fetch.ErrorKind != model.ErrTimeout {
				t.Errorf("status %d without an answer, Fetch %+v", r.Status, r.Fetch)
			}
		})
	}
}

func TestNetworkErrors(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := "http://" + ln.Addr().String() + "/a"
	_ = ln.Close()
	tlsServer := httptest.NewUnstartedServer(text("a"))
	tlsServer.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake is expected
	tlsServer.StartTLS()
	t.Cleanup(tlsServer.Close)
	tests := map[string]struct {
		url          string
		ignoreRobots bool
		want         model.ErrorKind
		wantText     string
	}{
		"connection refused":                      {refused, true, model.ErrConnect, "could not connect: connection refused"},
		"connection refused while reading robots": {refused, false, model.ErrConnect, "robots.txt could not be read (could not connect"},
		"untrusted certificate":                   {tlsServer.URL + "/a", true, model.ErrTLS, "TLS handshake failed"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			f := newFetcher(t, nil)
			r, err := f.Get(context.Background(), Request{URL: tc.url, IgnoreRobots: tc.ignoreRobots})
			if kindOf(err) != tc.want || r.Fetch.ErrorKind != tc.want {
				t.Fatalf("error %v, want kind %q", err, tc.want)
			}
			if !strings.Contains(err.Error(), tc.wantText) {
				t.Errorf("error %q lacks %q", err, tc.wantText)
			}
		})
	}
}

// An answer whose headers pass the cap is too large, not a failed
// connection (it was shown as "could not connect").
func TestHeadersTooLarge(t *testing.T) {
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for i := range 40 {
			w.Header().Set(fmt.Sprintf("X-Pad-%d", i), strings.Repeat("a", 32<<10))
		}
		_, _ = io.WriteString(w, "a")
	}))
	t.Cleanup(s.Close)
	f := newFetcher(t, nil)
	r, err := f.Get(context.Background(), Request{URL: s.URL + "/a", IgnoreRobots: true})
	if kindOf(err) != model.ErrTooLarge || r.Fetch.ErrorKind != model.ErrTooLarge {
		t.Fatalf("error %v (fetch kind %q), want kind %q", err, r.Fetch.ErrorKind, model.ErrTooLarge)
	}
	if want := "response headers larger than the 1 MiB cap"; !strings.Contains(err.Error(), want) {
		t.Errorf("error %q lacks %q", err, want)
	}
}
