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
	"presswatch/internal/archive"
	"presswatch/internal/model"
	"presswatch/internal/store"
)

// capturedPage is the HTML of article 1 as its source served it: script,
// a stylesheet and an image of other sites, which the archived copy must
// neither run nor load.
const capturedPage = `<!doctype html><html lang="ru"><head><title>Расстрел в Жанаозене</title>
<link rel="stylesheet" href="https://cdn.example/site.css"><script src="https://cdn.example/track.js"></script>
<style>body{background:url(https://cdn.example/bg.png)}</style></head>
<body onload="window.__pwned=1"><h1>Расстрел в Жанаозене</h1><img src="https://cdn.example/photo.jpg" alt="Площадь">
<p style="color:red">Полиция открыла огонь по нефтяникам.</p><script>window.__pwned=1</script>
<a href="/a/2.html">Дальше</a></body></html>`

// historyFixture is a store, a WARC folder and a server for the life of
// an article after it was first read:
//   - article 1 (azattyq, published 16 Dec 14:30 +06:00): first read from an
//     archived page, edited (headline and words) on 18 Dec, then removed
//     at source on 19 Dec (a 404, archived too); its revisits have failed
//     since 17 Dec 00:00 (more than 72 h before the fixture's now);
//   - article 2 (kazpravda, published 16 Dec 16:45 +06:00): a copy of 1,
//     2 h 15 min later; article 3 (blog, undated): a copy first seen 17 Dec;
//   - article 4 (blog): stored from its feed, then completed with the
//     page's full text; its capture is a PDF;
//   - article 5 (azattyq): revisits failing for 10 h only; its fetch names
//     a WARC file that is not there.
type historyFixture struct {
	srv  *httptest.Server
	st   *store.Store
	dir  string // the WARC folder
	loc  archive.Location
	gone archive.Location // the removal's 404
	f1   int64            // fetch of article 1's first reading
	f404 int64            // fetch of the removal
}

var historyNow = time.Date(2011, 12, 20, 12, 0, 0, 0, time.UTC)

