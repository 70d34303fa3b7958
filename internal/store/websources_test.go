package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"presswatch/internal/model"
)

// The file's sources and the web's live side by side: a sync leaves the
// web's alone, the web cannot change or remove the file's, pauses survive
// a sync, a removed web source keeps its articles and can come back.
func TestWebSources(t *testing.T) {
	ctx := context.Background()
	s := open(t)
	if err := s.SyncSources(ctx, []model.Source{src}); err != nil {
		t.Fatal(err)
	}
	web := model.Source{ID: "tengri", Name: "Tengrinews", Type: model.SourceFeed, URL: "http://127.0.0.1/rss",
		Stance: model.StanceState, Every: 2 * time.Hour, Keep: model.KeepTopic}
	if err := s.SaveWebSource(ctx, web); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveWebSource(ctx, model.Source{ID: "blog", Name: "Mine", Type: model.SourceFeed, URL: "http://127.0.0.1/x", Every: time.Hour}); !errors.Is(err, ErrConfiguredSource) {
		t.Errorf("saving over the file's source: %v, want ErrConfiguredSource", err)
	}
	if err := s.RemoveWebSource(ctx, "blog"); !errors.Is(err, ErrConfiguredSource) {
		t.Errorf("removing the file's source: %v, want ErrConfiguredSource", err)
	}
	if err := s.RemoveWebSource(ctx, "nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("removing a missing source: %v, want ErrNotFound", err)
	}
	if err := s.SetPaused(ctx, "blog", true); err != nil {
		t.Fatal(err)
	}
	// A restart syncs the file again: the web's source and the pause stay.
	if err := s.SyncSources(ctx, []model.Source{src}); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	all, err := s.Sources(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, si := range all {
		got[si.ID] = string(si.Origin)
		if si.Active {
			got[si.ID] += " active"
		}
		if si.Paused {
			got[si.ID] += " paused"
		}
	}
	want := map[string]string{"blog": "config active paused", "tengri": "web active"}
	if len(got) != len(want) || got["blog"] != want["blog"] || got["tengri"] != want["tengri"] {
		t.Errorf("after a sync: %v, want %v", got, want)
	}
	ws, err := s.WebSources(ctx)
	if err != nil || len(ws) != 1 || ws[0].ID != "tengri" || ws[0].Every != 2*time.Hour || ws[0].Keep != model.KeepTopic {
		t.Fatalf("web sources: %+v, %v", ws, err)
	}

	// Removed, its articles stay; saved again, it is active with them.
	a := article("http://127.0.0.1/a", "text")
	a.SourceID = "tengri"
	if err := s.CreateArticle(ctx, a, nil, a.URL); err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveWebSource(ctx, "tengri"); err != nil {
		t.Fatal(err)
	}
	if ws, _ := s.WebSources(ctx); len(ws) != 0 {
		t.Errorf("removed source still listed: %+v", ws)
	}
	if err := s.RemoveWebSource(ctx, "tengri"); !errors.Is(err, ErrNotFound) {
		t.Errorf("removing it twice: %v, want ErrNotFound", err)
	}
	if err := s.SetPaused(ctx, "tengri", true); !errors.Is(err, ErrNotFound) {
		t.Errorf("pausing a removed source: %v, want ErrNotFound", err)
	}
	si, err := s.Source(ctx, "tengri")
	if err != nil || si.Active || si.Articles != 1 {
		t.Fatalf("removed source: %+v, %v; want inactive with its article", si, err)
	}
	if err := s.SaveWebSource(ctx, web); err != nil {
		t.Fatal(err)
	}
	if si, _ := s.Source(ctx, "tengri"); !si.Active || si.Articles != 1 {
		t.Errorf("source saved again: %+v", si)
	}

	// The file now defines the web's id: the file's wins.
	moved := web
	moved.Name = "Tengri (file)"
	if err := s.SyncSources(ctx, []model.Source{src, moved}); err != nil {
		t.Fatal(err)
	}
	if si, _ := s.Source(ctx, "tengri"); si.Origin != model.SourceFromConfig || si.Name != "Tengri (file)" {
		t.Errorf("after the file took the id: %+v", si)
	}
	// And once the file drops it, the web may take it again.
	if err := s.SyncSources(ctx, []model.Source{src}); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveWebSource(ctx, web); err != nil {
		t.Errorf("saving a source the file dropped: %v", err)
	}
}

// The imports' source is neither paused nor changed from the web.
func TestImportSourceIsNotWebs(t *testing.T) {
	ctx := context.Background()
	s := open(t)
	imp := model.Source{ID: "import", Name: "Imported", Type: model.SourceImport, Stance: model.StanceUnknown, Keep: model.KeepAll}
	if err := s.EnsureSource(ctx, imp); err != nil {
		t.Fatal(err)
	}
	if err := s.SetPaused(ctx, "import", true); !errors.Is(err, ErrImportSource) {
		t.Errorf("pausing imports: %v", err)
	}
	if err := s.SaveWebSource(ctx, model.Source{ID: "import", Type: model.SourceFeed, URL: "http://127.0.0.1/", Every: time.Hour}); !errors.Is(err, ErrImportSource) {
		t.Errorf("saving over imports: %v", err)
	}
	if err := s.SyncSources(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if si, _ := s.Source(ctx, "import"); !si.Active || si.Origin != model.SourceFromImport {
		t.Errorf("imports after a sync: %+v", si)
	}
}
