package store

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"presswatch/internal/model"
)

// Versions stored before histories were kept in capture order are dated
// by their capture at the migration; presswatch's own fetches keep theirs.
func TestMigrationDatesVersionsByTheirCapture(t *testing.T) {
	ctx := context.Background()
	path, db := schema12(t)
	later := time.Date(2012, 3, 1, 0, 0, 0, 0, time.UTC).UnixMilli()
	earlier := time.Date(2011, 12, 17, 0, 0, 0, 0, time.UTC).UnixMilli()
	imported := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC).UnixMilli()
	if _, err := db.Exec(`
INSERT INTO sources (id, name, type, url, stance, every_ms, keep) VALUES ('s', 's', 'feed', 'http://127.0.0.1/feed', 'unknown', 3600000, 'all');
INSERT INTO fetches (id, source_id, url, at, captured_at, capture) VALUES
    (1, 's', 'http://127.0.0.1/a', ?1, ?2, 'file:///c.warc#1'),
    (2, 's', 'http://127.0.0.1/a', ?1, ?3, 'file:///c.warc#2'),
    (3, 's', 'http://127.0.0.1/b', ?1, NULL, '');
INSERT INTO articles (id, url, source_id, first_seen, last_checked, fetch_id, content_hash) VALUES
    (1, 'http://127.0.0.1/a', 's', ?1, ?1, 1, 'late'), (2, 'http://127.0.0.1/b', 's', ?1, ?1, 3, 'own');
INSERT INTO versions (article_id, fetch_id, seen, content_hash, kind) VALUES
    (1, 1, ?1, 'late', 'first'), (1, 2, ?1 + 1, 'early', 'import'), (2, 3, ?1, 'own', 'first');`,
		imported, later, earlier); err != nil {
		t.Fatal(err)
	}
	db.Close()
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	vs, err := s.Versions(ctx, 1)
	if err != nil || len(vs) != 2 || vs[0].ContentHash != "early" || vs[0].Seen.UnixMilli() != earlier ||
		vs[1].ContentHash != "late" || vs[1].Seen.UnixMilli() != later {
		t.Errorf("versions of the imported article = %+v, %v; want early at its capture (2011-12-17), then late (2012-03-01)", vs, err)
	}
	if vs, _ := s.Versions(ctx, 2); len(vs) != 1 || vs[0].Seen.UnixMilli() != imported {
		t.Errorf("a version of presswatch's own fetch = %+v; want it seen when it was fetched", vs)
	}
}

// Sightings of an unchanged page keep its text once, and the same capture
// read again stores nothing.
func TestCaptureSightingsStoreTheTextOnce(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.SyncSources(ctx, []model.Source{src}); err != nil {
		t.Fatal(err)
	}
	day := func(d int) time.Time { return time.Date(2011, 12, d, 12, 0, 0, 0, time.UTC) }
	a := article("http://127.0.0.1/still", strings.Repeat("Полиция открыла огонь. ", 200))
	a.Provenance = model.ProvenanceArchive
	if err := s.Create(ctx, NewArticle{Article: a, Seen: day(1)}); err != nil {
		t.Fatal(err)
	}
	for d := 1; d <= 20; d++ {
		for range 2 { // each capture read twice
			got, err := s.AddCapture(ctx, Capture{Article: a, Seen: day(d)})
			if err != nil || got != CaptureKnown {
				t.Fatalf("day %d: %v, %v; want CaptureKnown", d, got, err)
			}
		}
	}
	var rows, texts int
	if err := s.db.QueryRowContext(ctx, "SELECT COUNT(*), COUNT(NULLIF(text, '')) FROM versions WHERE article_id = ?", a.ID).Scan(&rows, &texts); err != nil {
		t.Fatal(err)
	}
	if rows != 20 || texts != 1 {
		t.Errorf("%d sightings, %d with the text; want 20 (one a day) and the text once", rows, texts)
	}
	vs, err := s.Versions(ctx, a.ID)
	if err != nil || len(vs) != 1 || vs[0].Text != a.Text || !vs[0].Seen.Equal(day(1)) {
		t.Errorf("versions = %d, %v; want one, with its text, seen on day 1", len(vs), err)
	}
	// A sighting stored without the text lends it when it is the version
	// shown: an older capture of the same text moves the version back.
	if got, err := s.AddCapture(ctx, Capture{Article: a, Seen: day(1).Add(-time.Hour)}); err != nil || got != CaptureEarlier {
		t.Fatalf("an older capture: %v, %v; want CaptureEarlier", got, err)
	}
	if vs, _ := s.Versions(ctx, a.ID); len(vs) != 1 || vs[0].Text != a.Text || !vs[0].Seen.Equal(day(1).Add(-time.Hour)) {
		t.Errorf("versions after an older capture = %+v; want one, with its text, seen an hour before day 1", vs)
	}
}

