package store

import (
	"context"
	"testing"
	"time"

	"presswatch/internal/model"
)

func TestWebQueries(t *testing.T) {
	ctx := context.Background()
	s := open(t)
	if err := s.SyncSources(ctx, []model.Source{src}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SyncTopics(ctx, []model.Topic{{ID: "quiet", Name: "Quiet", Query: "nothing"},
		{ID: "zh", Name: "Zhanaozen", Query: "Zhanaozen"}}); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2012, 1, 12, 15, 0, 0, 0, time.UTC)
	put := func(url string, seen time.Time, cluster int64) *model.Article {
		a := article(url, "text of "+url)
		a.FirstSeen, a.LastChecked, a.ClusterID = seen, seen, cluster
		a.Published = time.Date(2011, 12, 16, 14, 0, 0, 0, time.FixedZone("", 5*3600))
		if err := s.CreateArticle(ctx, a, []string{"zh"}, ""); err != nil {
			t.Fatal(err)
		}
		return a
	}
	orig := put("https://a/1", now.Add(-2*time.Hour), 0)            // today
	cp := put("https://b/1", now.AddDate(0, 0, -6), orig.ClusterID) // sixth day back: in the week
	other := put("https://c/2", now.AddDate(0, 0, -7), 0)           // outside the week

	newest, err := s.Newest(ctx, 2)
	if err != nil || len(newest) != 2 || newest[0].ID != orig.ID || newest[1].ID != cp.ID {
		t.Fatalf("newest = %+v, %v", newest, err)
	}
	if n := newest[0]; n.SourceName != "Blog" || n.Stance != model.StanceCampaign || n.Title != "Zhanaozen" {
		t.Errorf("summary = %+v", n)
	}
	if _, off := newest[0].Published.Zone(); off != 5*3600 || newest[0].Published.Hour() != 14 {
		t.Errorf("published %v lost the publisher's offset", newest[0].Published)
	}

	for name, tc := range map[string]struct {
		id   int64
		want []int64
	}{
		"original lists its copy": {orig.ID, []int64{cp.ID}},
		"copy lists the original": {cp.ID, []int64{orig.ID}},
		"a lone article has none": {other.ID, nil},
		"an unknown id has none":  {999, nil},
	} {
		t.Run(name, func(t *testing.T) {
			got, err := s.Copies(ctx, tc.id)
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, c := range got {
				ids = append(ids, c.ID)
			}
			if len(ids) != len(tc.want) || (len(ids) > 0 && ids[0] != tc.want[0]) {
				t.Errorf("copies = %v, want %v", ids, tc.want)
			}
		})
	}

	counts, err := s.TopicCounts(ctx, now)
	if err != nil {
		t.Fatal(err)
	}
	want := []TopicCount{{Topic: model.Topic{ID: "quiet"}}, {Topic: model.Topic{ID: "zh"}, Today: 1, Week: 2}}
	if len(counts) != len(want) {
		t.Fatalf("counts = %+v", counts)
	}
	for i, c := range counts {
		if c.ID != want[i].ID || c.Today != want[i].Today || c.Week != want[i].Week {
			t.Errorf("count %d = %s %d/%d, want %s %d/%d", i, c.ID, c.Today, c.Week, want[i].ID, want[i].Today, want[i].Week)
		}
	}
}
