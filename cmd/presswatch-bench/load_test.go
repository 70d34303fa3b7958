package main

import (
	"net/url"
	"strings"
	"testing"
)

// The load's mix: the search page and the API in turn, every query of
// the scale section, half of the pairs with a language filter.
func TestLoadURLMixesPagesAPIAndFilters(t *testing.T) {
	pages, apis, filtered := 0, 0, 0
	queries := map[string]bool{}
	const n = 400
	for i := range n {
		u, err := url.Parse(loadURL("http://127.0.0.1:1", i%loadClients, i))
		if err != nil {
			t.Fatal(err)
		}
		switch u.Path {
		case "/search":
			pages++
		case "/api/search":
			apis++
		default:
			t.Fatalf("request %d: path %s", i, u.Path)
		}
		if u.Query().Get("lang") != "" {
			filtered++
		}
		queries[u.Query().Get("q")] = true
	}
	if pages != n/2 || apis != n/2 {
		t.Errorf("%d pages and %d API calls, want %d each", pages, apis, n/2)
	}
	if filtered < n/3 || filtered > 2*n/3 {
		t.Errorf("%d of %d requests filtered by language, want about half", filtered, n)
	}
	if len(queries) != len(scaleQueries) {
		t.Errorf("%d distinct queries, want all %d", len(queries), len(scaleQueries))
	}
}

func TestPct(t *testing.T) {
	s := make([]float64, 100)
	for i := range s {
		s[i] = float64(i + 1)
	}
	for p, want := range map[int]float64{50: 50, 95: 95, 99: 99} {
		if got := pct(s, p); got != want {
			t.Errorf("pct(1..100, %d) = %v, want %v", p, got, want)
		}
	}
	if pct(nil, 95) != 0 {
		t.Error("pct of nothing is not 0")
	}
}

func TestLoadAverageReadsProc(t *testing.T) {
	if f := strings.Fields(loadAverage()); len(f) != 3 {
		t.Errorf("loadAverage() = %q, want three figures", loadAverage())
	}
}
