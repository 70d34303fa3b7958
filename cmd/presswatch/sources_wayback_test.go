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
	wb := func(rate float64) *model.Wayback {
		return &model.Wayback{From: time.Date(2011, 12, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2012, 12, 31, 0, 0, 0, 0, time.UTC),
			Endpoint: "https://web.archive.org", Rate: rate}
	}
	src := model.Source{ID: "x-2011", Name: "X", Type: model.SourceWayback, URL: "x.kz", Keep: model.KeepTopic, Every: time.Hour,
		Stance: model.StanceIndependent, Wayback: wb(0.4)}
	// y reads the same archive, slower: both take turns at its 0.2.
	other := model.Source{ID: "y-2011", Name: "Y", Type: model.SourceWayback, URL: "y.kz", Keep: model.KeepTopic, Every: time.Hour,
		Stance: model.StanceState, Wayback: wb(0.2)}
	var ycaps []model.WaybackCapture
	for i := range 5 {
		ycaps = append(ycaps, model.WaybackCapture{Timestamp: "2011121610000" + string(rune('0'+i)), Original: "http://y.kz/" + string(rune('a'+i)), Digest: "Y" + string(rune('a'+i))})
	}
	caps := []model.WaybackCapture{{Timestamp: "20111216100000", Original: "http://x.kz/1", Digest: "A"},
		{Timestamp: "20111217100000", Original: "http://x.kz/2", Digest: "B"}, {Timestamp: "20111218100000", Original: "http://x.kz/3", Digest: "C"}}
	if err := st.SyncSources(ctx, []model.Source{src, other}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.WaybackListed(ctx, other.ID, ycaps, "", true); err != nil {
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
	// x has 2 left, y 5: x is done after 2 turns of its own and 2 of y's,
	// 4 turns at 0.2 a second; y after 2 of x's and its 5.
	want := "backfills from web archives:\n" +
		"  x-2011: Backfill of 2011-12-01 to 2012-12-31 from https://web.archive.org\n" +
		"    3 captures listed, 1 fetched, 1 stored, 2 remaining; the archive's listing is still being read\n" +
		"    about 20 s more at 0.2 requests a second, taking turns with 1 other backfill of this archive\n" +
		"    The archive asked presswatch to slow down: nothing is asked before "
	if !strings.Contains(out.String(), want) {
		t.Errorf("sources printed:\n%s\nwant\n%s", out.String(), want)
	}
	wantY := "  y-2011: Backfill of 2011-12-01 to 2012-12-31 from https://web.archive.org\n" +
		"    5 captures listed, 0 fetched, 0 stored, 5 remaining\n" +
		"    about 35 s more at 0.2 requests a second, taking turns with 1 other backfill of this archive\n"
	if !strings.Contains(out.String(), wantY) {
		t.Errorf("sources printed:\n%s\nwant\n%s", out.String(), wantY)
	}
}
