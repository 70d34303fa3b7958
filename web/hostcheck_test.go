package web

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// A page on evil.example whose name was re-pointed at 127.0.0.1 sends its
// own name as Host and a matching Origin: cross-origin protection lets it
// through, the host check does not.
func TestDNSRebindingIsRefused(t *testing.T) {
	for _, c := range []struct {
		admin  bool
		hosts  []string
		method string
		host   string
		refuse bool
	}{
		{true, nil, "POST", "evil.example:8080", true},
		{true, nil, "POST", "evil.example", true},
		{true, nil, "DELETE", "127.0.0.1.evil.example", true},
		{true, nil, "POST", "127.0.0.1:8080", false},
		{true, nil, "POST", "127.8.9.1", false},
		{true, nil, "POST", "[::1]:8080", false},
		{true, nil, "POST", "localhost:8080", false},
		{true, nil, "POST", "LOCALHOST.", false},
		{true, []string{"pw.example.org"}, "POST", "pw.example.org", false},
		{true, nil, "GET", "evil.example", false},   // reading is public
		{false, nil, "POST", "evil.example", false}, // not on loopback: the admin guard decides
	} {
		s, err := New(Options{Admin: c.admin, Hosts: c.hosts})
		if err != nil {
			t.Fatal(err)
		}
		r := httptest.NewRequest(c.method, "/no-such-page", nil)
		r.Host = c.host
		r.Header.Set("Origin", "http://"+c.host)
		r.Header.Set("Sec-Fetch-Site", "same-origin")
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		if refused := w.Code == http.StatusForbidden; refused != c.refuse {
			t.Errorf("admin %v, %s for host %q: %d %s", c.admin, c.method, c.host, w.Code, w.Body)
		}
	}
}
