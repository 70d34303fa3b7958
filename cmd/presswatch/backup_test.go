package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"presswatch/internal/archive"
	"presswatch/internal/model"
	"presswatch/internal/store"
	"presswatch/internal/testsite"
)

// storedArticles reads every article of the store at data, by id.
func storedArticles(t *testing.T, data string) map[int64]*model.Article {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(data, "presswatch.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	last, err := st.LastArticleID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	out := map[int64]*model.Article{}
	for id := int64(1); id <= last; id++ {
		a, err := st.Article(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			continue
		} else if err != nil {
			t.Fatal(err)
		}
		out[id] = a
	}
	return out
}

func warcNames(t *testing.T, dir string) []string {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(dir, "*.warc.gz"))
	if err != nil {
		t.Fatal(err)
	}
	for i, n := range names {
		names[i] = filepath.Base(n)
	}
	return names
}

// TestBackupThenRestoreKeepsArticlesSearchesAndArchive crawls the fixture
// site, backs the data folder up while a store connection is open (as
// serve holds one) and while the WARC file ends inside a record (as one
// being written does), restores it into another folder and compares.
func TestBackupThenRestoreKeepsArticlesSearchesAndArchive(t *testing.T) {
	site := testsite.Start(t, testsite.Options{})
	cfg, data := siteConfig(t, site.URL), t.TempDir()
	presswatch(t, 0, "crawl", "--config", cfg, "--data", data)

	warcDir := filepath.Join(data, "warc")
	names := warcNames(t, warcDir)
	if len(names) == 0 {
		t.Fatal("the crawl wrote no WARC file")
	}
	// The newest file as a writer leaves it between the two halves of a
	// write: whole records, then the start of a gzip member.
	live := filepath.Join(warcDir, names[len(names)-1])
	whole, err := os.ReadFile(live)
	if err != nil {
		t.Fatal(err)
	}
	partial := append(slices.Clone(whole), whole[:40]...)
	if err := os.WriteFile(live, partial, 0o644); err != nil {
		t.Fatal(err)
	}
	// The store and the index open, as serve holds them, with a write
	// still in the WAL (a connection stays open, so no checkpoint).
	ctx := context.Background()
	held, err := (&common{data: data}).open(ctx, nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	src, err := held.store.Source(ctx, "news")
	if err != nil {
		t.Fatal(err)
	}
	state := src.State
	state.Error = "written just before the backup"
	if err := held.store.SaveSourceState(ctx, state); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(data, "presswatch.db-wal")); err != nil {
		t.Fatalf("no WAL while the store is open: %v", err)
	}
	backup := filepath.Join(t.TempDir(), "backup")
	_, stderr := presswatch(t, 0, "backup", "--data", data, backup)
	t.Logf("backup:\n%s", stderr)

	if b, err := os.ReadFile(live); err != nil || !bytes.Equal(b, partial) {
		t.Errorf("the backup changed the data folder's WARC file being written (%v)", err)
	}
	if got := warcNames(t, filepath.Join(backup, "warc")); !slices.Equal(got, names) {
		t.Errorf("backup's WARC files %v, want %v", got, names)
	}
	if b, err := os.ReadFile(filepath.Join(backup, "warc", filepath.Base(live))); err != nil || !bytes.Equal(b, whole) {
		t.Errorf("the backup of the file being written holds %d bytes, want its %d bytes of whole records (%v)", len(b), len(whole), err)
	}
	if _, err := os.Stat(filepath.Join(backup, "index.bleve")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the backup holds an index (%v); restore builds it from the store", err)
	}

	// The restore goes into a folder of its own while the data folder is
	// still held: a running serve need not stop.
	restored := filepath.Join(t.TempDir(), "restored")
	presswatch(t, 0, "restore", "--data", restored, backup)
	held.Close()

	rst, err := store.Open(ctx, filepath.Join(restored, "presswatch.db"))
	if err != nil {
		t.Fatal(err)
	}
	if src, err := rst.Source(ctx, "news"); err != nil {
		t.Error(err)
	} else if src.State.Error != state.Error {
		t.Errorf("the write in the WAL did not reach the backup: source news restored with error %q", src.State.Error)
	}
	rst.Close()

	want, got := storedArticles(t, data), storedArticles(t, restored)
	if len(want) < 10 {
		t.Fatalf("the crawl stored %d articles, want the fixture site's (at least 10)", len(want))
	}
	if len(got) != len(want) {
		t.Errorf("restored %d articles, want %d", len(got), len(want))
	}
	for id, w := range want {
		g := got[id]
		switch {
		case g == nil:
			t.Errorf("article %d (%s) is missing after the restore", id, w.URL)
		case g.URL != w.URL || g.Title != w.Title || g.Text != w.Text || !g.FirstSeen.Equal(w.FirstSeen):
			t.Errorf("article %d restored as %q %q (%d bytes), want %q %q (%d bytes)", id, g.URL, g.Title, len(g.Text), w.URL, w.Title, len(w.Text))
		}
	}
	for _, q := range []string{"", "Zhanaozen", "Жанаозене", "Schanaosen", "oil workers"} {
		w, g := searchJSON(t, data, "--limit", "100", q), searchJSON(t, restored, "--limit", "100", q)
		var wids, gids []int64
		for _, h := range w.Hits {
			wids = append(wids, h.ID)
		}
		for _, h := range g.Hits {
			gids = append(gids, h.ID)
		}
		if g.Total != w.Total || !slices.Equal(gids, wids) {
			t.Errorf("search %q: restored %d hits %v, want %d %v", q, g.Total, gids, w.Total, wids)
		}
		if q == "" && int(g.Total) != len(want) {
			t.Errorf("the restored index holds %d articles, want every stored one (%d)", g.Total, len(want))
		}
	}
	if out, stderr := presswatch(t, 0, "warc", "verify", "--data", restored); strings.Count(out, ".warc.gz:") != len(names) {
		t.Errorf("warc verify on the restored archive:\n%s%s", out, stderr)
	}
	reps, err := archive.VerifyDir(filepath.Join(restored, "warc"))
	if err != nil || len(reps) != len(names) {
		t.Fatalf("verify restored archive: %d reports, %v", len(reps), err)
	}
	for _, r := range reps {
		if !r.OK() || r.Records == 0 {
			t.Errorf("restored %s", r)
		}
	}
}

