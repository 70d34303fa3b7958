package store

import (
	"context"
	"slices"
	"testing"
	"time"

	"presswatch/internal/model"
)

// topicStore holds five articles first seen an hour apart (ids 1 to 5),
// 1 and 2 matched to "strike" at ingest, every one indexed.
func topicStore(t *testing.T) (*Store, []Pending) {
	t.Helper()
	ctx := context.Background()
	s := open(t)
	if err := s.SyncSources(ctx, []model.Source{src}); err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		a := article("https://blog.example/"+string(rune('a'+i)), "text "+string(rune('a'+i)))
		a.FirstSeen = time.Date(2012, 1, 12, 10+i, 0, 0, 0, time.UTC)
		var topics []string
		if i < 2 {
			topics = []string{"strike"}
		}
		if err := s.CreateArticle(ctx, a, topics, ""); err != nil {
			t.Fatal(err)
		}
	}
	all, err := s.Unindexed(ctx, 0, 10)
	if err != nil || len(all) != 5 {
		t.Fatalf("%d unindexed, %v", len(all), err)
	}
	if err := s.MarkIndexed(ctx, all, time.Now()); err != nil {
		t.Fatal(err)
	}
	return s, all
}

func unindexedIDs(t *testing.T, s *Store) []int64 {
	t.Helper()
	p, err := s.Unindexed(context.Background(), 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, a := range p {
		ids = append(ids, a.ID)
	}
	return ids
}

func TestSetTopicMatches(t *testing.T) {
	ctx := context.Background()
	for name, tc := range map[string]struct {
		m              TopicMatches
		added, removed int
		matched        []int64 // the topic's articles after
		marked         []int64 // for indexing after
	}{
		"complete: adds and removes": {TopicMatches{Topic: "strike", IDs: []int64{2, 3, 4}, Through: 5, Complete: true}, 2, 1, []int64{2, 3, 4}, []int64{1, 3, 4}},
		"cut short: only adds":       {TopicMatches{Topic: "strike", IDs: []int64{3}, Through: 5}, 1, 0, []int64{1, 2, 3}, []int64{3}},
		"later articles stay":        {TopicMatches{Topic: "strike", IDs: []int64{}, Through: 1, Complete: true}, 0, 1, []int64{2}, []int64{1}},
		"a new topic":                {TopicMatches{Topic: "oil", IDs: []int64{5, 5, 4}, Through: 5, Complete: true}, 2, 0, []int64{4, 5}, []int64{4, 5}},
		"a deleted article is left":  {TopicMatches{Topic: "oil", IDs: []int64{99}, Through: 99, Complete: true}, 0, 0, nil, nil},
		"nothing changes":            {TopicMatches{Topic: "strike", IDs: []int64{1, 2}, Through: 5, Complete: true}, 0, 0, []int64{1, 2}, nil},
	} {
		t.Run(name, func(t *testing.T) {
			s, _ := topicStore(t)
			added, removed, err := s.SetTopicMatches(ctx, tc.m)
			if err != nil || added != tc.added || removed != tc.removed {
				t.Fatalf("added %d removed %d (%v), want %d and %d", added, removed, err, tc.added, tc.removed)
			}
			arts, err := s.ArticlesByID(ctx, []int64{1, 2, 3, 4, 5})
			if err != nil {
				t.Fatal(err)
			}
			var matched []int64
			for _, a := range arts {
				if slices.Contains(a.Topics, tc.m.Topic) {
					matched = append(matched, a.ID)
				}
			}
			slices.Sort(matched)
			if !slices.Equal(matched, tc.matched) {
				t.Errorf("matched %v, want %v", matched, tc.matched)
			}
			if got := unindexedIDs(t, s); !slices.Equal(got, tc.marked) {
				t.Errorf("marked for indexing %v, want %v", got, tc.marked)
			}
		})
	}
}

// An indexer that read an article before its matches changed cannot clear
// the mark: the change is indexed too.
func TestSetTopicMatchesOutlivesAnIndexingInFlight(t *testing.T) {
	ctx := context.Background()
	s, _ := topicStore(t)
	if _, err := s.MarkForIndexing(ctx, []int64{3}); err != nil {
		t.Fatal(err)
	}
	read, err := s.Unindexed(ctx, 0, 10) // an indexer reads article 3
	if err != nil || len(read) != 1 {
		t.Fatalf("%v %v", read, err)
	}
	if _, _, err := s.SetTopicMatches(ctx, TopicMatches{Topic: "oil", IDs: []int64{3}, Through: 5, Complete: true}); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkIndexed(ctx, read, time.Now()); err != nil { // it indexed the text without the topic
		t.Fatal(err)
	}
	if got := unindexedIDs(t, s); !slices.Equal(got, []int64{3}) {
		t.Errorf("unindexed %v, want article 3 still waiting with its new topic", got)
	}
}

func TestMarkForIndexing(t *testing.T) {
	ctx := context.Background()
	s, _ := topicStore(t)
	n, err := s.MarkForIndexing(ctx, []int64{2, 4, 99})
	if err != nil || n != 2 {
		t.Fatalf("marked %d (%v), want 2", n, err)
	}
	if got := unindexedIDs(t, s); !slices.Equal(got, []int64{2, 4}) {
		t.Errorf("unindexed %v", got)
	}
}

func TestTopicSinceAndTotals(t *testing.T) {
	ctx := context.Background()
	s, _ := topicStore(t)
	if _, _, err := s.SetTopicMatches(ctx, TopicMatches{Topic: "strike", IDs: []int64{1, 2, 3, 4}, Through: 5, Complete: true}); err != nil {
		t.Fatal(err)
	}
	since := time.Date(2012, 1, 12, 11, 0, 0, 0, time.UTC) // article 2's first seen
	got, err := s.TopicSince(ctx, "strike", since, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ID != 4 || got[1].ID != 3 || got[0].SourceName != "Blog" || got[0].ClusterID != 4 {
		t.Errorf("got %+v, want articles 4 and 3 (of 4, 3, 2), newest first seen first", got)
	}
	if got, _ := s.TopicSince(ctx, "strike", since, 10); len(got) != 3 || got[2].ID != 2 {
		t.Errorf("since is inclusive: got %+v", got)
	}
	totals, err := s.TopicTotals(ctx)
	if err != nil || totals["strike"] != 4 || len(totals) != 1 {
		t.Errorf("totals %v (%v), want strike 4", totals, err)
	}
	if id, err := s.LastArticleID(ctx); err != nil || id != 5 {
		t.Errorf("last article %d (%v)", id, err)
	}
}
