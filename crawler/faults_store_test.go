package crawler_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"presswatch/crawler"
	"presswatch/crawler/fetch"
	"presswatch/internal/ingest"
	"presswatch/internal/model"
	"presswatch/internal/store"
	"presswatch/internal/testsite"
)

// TestStoreFaultsAreNotChargedToItemsOrSources makes one table of a real
// store refuse writes (a trigger, as a locked, read-only or full database
// would refuse them) and runs a source of the fixture site: the run must
// end with a store error, and neither the items nor the source may be
// recorded as failing for it.
func TestStoreFaultsAreNotChargedToItemsOrSources(t *testing.T) {
	site := testsite.Start(t, testsite.Options{})
	for name, trigger := range map[string]string{
		"the listing's fetch cannot be recorded": `CREATE TRIGGER fault BEFORE INSERT ON fetches
			BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END`,
		"an article page's fetch cannot be recorded": `CREATE TRIGGER fault BEFORE INSERT ON fetches
			WHEN NEW.url NOT LIKE '%feed.rss' AND NEW.url NOT LIKE '%robots.txt'
			BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END`,
		"an article cannot be stored": `CREATE TRIGGER fault BEFORE INSERT ON articles
			BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`,
	} {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			path := filepath.Join(t.TempDir(), "presswatch.db")
			st, err := store.Open(ctx, path)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			src := model.Source{ID: "campaign-rss", Type: model.SourceFeed, URL: site.URL + "/feed.rss", Every: time.Hour}
			if err := st.SyncSources(ctx, []model.Source{src}); err != nil {
				t.Fatal(err)
			}
			raw := rawDB(t, path)
			if _, err := raw.Exec(trigger); err != nil {
				t.Fatal(err)
			}
			before, err := st.Source(ctx, src.ID)
			if err != nil {
				t.Fatal(err)
			}

			rep := crawlOnce(t, st, src)

			if kind := errKind(rep.Err); kind != model.ErrStore || !rep.OwnFault() {
				t.Errorf("run error %v (kind %q), want a store error", rep.Err, kind)
			}
			rows, err := raw.Query("SELECT url, error_kind FROM items WHERE outcome = 'failed'")
			if err != nil {
				t.Fatal(err)
			}
			own := 0 // a page robots.txt refuses fails by itself, before the store does
			for rows.Next() {
				var u, kind string
				rows.Scan(&u, &kind)
				if kind == string(model.ErrRobots) {
					own++
					continue
				}
				t.Errorf("item %s marked failed (%s) for the store's fault", u, kind)
			}
			rows.Close()
			if rep.Failed != own {
				t.Errorf("%d items counted as failed, %d of them by their own fault", rep.Failed, own)
			}
			after, err := st.Source(ctx, src.ID)
			if err != nil {
				t.Fatal(err)
			}
			if after.State.Failures != 0 || after.State.ErrorKind != "" || !after.State.NextDue.Equal(before.State.NextDue) {
				t.Errorf("the source was charged: %d failures, kind %q, next due %v (was %v)",
					after.State.Failures, after.State.ErrorKind, after.State.NextDue, before.State.NextDue)
			}
		})
	}
}

