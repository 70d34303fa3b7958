package web

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"presswatch/index"
	"presswatch/internal/model"
	"presswatch/internal/store"
)

// countSources are the sources of the counting fixture: one of every
// stance, unknown too, each with a configured name unlike its id.
var countSources = []model.Source{
	{ID: "khabar", Name: "Khabar 24", Stance: model.StanceState},
	{ID: "azattyq", Name: "Radio Azattyq", Stance: model.StanceIndependent},
	{ID: "ak", Name: "Strike committee", Stance: model.StanceCampaign},
	{ID: "dw", Name: "Deutsche Welle", Stance: model.StanceInternational},
	{ID: "vlast", Name: "Vlast.kz", Stance: model.StanceUnknown},
}

// countArticles are spArticles (two state, two independent, one campaign,
// one international) and two of unknown stance: one from vlast, in Kazakh,
// and one from a source nobody configured, with no language found and no
// published date.
func countArticles() []*model.Article {
	seen := time.Date(2011, 12, 20, 8, 0, 0, 0, time.UTC)
	return append(spArticles(),
		&model.Article{ID: 7, SourceID: "vlast", Lang: "kk", URL: "https://vlast.kz/7", FirstSeen: seen,
			Published: time.Date(2011, 12, 17, 15, 0, 0, 0, almaty),
			Title:     "Жаңаөзендегі оқиға", Text: "Жаңаөзен қаласында мұнайшылар ереуіл жасады."},
		&model.Article{ID: 8, SourceID: "ghost", Lang: "", URL: "https://ghost.example/8", FirstSeen: seen,
			Title: "Undated report on the oil strike", Text: "A report on the oil strike without a date."})
}

// countCounts are countArticles' articles by stance, in column order.
var countCounts = map[string]uint64{"state": 2, "independent": 2, "campaign": 1, "international": 1, "unknown": 2}

// newCountServer serves countArticles from an in-memory index and a store
// holding countSources (for their names).
func newCountServer(t testing.TB) *httptest.Server {
	t.Helper()
	return newCountServerWith(t, func(s Searcher) Searcher { return s })
}

// newCountServerWith is newCountServer with its searcher wrapped.
func newCountServerWith(t testing.TB, wrap func(Searcher) Searcher) *httptest.Server {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	srcs := make([]model.Source, len(countSources))
	for i, s := range countSources {
		s.Type, s.URL, s.Every, s.Keep = model.SourceFeed, "https://"+s.ID+".example/feed", time.Hour, model.KeepAll
		srcs[i] = s
	}
	if err := st.SyncSources(ctx, srcs); err != nil {
		t.Fatal(err)
	}
	ix, err := index.OpenMem(index.WithSources(srcs))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	if err := ix.Put(ctx, countArticles()); err != nil {
		t.Fatal(err)
	}
	s, err := New(Options{Search: wrap(ix), Store: st, KeyDates: spKeyDates, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	s.SetReady(true)
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return srv
}

// compareCounter counts the searches it passes on.
type compareCounter struct {
	Searcher
	n atomic.Int64
}

func (c *compareCounter) Search(ctx context.Context, req index.Request) (*index.Result, error) {
	c.n.Add(1)
	return c.Searcher.Search(ctx, req)
}