// schema12 is a new store at schema 12, before captures were ordered: its
// path, and the database opened on it.
func schema12(t *testing.T) (string, *sql.DB) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "v12.db")
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	names, _ := fs.Glob(migrations, "migrations/*.sql")
	sort.Strings(names)
	for i, name := range names[:12] {
		body, _ := migrations.ReadFile(name)
		if _, err := db.Exec(string(body) + fmt.Sprintf("; PRAGMA user_version = %d;", i+1)); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	return path, db
}

// An article whose older capture was imported after its newer one, before
// captures were ordered, keeps the older text through migration 13; the
// newest capture read again gives it back its text.
func TestRecaptureGivesAMigratedArticleItsNewestText(t *testing.T) {
	ctx := context.Background()
	path, db := schema12(t)
	later := time.Date(2012, 3, 1, 0, 0, 0, 0, time.UTC)
	earlier := time.Date(2011, 12, 17, 0, 0, 0, 0, time.UTC).UnixMilli()
	imported := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC).UnixMilli()
	// v12: the later capture imported first, then the earlier one, which
	// UpdateArticle made the article's text.
	if _, err := db.Exec(`
INSERT INTO sources (id, name, type, url, stance, every_ms, keep) VALUES ('s', 's', 'feed', 'http://127.0.0.1/feed', 'unknown', 3600000, 'all');
INSERT INTO fetches (id, source_id, url, at, captured_at, capture) VALUES
    (1, 's', 'http://127.0.0.1/a', ?1, ?2, 'file:///c.warc#1'),
    (2, 's', 'http://127.0.0.1/a', ?1, ?3, 'file:///c.warc#2');
INSERT INTO articles (id, url, source_id, first_seen, last_checked, fetch_id, title, text, content_hash) VALUES
    (1, 'http://127.0.0.1/a', 's', ?1, ?1, 1, 't', 'early', 'early');
INSERT INTO versions (article_id, fetch_id, seen, title, text, content_hash, kind) VALUES
    (1, 1, ?1, 't', 'late', 'late', 'first'), (1, 2, ?1 + 1, 't', 'early', 'early', 'import');`,
		imported, later.UnixMilli(), earlier); err != nil {
		t.Fatal(err)
	}
	db.Close()
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// The same WARC file imported again: the later capture read again.
	a := &model.Article{ID: 1, URL: "http://127.0.0.1/a", SourceID: "s", Title: "t", Text: "late", ContentHash: "late",
		FetchID: 1, LastChecked: time.Now()}
	if _, err := s.AddCapture(ctx, Capture{Article: a, Seen: later, Address: "file:///c.warc#1"}); err != nil {
		t.Fatal(err)
	}
	got, err := s.Article(ctx, 1)
	if err != nil || got.ContentHash != "late" {
		t.Errorf("article's text after migration and re-import = %q, %v; want the newest capture's, late", got.ContentHash, err)
	}
}
