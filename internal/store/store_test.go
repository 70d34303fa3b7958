package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"presswatch/internal/model"
)

func open(t *testing.T) *Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "presswatch.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

var src = model.Source{ID: "blog", Name: "Blog", Type: model.SourceFeed, URL: "http://127.0.0.1/feed",
	Stance: model.StanceCampaign, Every: time.Hour, Keep: model.KeepAll}

func article(url, text string) *model.Article {
	now := time.Date(2012, 1, 12, 10, 0, 0, 0, time.UTC)
	return &model.Article{URL: url, SourceID: "blog", Title: "Zhanaozen", Text: text, ContentHash: "h:" + text,
		FirstSeen: now, LastChecked: now, State: model.StateLive, Provenance: model.ProvenanceCrawl,
		Published: time.Date(2011, 12, 16, 0, 0, 0, 0, time.UTC)}
}

func TestOpenMigratesAndReopens(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "db", "presswatch.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := s.SchemaVersion(ctx); v != 13 {
		t.Errorf("schema version = %d, want 13", v)
	}
	var mode string
	var busy int
	s.db.QueryRow("PRAGMA journal_mode").Scan(&mode)
	s.db.QueryRow("PRAGMA busy_timeout").Scan(&busy)
	if mode != "wal" || busy != 10000 {
		t.Errorf("journal_mode %q, busy_timeout %d: the pragmas did not apply", mode, busy)
	}
	if err := s.SyncSources(ctx, []model.Source{src}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = Open(ctx, path)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer s.Close()
	if got, err := s.Source(ctx, "blog"); err != nil || got.URL != src.URL || got.Stance != model.StanceCampaign {
		t.Fatalf("source after reopen = %+v, %v", got, err)
	}
}

func TestSourceStateAndURLChange(t *testing.T) {
	ctx := context.Background()
	s := open(t)
	if err := s.SyncSources(ctx, []model.Source{src}); err != nil {
		t.Fatal(err)
	}
	st := model.SourceState{SourceID: "blog", ETag: `"abc"`, LastModified: "Mon, 02 Jan 2012 10:00:00 GMT",
		Failures: 2, ErrorKind: model.ErrTimeout, Error: "timed out", LastFetch: time.UnixMilli(1e12).UTC()}
	if err := s.SaveSourceState(ctx, st); err != nil {
		t.Fatal(err)
	}
	got, err := s.SourceState(ctx, "blog")
	if err != nil || got != st {
		t.Fatalf("state = %+v, %v\nwant %+v", got, err, st)
	}
	// The same URL keeps validators; a new URL drops them, health stays.
	s.SyncSources(ctx, []model.Source{src})
	if got, _ := s.SourceState(ctx, "blog"); got.ETag != st.ETag {
		t.Errorf("etag lost on resync: %+v", got)
	}
	moved := src
	moved.URL = "http://127.0.0.1/new-feed"
	s.SyncSources(ctx, []model.Source{moved})
	if got, _ := s.SourceState(ctx, "blog"); got.ETag != "" || got.Failures != 2 {
		t.Errorf("after URL change = %+v", got)
	}
	// A source dropped from the config stays, inactive.
	s.SyncSources(ctx, nil)
	all, _ := s.Sources(ctx)
	if len(all) != 1 || all[0].Active {
		t.Errorf("sources after removal = %+v", all)
	}
}

