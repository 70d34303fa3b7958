package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"presswatch/internal/model"
	"presswatch/internal/store"
)

// TestSourcesShowsBackfillProgress: presswatch sources says how far a
// wayback source's backfill has come: listed, fetched, stored, remaining,
// how long the rest takes at the default rate, and the archive's back-off.
func TestSourcesShowsBackfillProgress(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	st, err := store.Open(ctx, filepath.Join(data, "presswatch.db"))
	if err != nil {
		t.Fatal(err)
	}
	src := model.Source{ID: "x-2011", Name: "X", Type: model.SourceWayback, URL: "x.kz", Keep: model.KeepTopic, Every: time.Hour,
		Stance: model.StanceIndependent}
	caps := []model.WaybackCapture{{Timestamp: "20111216100000", Original: "http://x.kz/1", Digest: "A"},
		{Timestamp: "20111217100000", Original: "http://x.kz/2", Digest: "B"}, {Timestamp: "20111218100000", Original: "http://x.kz/3", Digest: "C"}}
	if err := st.SyncSources(ctx, []model.Source{src}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.WaybackListed(ctx, src.ID, caps, "k", false); err != nil {
		t.Fatal(err)
	}
	if err := st.WaybackDone(ctx, src.ID, caps[0], store.CaptureStored, ""); err != nil {
		t.Fatal(err)
	}
	if err := st.WaybackBackoff(ctx, src.ID, time.Now().Add(2*time.Hour), 1); err != nil {
		t.Fatal(err)
	}
	st.Close()
	var out, errOut bytes.Buffer
	if code := run(ctx, []string{"sources", "--data", data}, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	want := "x-2011: 3 listed (listing goes on), 1 fetched, 1 stored, 2 remaining, about 5s at 0.4 requests a second; the archive asked to wait"
	if !strings.Contains(out.String(), "backfills from web archives:\n  "+want) {
		t.Errorf("sources printed:\n%s\nwant a line %q", out.String(), want)
	}
}
