package index

import (
	"context"
	"errors"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"presswatch/internal/model"
)

// firstSeenArticles are six articles whose published order and first-seen
// order differ: article 2 was published early and seen late, article 3
// has no published date. Articles 2 and 6 are copies of one story.
//
//	published newest:  5 1 4 6 2 3 (undated last)
//	first seen newest: 5 2 3 1 6 4
func firstSeenArticles() []*model.Article {
	at := func(s string) time.Time { return day(s) }
	arts := []struct {
		id, cluster     int64
		published, seen string
	}{
		{1, 0, "2011-12-20T10:00:00+06:00", "2011-12-21T10:00:00Z"},
		{2, 2, "2011-12-16T10:00:00+06:00", "2011-12-23T09:00:00Z"},
		{3, 0, "", "2011-12-22T12:00:00Z"},
		{4, 0, "2011-12-18T10:00:00+06:00", "2011-12-19T08:00:00Z"},
		{5, 0, "2011-12-21T10:00:00+06:00", "2011-12-24T07:00:00Z"},
		{6, 2, "2011-12-17T10:00:00+06:00", "2011-12-20T05:00:00Z"},
	}
	out := make([]*model.Article, len(arts))
	for i, a := range arts {
		out[i] = &model.Article{ID: a.id, ClusterID: a.cluster, SourceID: "rferl", Lang: "en",
			URL: "https://example.org/" + string(rune('0'+a.id)), FirstSeen: at(a.seen),
			Title: "Zhanaozen report", Text: "A report from Zhanaozen."}
		if a.published != "" {
			out[i].Published = at(a.published)
		}
	}
	return out
}

// TestSortByFirstSeen pages through every article (and every story) three
// at a time, by first seen and by published, from the URL parameters a
// user sends, and checks the exact order on both pages.
func TestSortByFirstSeen(t *testing.T) {
	ix, err := OpenMem(WithSources(testSources))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	ctx := context.Background()
	if err := ix.Put(ctx, firstSeenArticles()); err != nil {
		t.Fatal(err)
	}
	tests := map[string]struct {
		params       string
		page1, page2 []int64
	}{
		"newest by first seen":             {"sort=newest&date=first_seen", []int64{5, 2, 3}, []int64{1, 6, 4}},
		"oldest by first seen":             {"sort=oldest&date=first_seen", []int64{4, 6, 1}, []int64{3, 2, 5}},
		"newest by published":              {"sort=newest", []int64{5, 1, 4}, []int64{6, 2, 3}},
		"oldest by published":              {"sort=oldest&date=published", []int64{2, 6, 4}, []int64{1, 5, 3}},
		"stories newest by first seen":     {"sort=newest&date=first_seen&collapse=story", []int64{5, 2, 3}, []int64{1, 4}},
		"stories oldest by first seen":     {"sort=oldest&date=first_seen&collapse=story", []int64{4, 6, 1}, []int64{3, 5}},
		"stories newest by published":      {"sort=newest&collapse=story", []int64{5, 1, 4}, []int64{6, 3}},
		"with a query, by first seen":      {"q=Zhanaozen&sort=newest&date=first_seen", []int64{5, 2, 3}, []int64{1, 6, 4}},
		"relevance is the same either way": {"q=Zhanaozen&date=first_seen", []int64{1, 2, 3}, []int64{4, 5, 6}},
	}
	for name, tc := range tests {
		v, err := url.ParseQuery(tc.params + "&limit=3")
		if err != nil {
			t.Fatal(err)
		}
		req, err := ParseRequest(v)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		res, err := ix.Search(ctx, req)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got := hitIDs(res); !slices.Equal(got, tc.page1) || res.Next == "" {
			t.Errorf("%s: page 1 = %v (next %q), want %v and a next page", name, got, res.Next, tc.page1)
			continue
		}
		v.Set("after", res.Next)
		if req, err = ParseRequest(v); err != nil {
			t.Fatalf("%s: page 2: %v", name, err)
		}
		res, err = ix.Search(ctx, req)
		if err != nil {
			t.Fatalf("%s: page 2: %v", name, err)
		}
		if got := hitIDs(res); !slices.Equal(got, tc.page2) || res.Next != "" {
			t.Errorf("%s: page 2 = %v (next %q), want %v and no next page", name, got, res.Next, tc.page2)
		}
	}
}

// TestFirstSeenCursorIsItsOwn: a cursor of the published sort does not
// continue the same sort by first seen (its values are other dates), and
// the error says which sort it belongs to.
func TestFirstSeenCursorIsItsOwn(t *testing.T) {
	ix, err := OpenMem(WithSources(testSources))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	ctx := context.Background()
	if err := ix.Put(ctx, firstSeenArticles()); err != nil {
		t.Fatal(err)
	}
	published, err := ix.Search(ctx, Request{Sort: SortNewest, Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	seen, err := ix.Search(ctx, Request{Sort: SortNewest, ByFirstSeen: true, Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string]struct {
		req  Request
		want string
	}{
		"published cursor, first-seen sort": {Request{Sort: SortNewest, ByFirstSeen: true, After: published.Next}, `is a cursor for sort "newest", not "newest" by first_seen`},
		"first-seen cursor, published sort": {Request{Sort: SortNewest, After: seen.Next}, `is a cursor for sort "newest" by first_seen, not "newest"`},
	} {
		_, err := ix.Search(ctx, tc.req)
		var pe *ParamError
		if err == nil || !strings.Contains(err.Error(), tc.want) || !errors.As(err, &pe) || pe.Param != "after" {
			t.Errorf("%s: error %v, want a ParamError on after that %s", name, err, tc.want)
		}
	}
}