func TestArticleLifecycle(t *testing.T) {
	ctx := context.Background()
	s := open(t)
	s.SyncSources(ctx, []model.Source{src})
	f := &model.Fetch{SourceID: "blog", URL: "http://127.0.0.1/a", Status: 200, Bytes: 10, SHA256: "ff"}
	if _, err := s.RecordFetch(ctx, f); err != nil {
		t.Fatal(err)
	}
	a := article("http://127.0.0.1/a", "first text")
	a.FetchID = f.ID
	if err := s.CreateArticle(ctx, a, []string{"zhanaozen"}, "http://127.0.0.1/a?utm_source=x"); err != nil {
		t.Fatal(err)
	}
	if a.ID == 0 || a.ClusterID != a.ID {
		t.Fatalf("id %d cluster %d", a.ID, a.ClusterID)
	}
	dup := article("http://127.0.0.1/a", "other")
	if err := s.CreateArticle(ctx, dup, nil, ""); err == nil {
		t.Fatal("second article with the same URL was accepted")
	}
	known, _ := s.Known(ctx, "blog", []string{"http://127.0.0.1/a?utm_source=x", "http://127.0.0.1/b"})
	if !known["http://127.0.0.1/a?utm_source=x"] || known["http://127.0.0.1/b"] {
		t.Errorf("known = %v", known)
	}

	pending, _ := s.Unindexed(ctx, 0, 10)
	if len(pending) != 1 {
		t.Fatalf("unindexed = %d", len(pending))
	}
	// The article changes after the indexer read it: marking the old
	// revision must not hide the new text from the indexer.
	a.Text, a.ContentHash, a.State = "second text", "h2", model.StateEdited
	a.LastChecked = a.LastChecked.Add(time.Hour)
	if err := s.UpdateArticle(ctx, a, nil); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkIndexed(ctx, pending, time.Now()); err != nil {
		t.Fatal(err)
	}
	pending, _ = s.Unindexed(ctx, 0, 10)
	if len(pending) != 1 || pending[0].Text != "second text" {
		t.Fatalf("after stale mark, unindexed = %+v", pending)
	}
	s.MarkIndexed(ctx, pending, time.Now())
	if c, _ := s.Counts(ctx); c.Unindexed != 0 || c.Articles != 1 || c.Fetches != 1 {
		t.Errorf("counts = %+v", c)
	}
	vs, _ := s.Versions(ctx, a.ID)
	if len(vs) != 2 || vs[0].Text != "first text" || vs[1].Text != "second text" || vs[0].FetchID != f.ID {
		t.Errorf("versions = %+v", vs)
	}
	if m, _ := s.Matches(ctx, a.ID); len(m) != 0 {
		t.Errorf("matches after update = %v", m)
	}
	got, err := s.ArticleByURL(ctx, "http://127.0.0.1/a")
	if err != nil || got.State != model.StateEdited || !got.Published.Equal(a.Published) {
		t.Errorf("article = %+v, %v", got, err)
	}
	if _, err := s.Article(ctx, 999); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing article: %v", err)
	}
}

func TestFailedItemsAreRetriedThenLeftAlone(t *testing.T) {
	ctx := context.Background()
	s := open(t)
	u := "http://127.0.0.1/broken"
	for i := 1; i <= maxAttempts; i++ {
		if k, _ := s.Known(ctx, "blog", []string{u}); k[u] {
			t.Fatalf("known after %d failures", i-1)
		}
		s.MarkItem(ctx, u, "blog", "failed", model.ErrHTTPStatus)
	}
	if k, _ := s.Known(ctx, "blog", []string{u}); !k[u] {
		t.Fatalf("still retried after %d failures", maxAttempts)
	}
}

func TestEachArticlePages(t *testing.T) {
	ctx := context.Background()
	s := open(t)
	for i := 0; i < 1203; i++ {
		a := article("http://127.0.0.1/"+string(rune('a'+i%26))+time.Duration(i).String(), "t")
		if err := s.CreateArticle(ctx, a, nil, ""); err != nil {
			t.Fatal(err)
		}
	}
	n, last := 0, int64(0)
	err := s.EachArticle(ctx, func(p Pending) error {
		if p.ID <= last {
			t.Fatalf("id %d after %d", p.ID, last)
		}
		last = p.ID
		n++
		return nil
	})
	if err != nil || n != 1203 {
		t.Fatalf("EachArticle saw %d, %v", n, err)
	}
}

