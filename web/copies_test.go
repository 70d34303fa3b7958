package web

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"presswatch/internal/model"
	"presswatch/internal/store"
)

// An undated copy first seen before the dated one was published is the
// earliest: the page names it so, the dated copy comes 2 h 30 min after
// it, no delay is negative, and the API's earliest is the same copy.
func TestCopiesEarliestByKnownTime(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.SyncSources(ctx, spSources); err != nil {
		t.Fatal(err)
	}
	dated := &model.Article{URL: "https://rus.azattyq.org/a/1.html", SourceID: "azattyq", Lang: "ru", Title: "Расстрел в Жанаозене",
		Text: "Полиция открыла огонь.", ContentHash: "h1", State: model.StateLive, Provenance: model.ProvenanceCrawl,
		Published: time.Date(2011, 12, 16, 14, 30, 0, 0, almaty), // 08:30 UTC
		FirstSeen: time.Date(2011, 12, 16, 9, 0, 0, 0, time.UTC), LastChecked: time.Date(2011, 12, 16, 9, 0, 0, 0, time.UTC)}
	if err := st.CreateArticle(ctx, dated, nil, ""); err != nil {
		t.Fatal(err)
	}
	undated := &model.Article{URL: "https://khabar.kz/1", SourceID: "khabar", Lang: "ru", Title: "Беспорядки в Жанаозене",
		Text: "Полиция открыла огонь.", ContentHash: "h2", State: model.StateLive, Provenance: model.ProvenanceCrawl, ClusterID: dated.ID,
		FirstSeen: time.Date(2011, 12, 16, 6, 0, 0, 0, time.UTC), LastChecked: time.Date(2011, 12, 16, 6, 0, 0, 0, time.UTC)}
	if err := st.CreateArticle(ctx, undated, nil, ""); err != nil {
		t.Fatal(err)
	}
	s, err := New(Options{Store: st, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: func() time.Time { return pagesNow }})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)

	for _, id := range []string{"1", "2"} {
		_, body := get(t, srv.URL+"/articles/"+id)
		copies := body[strings.Index(body, `<section id="copies">`):]
		copies = copies[:strings.Index(copies, "</section>")]
		first, second := strings.Index(copies, "Беспорядки в Жанаозене"), strings.Index(copies, "Расстрел в Жанаозене")
		if first < 0 || second < first {
			t.Errorf("article %s: the undated copy seen first is not listed first: %s", id, copies)
		}
		if strings.Count(copies, "earliest copy") != 1 || strings.Index(copies, "earliest copy") > second {
			t.Errorf("article %s: the undated copy is not named the earliest: %s", id, copies)
		}
		if !strings.Contains(copies, "2 h 30 min later") || strings.Contains(copies, "earlier") {
			t.Errorf("article %s: want the dated copy 2 h 30 min later and nothing earlier: %s", id, copies)
		}
	}
	for id, want := range map[string]int64{"1": 0, "2": 9000} { // the copy of 1 is the earliest; the copy of 2 is 1
		_, body := get(t, srv.URL+"/api/articles/"+id)
		var a ArticleJSON
		if err := json.Unmarshal([]byte(body), &a); err != nil {
			t.Fatal(err)
		}
		if a.Earliest != undated.ID || len(a.Copies) != 1 || a.Copies[0].Delay != want {
			t.Errorf("article %s: earliest %d, copies %+v; want earliest %d and a delay of %d s", id, a.Earliest, a.Copies, undated.ID, want)
		}
	}
}