// TestClosedStoreStopsTheRunAtOnce closes the database while the run
// reads the first article page: the run stops with a store error instead
// of reading one item after another into a store that cannot keep them.
func TestClosedStoreStopsTheRunAtOnce(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "presswatch.db"))
	if err != nil {
		t.Fatal(err)
	}
	var pages atomic.Int32
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	defer srv.Close()
	mux.HandleFunc("/feed.rss", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>`+srv.URL+`/</link>`)
		for i := range 5 {
			fmt.Fprintf(w, `<item><title>Article %d</title><link>%s/a/%d</link></item>`, i, srv.URL, i)
		}
		fmt.Fprint(w, `</channel></rss>`)
	})
	mux.HandleFunc("/a/", func(w http.ResponseWriter, r *http.Request) {
		if pages.Add(1) == 1 {
			st.Close() // the store fails while the first page is read
		}
		fmt.Fprintf(w, `<html><head><title>%s</title></head><body><article><h1>%s</h1><p>%s</p></article></body></html>`,
			r.URL.Path, r.URL.Path, strings.Repeat("Strikers in Zhanaozen spoke of their demands. ", 20))
	})
	src := model.Source{ID: "s", Type: model.SourceFeed, URL: srv.URL + "/feed.rss", Every: time.Hour}
	if err := st.SyncSources(ctx, []model.Source{src}); err != nil {
		t.Fatal(err)
	}
	f, err := fetch.New(fetch.Options{UserAgent: "presswatch-test", AllowPrivate: true, PerHost: 1, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	c, err := crawler.New(crawler.Options{Fetcher: f, Sink: ingest.New(st, nil, nil), State: st, ItemWorkers: 1,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	rep := c.Run(ctx, src)
	if errKind(rep.Err) != model.ErrStore || !rep.OwnFault() {
		t.Errorf("run error %v, want a store error", rep.Err)
	}
	if n := pages.Load(); n != 1 || rep.Failed != 0 || rep.Left != 5 {
		t.Errorf("after the store closed the run read %d article pages, counted %d failed and %d left; want 1, 0 and 5", n, rep.Failed, rep.Left)
	}
}

// crawlOnce runs src once through the real ingest into st.
func crawlOnce(t *testing.T, st *store.Store, src model.Source) crawler.Report {
	t.Helper()
	f, err := fetch.New(fetch.Options{UserAgent: "presswatch-test", AllowPrivate: true, PerHost: 1})
	if err != nil {
		t.Fatal(err)
	}
	c, err := crawler.New(crawler.Options{Fetcher: f, Sink: ingest.New(st, nil, nil), State: st,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	return c.Run(context.Background(), src)
}

// rawDB opens a second connection to the store's file, closed with the test.
func rawDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func errKind(err error) model.ErrorKind {
	var me *model.Error
	if errors.As(err, &me) {
		return me.Kind
	}
	return ""
}

// TestStoreFaultStopsARevisitPass: when the store cannot record a
// revisit's fetch, the pass stops at once with a store error, and no
// article's revisit is charged with a failure.
func TestStoreFaultStopsARevisitPass(t *testing.T) {
	ctx := context.Background()
	site := testsite.Start(t, testsite.Options{})
	path := filepath.Join(t.TempDir(), "presswatch.db")
	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	src := model.Source{ID: "campaign-rss", Type: model.SourceFeed, URL: site.URL + "/feed.rss", Every: time.Hour}
	if err := st.SyncSources(ctx, []model.Source{src}); err != nil {
		t.Fatal(err)
	}
	if rep := crawlOnce(t, st, src); rep.Err != nil || rep.New < 3 {
		t.Fatalf("the crawl before the revisits: %s", rep)
	}
	raw := rawDB(t, path)
	if _, err := raw.Exec(`CREATE TRIGGER fault BEFORE INSERT ON fetches BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END`); err != nil {
		t.Fatal(err)
	}
	pages := site.TotalRequests()
	f, err := fetch.New(fetch.Options{UserAgent: "presswatch-test", AllowPrivate: true, PerHost: 1})
	if err != nil {
		t.Fatal(err)
	}
	in := ingest.New(st, nil, nil)
	c, err := crawler.New(crawler.Options{Fetcher: f, Sink: in, State: st, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := c.RevisitPass(ctx, in, []model.Source{src}, model.RevisitQuery{Now: time.Now(), All: true}, 1, nil)
	if errKind(err) != model.ErrStore {
		t.Errorf("revisit pass error %v, want a store error", err)
	}
	if n := site.TotalRequests() - pages; n > 2 || rep.Errors != 0 {
		t.Errorf("after the store failed the pass read %d pages (%d errors); want it to stop at the first", n, rep.Errors)
	}
	var charged int
	if err := raw.QueryRow("SELECT count(*) FROM revisits WHERE failures > 0").Scan(&charged); err != nil {
		t.Fatal(err)
	}
	if charged != 0 {
		t.Errorf("%d revisits charged with a failure for the store's fault", charged)
	}
}