func TestMigratesAnOlderSchema(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	first, _ := migrations.ReadFile("migrations/001_init.sql")
	now := time.Now().UnixMilli()
	if _, err := db.Exec(string(first) + "; PRAGMA user_version = 1;" +
		"INSERT INTO articles (url, source_id, first_seen, last_checked, published) VALUES ('http://127.0.0.1/old', 's', 1, 1, 1324000000000);" +
		// A recent article read from its page, with a re-imported version,
		// and one stored from its feed's text (its fetch is the feed's).
		"INSERT INTO sources (id, name, type, url, stance, every_ms, keep) VALUES ('s', 's', 'feed', 'http://127.0.0.1/feed', 'unknown', 3600000, 'all');" +
		"INSERT INTO fetches (id, source_id, url, at) VALUES (1, 's', 'http://127.0.0.1/page?x=1', 1), (2, 's', 'http://127.0.0.1/feed', 1);" +
		fmt.Sprintf("INSERT INTO articles (url, source_id, first_seen, last_checked, fetch_id) VALUES ('http://127.0.0.1/page', 's', %d, %d, 1);", now, now) +
		fmt.Sprintf("INSERT INTO articles (url, source_id, first_seen, last_checked, fetch_id) VALUES ('http://127.0.0.1/teaser', 's', %d, %d, 2);", now, now) +
		"INSERT INTO items (url, source_id, first_seen, outcome, article_id) VALUES ('http://127.0.0.1/teaser', 's', 1, 'stored', 3);" +
		"INSERT INTO versions (article_id, seen, content_hash) VALUES (2, 1, 'a'), (2, 2, 'b');"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if v, _ := s.SchemaVersion(ctx); v != 13 {
		t.Errorf("schema version after migration = %d", v)
	}
	if srcs, err := s.Sources(ctx); err != nil || len(srcs) != 1 || srcs[0].Wayback != nil {
		t.Errorf("sources after migration = %v, %v; want the feed, with no wayback settings", srcs, err)
	}
	a, err := s.ArticleByURL(ctx, "http://127.0.0.1/old")
	if err != nil || a.Published.UnixMilli() != 1324000000000 {
		t.Errorf("article kept through the migration = %+v, %v", a, err)
	}
	// Stored before revisits existed: one older than a year is not
	// revisited; a recent one is, within a day, at its page's URL; one
	// stored from its feed's text is revisited at its item's URL, its page
	// still to be read.
	if rv, err := s.Revisit(ctx, a.ID); err != nil || !rv.NextDue.IsZero() {
		t.Errorf("revisit of an article older than a year = %+v, %v", rv, err)
	}
	rv, err := s.Revisit(ctx, 2)
	if err != nil || rv.URL != "http://127.0.0.1/page" || rv.Partial || rv.NextDue.UnixMilli() < now || rv.NextDue.UnixMilli() > now+86400000+60000 {
		t.Errorf("revisit of a recent article = %+v, %v", rv, err)
	}
	if rv, err := s.Revisit(ctx, 3); err != nil || rv.URL != "http://127.0.0.1/teaser" || !rv.Partial {
		t.Errorf("revisit of a feed-text article = %+v, %v", rv, err)
	}
	if vs, _ := s.Versions(ctx, 2); len(vs) != 2 || vs[0].Kind != model.VersionFirst || vs[1].Kind != model.VersionImport {
		t.Errorf("versions after the migration = %+v", vs)
	}
}

func TestDataPathWithURLCharacters(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	for _, name := range []string{"dat#a", "dat?x", "dat%41"} {
		s, err := Open(ctx, filepath.Join(dir, name, "presswatch.db"))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		s.SyncSources(ctx, []model.Source{{ID: name[3:4], URL: "http://127.0.0.1/", Every: time.Hour}})
		s.Close()
		if _, err := os.Stat(filepath.Join(dir, name, "presswatch.db")); err != nil {
			t.Errorf("%s: database not where asked: %v", name, err)
		}
	}
}

func TestReusedIDLeavesTheDeleteQueue(t *testing.T) {
	ctx := context.Background()
	s := open(t)
	a := article("http://127.0.0.1/a", "one")
	if err := s.CreateArticle(ctx, a, nil, ""); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteArticle(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	b := article("http://127.0.0.1/b", "two")
	if err := s.CreateArticle(ctx, b, nil, ""); err != nil {
		t.Fatal(err)
	}
	// The case guarded only arises when SQLite hands the deleted rowid to
	// the next article; if it stops doing so this test must say so rather
	// than pass without asserting.
	if b.ID != a.ID {
		t.Fatalf("article b got id %d, not the deleted id %d: this test no longer reaches a reused id", b.ID, a.ID)
	}
	pending, err := s.PendingDeletes(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(pending) != 0 {
		t.Errorf("article %d took a deleted id and is still queued for removal from the index: %v", b.ID, pending)
	}
}
