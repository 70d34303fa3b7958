package web

import "testing"

// A far-future (or far-past) "to" date is a user error, not a server error.
func TestDatesOutsideTheRangeAre400(t *testing.T) {
	srv := newTestServer(t, true)
	for _, p := range []string{"/search?to=9999-12-31", "/timeline?to=9999-12-31", "/compare?to=9999-12-31",
		"/search.csv?to=9999-12-31", "/search.atom?to=9999-12-31", "/api/search?to=9999-12-31"} {
		if res, _ := get(t, srv.URL+p); res.StatusCode != 400 {
			t.Errorf("%s: status %d, want 400", p, res.StatusCode)
		}
	}
}
