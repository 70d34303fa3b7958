package fetch

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"presswatch/internal/model"
)

// Private addresses are reached only by requests that carry the
// permission (a source with allow_private), checked at dial time; a
// connection opened for an allowed source is not reused for another.
func TestAllowPrivatePerRequest(t *testing.T) {
	for way, allow := range allowIntranet {
		t.Run(way, func(t *testing.T) { testAllowPrivatePerRequest(t, allow) })
	}
}

// allowIntranet are the two ways of letting source "intranet" reach
// private addresses: in its requests, or in the fetcher's options.
var allowIntranet = map[string]func(*Options, *Request){
	"Request.AllowPrivate": func(_ *Options, r *Request) {
		if r.SourceID == "intranet" {
			r.AllowPrivate = true
		}
	},
	"Options.PrivateSources": func(o *Options, _ *Request) {
		if o != nil {
			o.PrivateSources = map[string]bool{"intranet": true}
		}
	},
}

// get fetches u for source with the permission given by allow.
func get(f *Fetcher, allow func(*Options, *Request), u, source string) (*Response, error) {
	req := Request{URL: u, SourceID: source}
	allow(nil, &req)
	return f.Get(context.Background(), req)
}

func testAllowPrivatePerRequest(t *testing.T, allow func(*Options, *Request)) {
	s := newServer(t, map[string]http.HandlerFunc{"/a": text("a"), "/robots.txt": text("")})
	port := s.URL[strings.LastIndex(s.URL, ":"):]
	named := "http://localhost" + port + "/a" // a name, so checked at dial time
	f := newFetcher(t, func(o *Options) { o.AllowPrivate = false; allow(o, &Request{}) })

	r, err := get(f, allow, named, "intranet")
	if err != nil || string(r.Body) != "a" {
		t.Fatalf("allowed source: %v, body %q", err, r.Body)
	}
	for _, u := range []string{named, s.URL + "/a"} {
		_, err = get(f, allow, u, "news")
		if kindOf(err) != model.ErrBlockedAddress {
			t.Fatalf("%s for another source: error %v, want kind blocked_address", u, err)
		}
		for _, want := range []string{"127.0.0.1", `source "news"`} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error %q does not name %s", err, want)
			}
		}
	}
	if n := s.count("/a"); n != 1 {
		t.Errorf("server saw /a %d times, want once (for the allowed source)", n)
	}
}

// A redirect from a public-looking URL to a private address is followed
// only for the source allowed to reach it. With an injected transport only
// literal addresses are checked, so "localhost" stands for a public name.
func TestAllowPrivateRedirect(t *testing.T) {
	for way, allow := range allowIntranet {
		t.Run(way, func(t *testing.T) { testAllowPrivateRedirect(t, allow) })
	}
}

func testAllowPrivateRedirect(t *testing.T, allow func(*Options, *Request)) {
	var s *testServer
	s = newServer(t, map[string]http.HandlerFunc{
		"/from": func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, s.URL+"/to", http.StatusFound) },
		"/to":   text("to"),
	})
	port := s.URL[strings.LastIndex(s.URL, ":"):]
	f := newFetcher(t, func(o *Options) {
		o.AllowPrivate = false
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.Proxy = nil // loopback only, whatever the environment says
		o.Transport = tr
		allow(o, &Request{})
	})
	from := "http://localhost" + port + "/from"

	_, err := get(f, allow, from, "news")
	if kindOf(err) != model.ErrBlockedAddress || !strings.Contains(err.Error(), `source "news"`) ||
		!strings.Contains(err.Error(), "127.0.0.1") {
		t.Errorf("source news: error %v, want kind blocked_address naming 127.0.0.1 and the source", err)
	}
	if s.count("/to") != 0 {
		t.Fatalf("the refused redirect was requested")
	}
	r, err := get(f, allow, from, "intranet")
	if err != nil || string(r.Body) != "to" || s.count("/to") != 1 {
		t.Errorf("source intranet: %v, body %q, /to seen %d times", err, r.Body, s.count("/to"))
	}
}
