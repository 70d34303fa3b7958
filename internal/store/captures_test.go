package store

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"presswatch/internal/model"
)

// A capture someone else made keeps its own time and place beside the
// time presswatch read it; presswatch's own fetches have neither.
func TestFetchKeepsItsCapture(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "presswatch.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	captured := time.Date(2011, 12, 17, 8, 30, 15, 0, time.UTC)
	read := time.Date(2026, 12, 3, 7, 0, 0, 0, time.UTC)
	id, err := s.RecordFetch(ctx, &model.Fetch{URL: "http://127.0.0.1/news/strike.html", At: read, Status: 200,
		CapturedAt: captured, Capture: "file:///tmp/crawl.warc.gz#<urn:uuid:7c1f0cbe-2f6b-4a3b-9d0a-2d5b9a9f3c11>"})
	if err != nil {
		t.Fatal(err)
	}
	f, err := s.Fetch(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if !f.CapturedAt.Equal(captured) || !f.At.Equal(read) || f.Capture != "file:///tmp/crawl.warc.gz#<urn:uuid:7c1f0cbe-2f6b-4a3b-9d0a-2d5b9a9f3c11>" {
		t.Errorf("the capture read back: at %s, captured %s, %q", f.At, f.CapturedAt, f.Capture)
	}
	own, err := s.RecordFetch(ctx, &model.Fetch{URL: "http://127.0.0.1/feed.xml", At: read, Status: 200})
	if err != nil {
		t.Fatal(err)
	}
	if f, err := s.Fetch(ctx, own); err != nil || !f.CapturedAt.IsZero() || f.Capture != "" {
		t.Errorf("presswatch's own fetch read back with a capture: %+v %v", f, err)
	}
}