func newHistoryFixture(t *testing.T) *historyFixture {
	t.Helper()
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	h := &historyFixture{dir: filepath.Join(t.TempDir(), "warc")}
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "h.db"))
	must(err)
	t.Cleanup(func() { st.Close() })
	h.st = st
	sources := []model.Source{
		{ID: "azattyq", Name: "Azattyq", Type: model.SourceFeed, URL: "https://rus.azattyq.org/api/x", Stance: model.StanceIndependent, Lang: "ru", Every: time.Hour, Keep: model.KeepAll},
		{ID: "kazpravda", Name: "Kazakhstanskaya Pravda", Type: model.SourcePage, URL: "https://kazpravda.kz/news", Stance: model.StanceState, Lang: "ru", Every: time.Hour, Keep: model.KeepAll},
		{ID: "blog", Name: "Strike blog", Type: model.SourceFeed, URL: "https://blog.example/feed", Stance: model.StanceCampaign, Every: time.Hour, Keep: model.KeepAll},
	}
	must(st.SyncSources(ctx, sources))

	wr, _, err := archive.Open(h.dir, archive.Options{Version: "test", Hostname: "test", Now: func() time.Time { return historyNow }})
	must(err)
	write := func(url string, at time.Time, status int, ctype, body string) (archive.Location, int64) {
		t.Helper()
		loc, err := wr.WriteExchange(archive.Exchange{URL: url, Started: at, Proto: "HTTP/1.1", Status: status,
			RequestHeader: http.Header{"Host": {"rus.azattyq.org"}}, ResponseHeader: http.Header{"Content-Type": {ctype}}, Body: []byte(body)})
		must(err)
		id, err := st.RecordFetch(ctx, &model.Fetch{SourceID: "azattyq", URL: url, At: at, Status: status, Bytes: int64(len(body)),
			SHA256: loc.PayloadSHA256, WARCFile: loc.File, WARCRecord: loc.RecordID, WARCOffset: loc.Offset, WARCLength: loc.Length})
		must(err)
		return loc, id
	}
	first := time.Date(2011, 12, 16, 9, 0, 0, 0, time.UTC)
	h.loc, h.f1 = write("https://rus.azattyq.org/a/1.html", first, 200, "text/html; charset=utf-8", capturedPage)
	_, fEdit := write("https://rus.azattyq.org/a/1.html", time.Date(2011, 12, 18, 10, 0, 0, 0, time.UTC), 200, "text/html; charset=utf-8",
		"<html><body><h1>Беспорядки в Жанаозене</h1><p>Полиция восстановила порядок.</p></body></html>")
	h.gone, h.f404 = write("https://rus.azattyq.org/a/1.html", time.Date(2011, 12, 19, 8, 0, 0, 0, time.UTC), 404, "text/html", "<html><body>Not found</body></html>")
	_, fPDF := write("https://blog.example/report.pdf", first, 200, "application/pdf", "%PDF-1.4 a report")
	must(wr.Close())
	fMissing, err := st.RecordFetch(ctx, &model.Fetch{SourceID: "azattyq", URL: "https://rus.azattyq.org/a/5.html", At: first, Status: 200,
		SHA256: "55", WARCFile: "presswatch-19700101000000-0-gone.warc.gz", WARCRecord: "<urn:uuid:00000000-0000-0000-0000-000000000005>", WARCOffset: 0, WARCLength: 100})
	must(err)

	almaty := time.FixedZone("", 6*3600)
	a1 := &model.Article{URL: "https://rus.azattyq.org/a/1.html", SourceID: "azattyq", Lang: "ru", Author: "Айдос Садыков",
		Title: "Расстрел в Жанаозене", Text: "Полиция открыла огонь по нефтяникам.",
		Published: time.Date(2011, 12, 16, 14, 30, 0, 0, almaty), DateSource: model.DateFromMeta,
		FirstSeen: first, LastChecked: first, ContentHash: "h1", State: model.StateLive, Provenance: model.ProvenanceCrawl, FetchID: h.f1}
	must(st.Create(ctx, store.NewArticle{Article: a1, Revisit: &model.Revisit{SourceID: "azattyq", URL: a1.URL}}))
	edited := time.Date(2011, 12, 18, 10, 0, 0, 0, time.UTC)
	a1.Title, a1.Text, a1.ContentHash, a1.State, a1.EditedAt, a1.LastChecked = "Беспорядки в Жанаозене", "Полиция восстановила порядок.", "h2", model.StateEdited, edited, edited
	must(st.ApplyChange(ctx, store.Change{Article: a1, Version: model.VersionEdit,
		Events: []*model.Event{{ArticleID: a1.ID, At: edited, Kind: model.EventEdited, FetchID: fEdit, TitleChanged: true, WordsRemoved: 4, WordsAdded: 2}}}))
	gone := time.Date(2011, 12, 19, 8, 0, 0, 0, time.UTC)
	a1.State, a1.RemovedSince, a1.LastChecked = model.StateRemoved, gone, gone
	must(st.ApplyChange(ctx, store.Change{Article: a1,
		Events:  []*model.Event{{ArticleID: a1.ID, At: gone, Kind: model.EventRemoved, FetchID: h.f404, Detail: "404 Not Found"}},
		Revisit: &model.Revisit{ArticleID: a1.ID, SourceID: "azattyq", URL: a1.URL, Failures: 5, FailingSince: historyNow.Add(-84 * time.Hour)}}))

	a2 := &model.Article{URL: "https://kazpravda.kz/news/1", SourceID: "kazpravda", Lang: "ru", ClusterID: a1.ID,
		Title: "Беспорядки в Жанаозене", Text: "Полиция восстановила порядок.", ContentHash: "c2",
		Published: time.Date(2011, 12, 16, 16, 45, 0, 0, almaty), FirstSeen: first.Add(3 * time.Hour), LastChecked: first,
		State: model.StateLive, Provenance: model.ProvenanceCrawl}
	must(st.CreateArticle(ctx, a2, nil, ""))
	a3 := &model.Article{URL: "https://blog.example/copy", SourceID: "blog", Lang: "ru", ClusterID: a1.ID,
		Title: "Копия", Text: "Полиция открыла огонь.", ContentHash: "c3",
		FirstSeen: time.Date(2011, 12, 17, 12, 0, 0, 0, time.UTC), LastChecked: first, State: model.StateLive, Provenance: model.ProvenanceCrawl}
	must(st.CreateArticle(ctx, a3, nil, ""))

	a4 := &model.Article{URL: "https://blog.example/report.pdf", SourceID: "blog", Lang: "en", Title: "Strike report",
		Text: "Feed summary.", ContentHash: "d1", FirstSeen: first, LastChecked: first, State: model.StateLive,
		Provenance: model.ProvenanceCrawl, FetchID: fPDF}
	must(st.Create(ctx, store.NewArticle{Article: a4}))
	done := first.Add(time.Hour)
	a4.Text, a4.ContentHash, a4.LastChecked = "The whole report on the oil workers' strike.", "d2", done
	must(st.ApplyChange(ctx, store.Change{Article: a4, Version: model.VersionCompleted,
		Events: []*model.Event{{ArticleID: a4.ID, At: done, Kind: model.EventCompleted, FetchID: fPDF}}}))

	a5 := &model.Article{URL: "https://rus.azattyq.org/a/5.html", SourceID: "azattyq", Lang: "ru", Title: "Пятая",
		Text: "Текст.", ContentHash: "e1", FirstSeen: first, LastChecked: first, State: model.StateLive,
		Provenance: model.ProvenanceCrawl, FetchID: fMissing}
	must(st.Create(ctx, store.NewArticle{Article: a5, Revisit: &model.Revisit{SourceID: "azattyq", URL: a5.URL,
		Failures: 2, FailingSince: historyNow.Add(-10 * time.Hour)}}))

	ix, err := index.OpenMem(index.WithSources(sources))
	must(err)
	t.Cleanup(func() { ix.Close() })
	srv, err := New(Options{Search: ix, Store: st, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Now: func() time.Time { return historyNow }, WARCDir: h.dir})
	must(err)
	srv.SetReady(true)
	h.srv = httptest.NewServer(srv)
	t.Cleanup(h.srv.Close)
	return h
}

func (h *historyFixture) get(t *testing.T, path, lang string) (*http.Response, string) {
	t.Helper()
	f := pagesFixture{srv: h.srv}
	return f.get(t, path, lang)
}
