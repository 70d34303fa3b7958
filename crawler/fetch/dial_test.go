package fetch

import (
	"context"
	"net/http"
	"net/netip"
	"strings"
	"testing"

	"presswatch/internal/model"
)

func TestBlockedAddress(t *testing.T) {
	s := newServer(t, map[string]http.HandlerFunc{"/a": text("a"), "/robots.txt": text("")})
	port := s.URL[strings.LastIndex(s.URL, ":"):]
	tests := map[string]string{
		"a literal loopback address":           s.URL + "/a",
		"a name that resolves to loopback":     "http://localhost" + port + "/a",
		"a literal IPv6 loopback address":      "http://[::1]" + port + "/a",
		"an IPv4-mapped IPv6 loopback address": "http://[::ffff:127.0.0.1]" + port + "/a",
	}
	f := newFetcher(t, func(o *Options) { o.AllowPrivate = false })
	for name, u := range tests {
		t.Run(name, func(t *testing.T) {
			r, err := f.Get(context.Background(), Request{URL: u})
			if kindOf(err) != model.ErrBlockedAddress || r.Fetch.ErrorKind != model.ErrBlockedAddress {
				t.Errorf("error %v, want kind blocked_address", err)
			}
			if err != nil && !strings.Contains(err.Error(), "refusing private or local address") {
				t.Errorf("error %q does not say why", err)
			}
		})
	}
	if n := s.count("/a") + s.count("/robots.txt"); n != 0 {
		t.Errorf("server saw %d requests, want none", n)
	}
}

// With an injected transport only literal addresses are checked, on every
// hop: a redirect to one is refused before it is requested.
func TestBlockedRedirect(t *testing.T) {
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
	})
	r, err := f.Get(context.Background(), Request{URL: "http://localhost" + port + "/from"})
	if kindOf(err) != model.ErrBlockedAddress {
		t.Errorf("error %v, want kind blocked_address", err)
	}
	if s.count("/from") != 1 || s.count("/to") != 0 {
		t.Errorf("server saw /from %d and /to %d times", s.count("/from"), s.count("/to"))
	}
	if r.URL != s.URL+"/to" {
		t.Errorf("Response.URL %q, want the refused hop", r.URL)
	}
}

func TestIsBlocked(t *testing.T) {
	tests := map[string]bool{
		"127.0.0.1": true, "127.1.2.3": true, "::1": true, "10.1.2.3": true,
		"172.16.0.1": true, "192.168.1.1": true, "169.254.169.254": true,
		"0.0.0.0": true, "::": true, "fe80::1": true, "fc00::1": true,
		"100.64.0.1": true, "224.0.0.1": true, "255.255.255.255": true,
		"::ffff:10.0.0.1": true, "::ffff:127.0.0.1": true,
		"8.8.8.8": false, "93.184.216.34": false, "2a00:1450:4001::1": false,
		"172.32.0.1": false, "100.128.0.1": false,
	}
	for addr, want := range tests {
		if got := isBlocked(netip.MustParseAddr(addr)); got != want {
			t.Errorf("isBlocked(%s) = %v, want %v", addr, got, want)
		}
	}
}

func TestRefusePrivate(t *testing.T) {
	tests := map[string]bool{
		"127.0.0.1:80": true, "[::1]:443": true, "[fe80::1%eth0]:80": true,
		"8.8.8.8:53": false, "not an address": true,
	}
	for addr, wantErr := range tests {
		if err := refusePrivate("tcp", addr, nil); (err != nil) != wantErr {
			t.Errorf("refusePrivate(%q) = %v, want error %v", addr, err, wantErr)
		}
	}
}
