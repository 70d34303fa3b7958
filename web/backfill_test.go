package web

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"presswatch/index"
	"presswatch/internal/model"
	"presswatch/internal/store"
)

// Backfills of one archive take turns at its slowest rate: each one's
// estimate counts the others' turns while it has captures left.
func TestBackfillEstimatesShareTheArchivesPace(t *testing.T) {
	wb := func(endpoint string, rate float64) *model.Wayback {
		return &model.Wayback{From: time.Date(2011, 12, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2012, 12, 31, 0, 0, 0, 0, time.UTC),
			Endpoint: endpoint, Rate: rate}
	}
	src := func(id string, w *model.Wayback, remaining int, paused bool) *store.SourceInfo {
		return &store.SourceInfo{Source: model.Source{ID: id, Type: model.SourceWayback, Wayback: w}, Active: true, Paused: paused,
			Backfill: &model.WaybackProgress{SourceID: id, Listed: remaining, Remaining: remaining, Done: true}}
	}
	ia, other := "https://web.archive.org", "https://arquivo.pt"
	srcs := []*store.SourceInfo{
		src("a", wb(ia, 0.4), 10, false),
		src("b", wb(ia, 0.5), 4, false),  // the slowest rate, 0.4, holds for both
		src("c", wb(ia, 0.4), 0, false),  // done: takes no turns
		src("d", wb(ia, 0.1), 50, true),  // paused: neither slows the archive nor takes turns
		src("e", wb(other, 1), 3, false), // another archive, alone
		{Source: model.Source{ID: "f", Type: model.SourceFeed}, Active: true},
	}
	got := SourceStatuses(srcs)
	want := map[string][3]float64{ // estimate seconds, rate, shared with
		"a": {35, 0.4, 1}, // (10 + 4) / 0.4
		"b": {20, 0.4, 1}, // (4 + 4) / 0.4
		"c": {0, 0.4, 0},
		"d": {0, 0.1, 0},
		"e": {3, 1, 0},
	}
	for _, st := range got {
		w, ok := want[st.ID]
		if !ok {
			if st.Backfill != nil {
				t.Errorf("%s: a feed got a backfill %+v", st.ID, st.Backfill)
			}
			continue
		}
		b := st.Backfill
		if b == nil || float64(b.EstimateSeconds) != w[0] || b.Rate != w[1] || float64(b.SharedWith) != w[2] ||
			b.From != "2011-12-01" || b.To != "2012-12-31" {
			t.Errorf("%s: backfill = %+v, want estimate %vs at %v, shared with %v", st.ID, b, w[0], w[1], w[2])
		}
	}
}

func TestApproxDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		40 * time.Second:                  "40 s",
		61 * time.Second:                  "2 min",
		3*time.Hour + 4*time.Minute + 1:   "3 h 5 min",
		50*time.Hour + 10*time.Minute:     "2 d 3 h",
		24 * time.Hour:                    "1 d 0 h",
		3*time.Hour + 59*time.Minute + 30: "4 h 0 min",
	} {
		if got := approxDuration("en", d); got != want {
			t.Errorf("approxDuration(%s) = %q, want %q", d, got, want)
		}
	}
	if got := approxDuration("ru", 3*time.Hour+5*time.Minute); got != "3 ч 5 мин" {
		t.Errorf("in Russian: %q", got)
	}
}

// The sources page shows a backfill's range, progress, estimate and the
// archive's back-off, in English and in Russian.
func TestSourcesPageShowsBackfillProgress(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	src := model.Source{ID: "kazpravda-2011", Name: "Kazakhstanskaya Pravda, 2011", Type: model.SourceWayback, URL: "kazpravda.kz",
		Keep: model.KeepTopic, Every: time.Hour, Stance: model.StanceState,
		Wayback: &model.Wayback{From: time.Date(2011, 12, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2012, 12, 31, 0, 0, 0, 0, time.UTC),
			Endpoint: "https://web.archive.org", Rate: 0.4}}
	if err := st.SyncSources(ctx, []model.Source{src}); err != nil {
		t.Fatal(err)
	}
	var caps []model.WaybackCapture
	for i := range 4000 {
		caps = append(caps, model.WaybackCapture{Timestamp: fmt.Sprintf("201112%02d%06d", i%28+1, i), Original: fmt.Sprintf("http://kazpravda.kz/%d", i), Digest: fmt.Sprint(i)})
	}
	if _, err := st.WaybackListed(ctx, src.ID, caps, "next", false); err != nil {
		t.Fatal(err)
	}
	for _, c := range caps[:10] {
		if err := st.WaybackDone(ctx, src.ID, c, store.CaptureStored, ""); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.WaybackBackoff(ctx, src.ID, time.Now().Add(time.Hour), 1); err != nil {
		t.Fatal(err)
	}
	ix, err := index.OpenMem()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	s, err := New(Options{Search: ix, Store: st, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	s.SetReady(true)
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	for lang, wants := range map[string][]string{
		"en": {"Backfill of 2011-12-01 to 2012-12-31 from https://web.archive.org",
			"4000 captures listed, 10 fetched, 10 stored, 3990 remaining; the archive&#39;s listing is still being read",
			"about 2 h 47 min more at 0.4 requests a second", // 3990 / 0.4 = 9975 s
			"The archive asked presswatch to slow down: nothing is asked before "},
		"ru": {"Загрузка архива с 1 декабря 2011 по 31 декабря 2012 из https://web.archive.org", "осталось: 3\u00a0990",
			"ещё около 2 ч 47 мин при скорости 0,4 запр./с", "Архив попросил presswatch делать запросы реже"},
	} {
		req, _ := http.NewRequest("GET", srv.URL+"/sources", nil)
		req.Header.Set("Accept-Language", lang)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		for _, want := range wants {
			if !strings.Contains(string(b), want) {
				t.Errorf("%s: the sources page lacks %q", lang, want)
			}
		}
	}
}
