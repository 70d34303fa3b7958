package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"presswatch/index"
	"presswatch/internal/model"
	"presswatch/internal/store"
)

// pagesNow is the clock of the pages fixture.
var pagesNow = time.Date(2011, 12, 20, 12, 0, 0, 0, time.UTC)

// The hostile article's text: markup a source could carry, which must
// render as inert characters.
const hostileText = "16 декабря 2011 года в Жанаозене полиция открыла огонь.\n\n" +
	"<script>alert(1)</script>\n" +
	`<img src=x onerror=alert(2)> <a href="javascript:alert(3)">click</a>` + "\n\n" +
	"<style>body{display:none}</style>Last paragraph."

// pagesFixture is a store and an index holding three sources and three
// articles: a hostile one (id 1) with a fetch record and two versions, its
// copy from another source (id 2), and an older article (id 3) whose URL is
// not one a browser may follow.
type pagesFixture struct {
	srv    *httptest.Server
	server *Server
	sha    string // of the fetch of article 1
}

func newPagesFixture(t *testing.T, ready bool) *pagesFixture {
	t.Helper()
	ctx := context.Background()
	sources := []model.Source{
		{ID: "azattyq", Name: "Azattyq", Type: model.SourceFeed, URL: "https://rus.azattyq.org/api/x", Stance: model.StanceIndependent, Lang: "ru", Every: time.Hour, Keep: model.KeepAll},
		{ID: "kazpravda", Name: "Kazakhstanskaya Pravda", Type: model.SourcePage, URL: "https://kazpravda.kz/news", Stance: model.StanceState, Lang: "ru", Every: time.Hour, Keep: model.KeepAll},
		{ID: "blog", Name: "Strike blog", Type: model.SourceFeed, URL: "https://blog.example/feed", Stance: model.StanceCampaign, Every: time.Hour, Keep: model.KeepAll},
	}
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(st.SyncSources(ctx, sources))
	_, err = st.SyncTopics(ctx, []model.Topic{{ID: "zhanaozen", Name: "Zhanaozen", Query: "Zhanaozen"}, {ID: "trials", Name: "Trials", Query: "trial"}})
	must(err)
	lastRun := pagesNow.Add(-30 * time.Minute)
	for _, s := range []model.SourceState{
		{SourceID: "azattyq", LastFetch: lastRun, LastSuccess: lastRun, LastStatus: 200, NextDue: lastRun.Add(time.Hour)},
		{SourceID: "kazpravda", LastFetch: lastRun, ErrorKind: model.ErrTimeout, Failures: 3, NextDue: lastRun.Add(2 * time.Hour),
			Error: "crawler: fetch https://kazpravda.kz/news: timed out after 30 s"},
		{SourceID: "blog", LastFetch: lastRun, LastStatus: 200, ErrorKind: model.ErrNotFeed, Failures: 1, NextDue: lastRun.Add(time.Hour),
			Error: "parse: https://blog.example/feed: not a feed: HTML page"},
	} {
		must(st.SaveSourceState(ctx, s))
	}
	f := &pagesFixture{sha: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}
	fetchID, err := st.RecordFetch(ctx, &model.Fetch{SourceID: "azattyq", URL: "https://rus.azattyq.org/a/1.html",
		At: pagesNow.Add(-time.Hour), Status: 200, Bytes: 5120, SHA256: f.sha})
	must(err)

	almaty := time.FixedZone("", 6*3600)
	a1 := &model.Article{URL: "https://rus.azattyq.org/a/1.html", SourceID: "azattyq", Lang: "ru", Author: "Айдос <b>Садыков</b>",
		Title:     "Расстрел нефтяников в Жанаозене <script>alert(1)</script>",
		Text:      "Первая версия.",
		Published: time.Date(2011, 12, 16, 14, 30, 0, 0, almaty), DateSource: model.DateFromMeta,
		FirstSeen: pagesNow.Add(-time.Hour), LastChecked: pagesNow.Add(-time.Hour), ContentHash: "aaa1",
		State: model.StateLive, Provenance: model.ProvenanceCrawl, FetchID: fetchID}
	must(st.CreateArticle(ctx, a1, []string{"zhanaozen"}, ""))
	a1.Text, a1.ContentHash, a1.LastChecked, a1.State = hostileText, "bbb2", pagesNow.Add(-10*time.Minute), model.StateEdited
	must(st.UpdateArticle(ctx, a1, []string{"zhanaozen"}))
	a2 := &model.Article{URL: "https://kazpravda.kz/news/1", SourceID: "kazpravda", Lang: "ru", ClusterID: a1.ID,
		Title: "Беспорядки в Жанаозене", Text: "Хулиганы устроили беспорядки.", ContentHash: "ccc3",
		FirstSeen: pagesNow.AddDate(0, 0, -3), LastChecked: pagesNow.AddDate(0, 0, -3), State: model.StateLive, Provenance: model.ProvenanceCrawl}
	must(st.CreateArticle(ctx, a2, []string{"zhanaozen"}, ""))
	a3 := &model.Article{URL: "javascript:alert(4)", SourceID: "blog", Lang: "en",
		Title: "Zhanaozen: oil workers strike", Text: "Oil workers in Zhanaozen went on strike.", ContentHash: "ddd4",
		Published: time.Date(2011, 5, 26, 0, 0, 0, 0, time.UTC),
		FirstSeen: pagesNow.AddDate(0, 0, -10), LastChecked: pagesNow.AddDate(0, 0, -10), State: model.StateLive, Provenance: model.ProvenanceImport}
	must(st.CreateArticle(ctx, a3, []string{"zhanaozen"}, ""))

	ix, err := index.OpenMem(index.WithSources(sources))
	must(err)
	t.Cleanup(func() { ix.Close() })
	must(ix.Put(ctx, []*model.Article{a1, a2, a3}))

	// The pages' tests are not about load: enough search slots that the
	// few requests a test sends at once are never shed, whatever the
	// machine's core count (the default is one slot per core).
	f.server, err = New(Options{Search: ix, Store: st, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Now: func() time.Time { return pagesNow }, MaxSearches: 16})
	must(err)
	f.server.SetReady(ready)
	f.srv = httptest.NewServer(f.server)
	t.Cleanup(f.srv.Close)
	return f
}

// getLang fetches path in the UI language lang.
func (f *pagesFixture) get(t *testing.T, path, lang string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", f.srv.URL+path, nil)
	if lang != "" {
		req.Header.Set("Accept-Language", lang)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}
