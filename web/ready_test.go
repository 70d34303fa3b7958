package web

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestReadyzAnswers503UntilReadyThen200 holds /readyz to what serve's
// catch-up (SetReady) says, while /healthz, liveness alone, answers 200.
func TestReadyzAnswers503UntilReadyThen200(t *testing.T) {
	s, err := New(Options{Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	check := func(when string, want int, wantStatus string) {
		t.Helper()
		if res, err := http.Get(srv.URL + "/healthz"); err != nil || res.StatusCode != http.StatusOK {
			t.Errorf("%s: /healthz answered %v (%v), want 200 whether ready or not", when, res.Status, err)
		} else {
			res.Body.Close()
		}
		res, err := http.Get(srv.URL + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var body map[string]any
		if err := json.NewDecoder(res.Body).Decode(&body); err != nil {
			t.Fatalf("%s: /readyz body: %v", when, err)
		}
		if res.StatusCode != want {
			t.Errorf("%s: /readyz answered %d %v, want %d", when, res.StatusCode, body, want)
		}
		if wantStatus != "" && body["status"] != wantStatus {
			t.Errorf("%s: /readyz status %v, want %q", when, body["status"], wantStatus)
		}
		if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("%s: Cache-Control %q, want no-store", when, cc)
		}
	}
	check("before the catch-up", http.StatusServiceUnavailable, "")
	s.SetReady(true)
	check("after the catch-up", http.StatusOK, "ready")
	s.SetReady(false)
	check("marked not ready again", http.StatusServiceUnavailable, "")
}
