package web

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
)

// GET /metrics is Options.Metrics' answer, before the server is ready as
// after; without Options.Metrics it is not found.
func TestMetricsRoute(t *testing.T) {
	scrape := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; version=0.0.4")
		io.WriteString(w, "presswatch_up 1\n")
	})
	for name, tc := range map[string]struct {
		metrics  http.Handler
		method   string
		want     int
		wantBody string
	}{
		"served by Options.Metrics":   {metrics: scrape, method: http.MethodGet, want: http.StatusOK, wantBody: "presswatch_up 1\n"},
		"not found without a handler": {metrics: nil, method: http.MethodGet, want: http.StatusNotFound},
		"only GET, like every page":   {metrics: scrape, method: http.MethodPost, want: http.StatusNotFound},
	} {
		t.Run(name, func(t *testing.T) {
			s, err := New(Options{Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Metrics: tc.metrics})
			if err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(s)
			t.Cleanup(srv.Close)
			req, err := http.NewRequest(tc.method, srv.URL+"/metrics", nil)
			if err != nil {
				t.Fatal(err)
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			body, err := io.ReadAll(res.Body)
			if err != nil {
				t.Fatal(err)
			}
			if res.StatusCode != tc.want {
				t.Fatalf("%s /metrics answered %d, want %d: %s", tc.method, res.StatusCode, tc.want, body)
			}
			if tc.wantBody != "" && string(body) != tc.wantBody {
				t.Errorf("body %q, want %q", body, tc.wantBody)
			}
		})
	}
}
