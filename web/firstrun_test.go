package web

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"presswatch/index"
	"presswatch/internal/model"
	"presswatch/internal/store"
)

// firstRunServer serves a store holding two feed sources with the given
// states and, when stored is set, one article of the first.
func firstRunServer(t *testing.T, states []model.SourceState, stored bool) *httptest.Server {
	t.Helper()
	ctx := context.Background()
	sources := []model.Source{
		{ID: "one", Name: "One", Type: model.SourceFeed, URL: "http://127.0.0.1:9/feed", Every: time.Hour, Keep: model.KeepAll},
		{ID: "two", Name: "Two", Type: model.SourceFeed, URL: "http://127.0.0.1:9/rss", Every: time.Hour, Keep: model.KeepAll},
	}
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.SyncSources(ctx, sources); err != nil {
		t.Fatal(err)
	}
	for _, s := range states {
		if err := st.SaveSourceState(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	if stored {
		a := &model.Article{URL: "http://127.0.0.1:9/a/1", SourceID: "one", Title: "t", Text: "text", ContentHash: "h",
			FirstSeen: pagesNow.AddDate(0, 0, -1), LastChecked: pagesNow.AddDate(0, 0, -1), State: model.StateLive, Provenance: model.ProvenanceCrawl}
		if err := st.CreateArticle(ctx, a, nil, ""); err != nil {
			t.Fatal(err)
		}
	}
	ix, err := index.OpenMem(index.WithSources(sources))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	s, err := New(Options{Search: ix, Store: st, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Now: func() time.Time { return pagesNow }})
	if err != nil {
		t.Fatal(err)
	}
	s.SetReady(true)
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return srv
}

func failed(id string) model.SourceState {
	at := pagesNow.Add(-time.Minute)
	return model.SourceState{SourceID: id, LastFetch: at, ErrorKind: model.ErrConnect, Failures: 2, NextDue: at.Add(time.Hour),
		Error: "fetch: GET http://127.0.0.1:9/feed: connection refused"}
}

// TestHomeSaysWhenNoSourceCouldBeRead: the home page says plainly that no
// source could be read, and what to do, exactly when every source has been
// tried, failed its last run and gave nothing ever.
func TestHomeSaysWhenNoSourceCouldBeRead(t *testing.T) {
	ok := model.SourceState{SourceID: "two", LastFetch: pagesNow.Add(-time.Minute), LastSuccess: pagesNow.Add(-time.Minute), LastStatus: 200}
	for name, tc := range map[string]struct {
		states []model.SourceState
		stored bool
		want   bool
	}{
		"every source failed and gave nothing": {[]model.SourceState{failed("one"), failed("two")}, false, true},
		"a source not tried yet":               {[]model.SourceState{failed("one")}, false, false},
		"a source whose last run succeeded":    {[]model.SourceState{failed("one"), ok}, false, false},
		"a failing source that gave articles":  {[]model.SourceState{failed("one"), failed("two")}, true, false},
	} {
		t.Run(name, func(t *testing.T) {
			srv := firstRunServer(t, tc.states, tc.stored)
			f := &pagesFixture{srv: srv}
			_, en := f.get(t, "/", "en")
			_, ru := f.get(t, "/", "ru")
			for lang, body := range map[string]string{"en": en, "ru": ru} {
				if got := strings.Contains(body, `id="nothing-read"`); got != tc.want {
					t.Fatalf("%s: notice shown %v, want %v", lang, got, tc.want)
				}
				assertNoKeys(t, body)
			}
			if !tc.want {
				return
			}
			for _, want := range []string{"No source could be read", "Check the network", "presswatch import FILE", "presswatch serve --config FILE",
				"a proxy, which presswatch does not use", `<a href="/sources">`} {
				if !strings.Contains(en, want) {
					t.Errorf("English notice lacks %q", want)
				}
			}
			for _, want := range []string{"Ни один источник не удалось прочитать", "Проверьте сеть", "presswatch import ФАЙЛ", "presswatch serve --config ФАЙЛ"} {
				if !strings.Contains(ru, want) {
					t.Errorf("Russian notice lacks %q", want)
				}
			}
			if strings.Contains(en, `href="/import"`) {
				t.Error("the upload link is offered to a visitor who is no administrator")
			}
		})
	}
}

func TestNothingReadable(t *testing.T) {
	at := pagesNow
	fail := SourceStatus{Active: true, Type: "feed", LastFetch: &at, Failures: 1}
	for name, tc := range map[string]struct {
		srcs []SourceStatus
		want bool
	}{
		"no source":         {nil, false},
		"all failed":        {[]SourceStatus{fail, fail}, true},
		"one never tried":   {[]SourceStatus{fail, {Active: true, Type: "feed"}}, false},
		"one ok":            {[]SourceStatus{fail, {Active: true, Type: "feed", LastFetch: &at}}, false},
		"one gave articles": {[]SourceStatus{fail, {Active: true, Type: "feed", LastFetch: &at, Failures: 3, Articles: 1}}, false},
		"paused ignored":    {[]SourceStatus{fail, {Active: true, Paused: true, Type: "feed"}}, true},
		"removed ignored":   {[]SourceStatus{fail, {Type: "feed"}}, true},
		"imports ignored":   {[]SourceStatus{fail, {Active: true, Type: "import", Origin: "import", Articles: 5}}, true},
		"only imports":      {[]SourceStatus{{Active: true, Type: "import", Origin: "import"}}, false},
	} {
		t.Run(name, func(t *testing.T) {
			if got := NothingReadable(tc.srcs); got != tc.want {
				t.Errorf("NothingReadable = %v, want %v", got, tc.want)
			}
		})
	}
}
