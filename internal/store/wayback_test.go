package store

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"presswatch/internal/model"
)

func TestWaybackProgressSurvivesReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "presswatch.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	caps := []model.WaybackCapture{
		{Timestamp: "20111216100000", Original: "http://x.kz/a", Digest: "AAA"},
		{Timestamp: "20111217100000", Original: "http://x.kz/b", Digest: "BBB"},
		{Timestamp: "20111218100000", Original: "http://x.kz/a2", Digest: "AAA"}, // same bytes as /a
	}
	if n, err := s.WaybackListed(ctx, "w", caps, "key-1", false); err != nil || n != 3 {
		t.Fatalf("listed = %d, %v; want 3 new", n, err)
	}
	// The same page listed again (a resume that asks for it once more) adds nothing.
	if n, err := s.WaybackListed(ctx, "w", caps[:1], "key-2", false); err != nil || n != 0 {
		t.Fatalf("listed again = %d, %v; want 0", n, err)
	}
	pending, err := s.WaybackPending(ctx, "w", 10, nil)
	if err != nil || len(pending) != 2 || pending[0].Original != "http://x.kz/a" || pending[1].Original != "http://x.kz/b" {
		t.Fatalf("pending = %+v, %v; want /a and /b (/a2 is /a's digest)", pending, err)
	}
	if err := s.WaybackDone(ctx, "w", pending[0], CaptureStored, ""); err != nil {
		t.Fatal(err)
	}
	until := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	if err := s.WaybackBackoff(ctx, "w", until, 2); err != nil {
		t.Fatal(err)
	}
	s.Close()

	s = reopen(t, path)
	p, err := s.WaybackProgress(ctx, "w")
	if err != nil {
		t.Fatal(err)
	}
	want := model.WaybackProgress{SourceID: "w", ResumeKey: "key-2", Pages: 2, Listed: 3, Fetched: 1, Stored: 1, Remaining: 1,
		BackoffUntil: until, Backoffs: 2}
	if p != want {
		t.Errorf("progress = %+v\nwant       %+v", p, want)
	}
	pending, err = s.WaybackPending(ctx, "w", 10, nil)
	if err != nil || len(pending) != 1 || pending[0].Original != "http://x.kz/b" {
		t.Fatalf("pending after reopen = %+v, %v; want /b alone", pending, err)
	}
	if skipped, _ := s.WaybackPending(ctx, "w", 10, map[string]bool{WaybackKey(pending[0]): true}); len(skipped) != 0 {
		t.Errorf("pending leaving /b out = %+v", skipped)
	}
	// A capture that fails without an answer is tried maxCaptureAttempts times.
	for i := range maxCaptureAttempts {
		if err := s.WaybackDone(ctx, "w", pending[0], CaptureListed, model.ErrTimeout); err != nil {
			t.Fatal(err)
		}
		left, _ := s.WaybackPending(ctx, "w", 10, nil)
		if wantLeft := i < maxCaptureAttempts-1; (len(left) == 1) != wantLeft {
			t.Fatalf("after %d failed tries pending = %+v", i+1, left)
		}
	}
	if p, _ := s.WaybackProgress(ctx, "w"); p.Fetched != 2 || p.Remaining != 0 {
		t.Errorf("progress after the tries = %+v", p)
	}
}

func reopen(t *testing.T, path string) *Store {
	t.Helper()
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// A wayback source's settings are kept with it, so that what reads the
// store alone (presswatch sources, the sources page) knows its range and
// pace.
func TestWaybackSettingsAreKept(t *testing.T) {
	ctx := context.Background()
	s := open(t)
	w := &model.Wayback{From: time.Date(2011, 12, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2012, 12, 31, 0, 0, 0, 0, time.UTC),
		Paths: []string{"/news/*"}, Endpoint: "https://web.archive.org", Rate: 0.25}
	src := model.Source{ID: "x-2011", Name: "X", Type: model.SourceWayback, URL: "x.kz", Keep: model.KeepTopic, Every: time.Hour, Wayback: w}
	if err := s.SyncSources(ctx, []model.Source{src}); err != nil {
		t.Fatal(err)
	}
	got, err := s.Source(ctx, src.ID)
	if err != nil || got.Wayback == nil || !got.Wayback.From.Equal(w.From) || !got.Wayback.To.Equal(w.To) ||
		got.Wayback.Endpoint != w.Endpoint || got.Wayback.Rate != w.Rate || len(got.Wayback.Paths) != 1 || got.Wayback.Paths[0] != "/news/*" {
		t.Fatalf("stored source = %+v (wayback %+v), %v", got, got.Wayback, err)
	}
	src.Wayback = nil // no longer a backfill
	src.Type = model.SourceFeed
	if err := s.SyncSources(ctx, []model.Source{src}); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Source(ctx, src.ID); err != nil || got.Wayback != nil {
		t.Errorf("after the change: wayback %+v, %v", got.Wayback, err)
	}
}