func TestBackupAndRestoreRefuseAFolderInUse(t *testing.T) {
	site := testsite.Start(t, testsite.Options{})
	cfg, data := siteConfig(t, site.URL), t.TempDir()
	presswatch(t, 0, "crawl", "--config", cfg, "--data", data)
	backup := filepath.Join(t.TempDir(), "backup")
	presswatch(t, 0, "backup", "--data", data, backup)

	for name, tc := range map[string]struct {
		args []string
		want string
	}{
		"restore over a data folder":      {[]string{"restore", "--data", data, backup}, "is not empty (it holds"},
		"backup over a backup":            {[]string{"backup", "--data", data, backup}, "is not empty (it holds"},
		"restore from a folder no backup": {[]string{"restore", "--data", t.TempDir(), data}, "is not a presswatch backup"},
		"backup of no store":              {[]string{"backup", "--data", t.TempDir(), filepath.Join(t.TempDir(), "b")}, "no store to back up"},
	} {
		t.Run(name, func(t *testing.T) {
			before := storedArticles(t, data)
			_, stderr := presswatch(t, 1, tc.args...)
			if !strings.Contains(stderr, tc.want) {
				t.Errorf("stderr %q, want it to say %q", stderr, tc.want)
			}
			if after := storedArticles(t, data); len(after) != len(before) {
				t.Errorf("the data folder's store went from %d to %d articles", len(before), len(after))
			}
		})
	}
	if _, err := os.Stat(filepath.Join(data, "index.bleve")); err != nil {
		t.Errorf("the refused restore touched the data folder's index: %v", err)
	}
}
