package main

import (
	"context"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"presswatch/internal/model"
	"presswatch/internal/store"
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

// A client that honours Retry-After waits its seconds, and one second
// when the header is missing or not a count of seconds.
func TestRetryWait(t *testing.T) {
	for in, want := range map[string]time.Duration{"1": time.Second, "5": 5 * time.Second, "0": 0, "": time.Second,
		"Wed, 21 Oct 2015 07:28:00 GMT": time.Second, "-3": time.Second} {
		if got := retryWait(in); got != want {
			t.Errorf("retryWait(%q) = %s, want %s", in, got, want)
		}
	}
}

// Both kinds of load are reported, under names of their own.
func TestLoadFiguresNameEachKindOfClient(t *testing.T) {
	seen := map[string]bool{}
	for _, k := range loadClientKinds {
		var f loadFigures
		f.add(0, &loadAnswers{ok: []float64{1}, shed: []float64{2}}, 5, 10)
		for _, fig := range f.figures(k) {
			if seen[fig.Name] {
				t.Errorf("two figures named %q", fig.Name)
			}
			seen[fig.Name] = true
		}
		if f.ratio[0] != 0.5 {
			t.Errorf("%s: ratio %v, want 0.5", k.name, f.ratio[0])
		}
	}
	if !loadClientKinds[1].honour || loadClientKinds[0].honour {
		t.Error("the second load, not the first, honours Retry-After")
	}
}

// TestMakeSourcesDueForgetsTheLastRead holds that a source read in one
// run is read again by the next run's serve: its last read and its due
// time are forgotten, the rest of its state kept.
func TestMakeSourcesDueForgetsTheLastRead(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	st, err := store.Open(ctx, filepath.Join(data, "presswatch.db"))
	if err != nil {
		t.Fatal(err)
	}
	src := model.Source{ID: "farm-1", Name: "Farm 1", Type: model.SourceFeed, URL: "http://127.0.0.1:1/feed", Every: time.Hour}
	if err := st.SyncSources(ctx, []model.Source{src}); err != nil {
		t.Fatal(err)
	}
	read := time.Now().Add(-time.Minute).Truncate(time.Millisecond)
	if err := st.SaveSourceState(ctx, model.SourceState{SourceID: src.ID, ETag: `"v1"`, LastFetch: read, LastSuccess: read, NextDue: read.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	st.Close()

	if err := makeSourcesDue(ctx, data); err != nil {
		t.Fatal(err)
	}
	st, err = store.Open(ctx, filepath.Join(data, "presswatch.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	got, err := st.SourceState(ctx, src.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !got.LastFetch.IsZero() || !got.NextDue.IsZero() {
		t.Errorf("last read %v, due %v: want both forgotten", got.LastFetch, got.NextDue)
	}
	if got.ETag != `"v1"` || !got.LastSuccess.Equal(read) {
		t.Errorf("state %+v: the rest should be kept", got)
	}
}
