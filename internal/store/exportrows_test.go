package store

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"presswatch/internal/model"
)

func TestExportRows(t *testing.T) {
	ctx := context.Background()
	s := open(t)
	if err := s.SyncSources(ctx, []model.Source{src}); err != nil {
		t.Fatal(err)
	}
	seen := time.Date(2012, 1, 12, 15, 0, 0, 0, time.UTC)
	put := func(url, author string, ds model.DateSource, cluster int64, topics ...string) *model.Article {
		a := article(url, "text of "+url)
		a.Author, a.DateSource, a.ClusterID, a.FirstSeen = author, ds, cluster, seen
		if err := s.CreateArticle(ctx, a, topics, ""); err != nil {
			t.Fatal(err)
		}
		return a
	}
	orig := put("https://a/1", "Natalia Sokolova", model.DateFromMeta, 0, "zh", "oil")
	cp := put("https://b/1", "", model.DateFromFeed, orig.ClusterID)
	alone := put("https://c/2", "Joanna Lillis", model.DateUnknown, 0, "zh")
	// An article of a source no longer configured keeps its id, with no name.
	gone := article("https://d/3", "text of d")
	gone.SourceID, gone.FirstSeen = "vanished", seen
	if err := s.CreateArticle(ctx, gone, nil, ""); err != nil {
		t.Fatal(err)
	}

	got, err := s.ExportRows(ctx, []int64{orig.ID, cp.ID, alone.ID, gone.ID, 999})
	if err != nil {
		t.Fatal(err)
	}
	want := map[int64]*ExportRow{
		orig.ID:  {ID: orig.ID, Author: "Natalia Sokolova", SourceID: "blog", SourceName: "Blog", DateSource: model.DateFromMeta, FirstSeen: seen, Cluster: orig.ID, Topics: []string{"oil", "zh"}, Provenance: model.ProvenanceCrawl},
		cp.ID:    {ID: cp.ID, SourceID: "blog", SourceName: "Blog", DateSource: model.DateFromFeed, FirstSeen: seen, Cluster: orig.ID, Provenance: model.ProvenanceCrawl},
		alone.ID: {ID: alone.ID, Author: "Joanna Lillis", SourceID: "blog", SourceName: "Blog", FirstSeen: seen, Topics: []string{"zh"}, Provenance: model.ProvenanceCrawl},
		gone.ID:  {ID: gone.ID, SourceID: "vanished", FirstSeen: seen, Provenance: model.ProvenanceCrawl},
	}
	if !reflect.DeepEqual(got, want) {
		for id, r := range got {
			t.Logf("got %d: %+v", id, *r)
		}
		t.Fatalf("export rows differ from %d wanted rows", len(want))
	}
}

// TestExportRowsInChunks reads more ids than one query takes.
func TestExportRowsInChunks(t *testing.T) {
	ctx := context.Background()
	s := open(t)
	var ids []int64
	for i := range chunkSize + 7 {
		a := article(fmt.Sprintf("https://a/%d", i), fmt.Sprintf("text %d", i))
		if err := s.CreateArticle(ctx, a, []string{"zh"}, ""); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, a.ID)
	}
	got, err := s.ExportRows(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(ids) {
		t.Fatalf("%d rows for %d ids", len(got), len(ids))
	}
	for _, id := range ids {
		if r := got[id]; r == nil || len(r.Topics) != 1 || r.Cluster != 0 {
			t.Fatalf("row %d = %+v, want topic zh and no cluster", id, r)
		}
	}
}
