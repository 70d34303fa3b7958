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

// storyArticles are five articles: 1, 2 and 3 copies of one story (cluster
// 1), 4 a story of its own that was edited, 5 one removed at its source.
func storyArticles() []*model.Article {
	at := time.Date(2011, 12, 17, 10, 0, 0, 0, time.UTC)
	mk := func(id, cluster int64, src string, state model.ArticleState, text string) *model.Article {
		return &model.Article{ID: id, URL: "https://example.org/" + src + "/" + text[:4], SourceID: src, Title: text[:12],
			Text: text, Lang: "en", Published: at.Add(time.Duration(id) * time.Hour), FirstSeen: at, State: state, ClusterID: cluster}
	}
	return []*model.Article{
		mk(1, 1, "rferl", model.StateLive, "Strikers shot in Zhanaozen, witnesses say"),
		mk(2, 1, "bbc", model.StateLive, "Strikers shot in Zhanaozen, witnesses say (agency)"),
		mk(3, 1, "dw", model.StateEdited, "Strikers shot in Zhanaozen, witnesses say. Share this."),
		mk(4, 4, "tengrinews", model.StateEdited, "Zhanaozen curfew extended by the authorities"),
		mk(5, 5, "kaztag", model.StateRemoved, "Zhanaozen death toll revised"),
	}
}

func TestStateFilterQueryAndFacet(t *testing.T) {
	ix, err := OpenMem(WithSources(testSources))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if err := ix.Put(context.Background(), storyArticles()); err != nil {
		t.Fatal(err)
	}
	tests := map[string]struct {
		req  Request
		want []int64
	}{
		"state filter removed":     {Request{States: []string{"removed"}}, []int64{5}},
		"state filter edited":      {Request{States: []string{"edited"}}, []int64{3, 4}},
		"state filter two states":  {Request{States: []string{"live", "removed"}}, []int64{1, 2, 5}},
		"state: in the query":      {Request{Query: "state:edited"}, []int64{3, 4}},
		"state: with a word":       {Request{Query: "+curfew +state:edited"}, []int64{4}},
		"state filter and a query": {Request{Query: "witnesses", States: []string{"live"}}, []int64{1, 2}},
	}
	for name, tt := range tests {
		res, err := ix.Search(context.Background(), tt.req)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got := sorted(hitIDs(res)); !slices.Equal(got, tt.want) {
			t.Errorf("%s: hits %v, want %v", name, got, tt.want)
		}
	}
	res, err := ix.Search(context.Background(), Request{})
	if err != nil {
		t.Fatal(err)
	}
	want := []FacetCount{{"live", 2}, {"edited", 2}, {"removed", 1}}
	got := res.Facets["state"]
	slices.SortFunc(got, func(a, b FacetCount) int { return b.Count - a.Count })
	if len(got) != 3 || got[2] != want[2] || got[0].Count != 2 || got[1].Count != 2 {
		t.Errorf("state facet = %v, want %v", got, want)
	}
	for _, h := range res.Hits {
		if h.ID == 2 && (h.Story != 1 || h.State != "live") {
			t.Errorf("hit 2: story %d, state %q", h.Story, h.State)
		}
	}
}

func TestParseRequestState(t *testing.T) {
	r, err := ParseRequest(url.Values{"state": {"edited,removed"}})
	if err != nil || !slices.Equal(r.States, []string{"edited", "removed"}) {
		t.Errorf("state=edited,removed: %v, %v", r.States, err)
	}
	_, err = ParseRequest(url.Values{"state": {"deleted"}})
	var pe *ParamError
	if !errors.As(err, &pe) || pe.Param != "state" {
		t.Errorf("state=deleted: %v, want a ParamError naming state", err)
	}
}

func TestCollapseCountsStories(t *testing.T) {
	ix, err := OpenMem(WithSources(testSources))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if err := ix.Put(context.Background(), storyArticles()); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	res, err := ix.Search(ctx, Request{Query: "Zhanaozen", Collapse: true, Sort: SortOldest, Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 3 || len(res.Hits) != 2 || res.Hits[0].ID != 1 || res.Hits[0].Copies != 2 || res.Hits[1].ID != 4 || res.Hits[1].Copies != 0 {
		t.Fatalf("collapsed page 1: total %d, hits %+v", res.Total, res.Hits)
	}
	facet := func(f string) map[string]int {
		m := map[string]int{}
		for _, fc := range res.Facets[f] {
			m[fc.Value] = fc.Count
		}
		return m
	}
	if got := facet("state"); got["edited"] != 2 || got["live"] != 1 || got["removed"] != 1 {
		t.Errorf("story state facet = %v, want edited 2 (stories 1 and 4), live 1, removed 1", got)
	}
	if got := facet("source"); len(got) != 5 || got["bbc"] != 1 {
		t.Errorf("story source facet = %v", got)
	}
	sum := 0
	for _, b := range res.Timeline {
		sum += b.Count
	}
	if sum != 3 {
		t.Errorf("story timeline sums to %d, want 3", sum)
	}
	page2, err := ix.Search(ctx, Request{Query: "Zhanaozen", Collapse: true, Sort: SortOldest, Limit: 2, After: res.Next})
	if err != nil || len(page2.Hits) != 1 || page2.Hits[0].ID != 5 || page2.Next != "" {
		t.Fatalf("collapsed page 2: %+v, %v", page2, err)
	}
	// A story stored between two pages, sorting before them all, neither
	// repeats a story on the next page nor hides one.
	early := storyArticles()[4]
	early.ID, early.ClusterID, early.URL, early.Published = 6, 6, "https://example.org/early", early.Published.AddDate(0, 0, -5)
	if err := ix.Put(ctx, []*model.Article{early}); err != nil {
		t.Fatal(err)
	}
	page2, err = ix.Search(ctx, Request{Query: "Zhanaozen", Collapse: true, Sort: SortOldest, Limit: 2, After: res.Next})
	if err != nil || len(page2.Hits) != 1 || page2.Hits[0].ID != 5 {
		t.Fatalf("page 2 after a new story sorting first: %+v, %v; want story 5 only", page2.Hits, err)
	}
	// Without collapsing, the same search counts articles.
	flat, err := ix.Search(ctx, Request{Query: "Zhanaozen"})
	if err != nil || flat.Total != 6 {
		t.Errorf("uncollapsed total = %v, %v", flat, err)
	}
	if _, err := ix.Search(ctx, Request{Collapse: true, After: "bogus"}); err == nil {
		t.Error("a bad story cursor was accepted")
	}
	// The cursor of a page of stories comes back through the URL.
	if r, err := ParseRequest(url.Values{"collapse": {"story"}, "after": {res.Next}}); err != nil || r.After != res.Next || !r.Collapse {
		t.Errorf("collapse=story&after=%s: %+v, %v", res.Next, r, err)
	}
	if _, err := ParseRequest(url.Values{"collapse": {"story"}, "after": {"bogus"}}); err == nil {
		t.Error("a bad story cursor was accepted from the URL")
	}
	if _, err := ParseRequest(url.Values{"collapse": {"stories"}}); err == nil {
		t.Error("collapse=stories was accepted")
	}
}

// TestStatesWaitForTheRebuild: an index of an older mapping has no states
// or stories; asking for them while it is rebuilt is refused, not
// answered with counts of zero.
func TestStatesWaitForTheRebuild(t *testing.T) {
	dir := t.TempDir() + "/idx"
	ix, err := Open(dir, WithSources(testSources))
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Put(context.Background(), storyArticles()); err != nil {
		t.Fatal(err)
	}
	if err := ix.idx.SetInternal([]byte("mapping_version"), []byte("7-multilingual-fold-stop-idkey")); err != nil {
		t.Fatal(err)
	}
	ix.Close()
	ix, err = Open(dir, WithSources(testSources))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if !ix.Stale() {
		t.Fatal("an index of mapping 7 is not stale")
	}
	for name, req := range map[string]Request{
		"state filter":     {States: []string{"removed"}},
		"state: in query":  {Query: "state:edited"},
		"collapse stories": {Collapse: true},
	} {
		_, err := ix.Search(context.Background(), req)
		var pe *ParamError
		if !errors.As(err, &pe) || !strings.Contains(pe.Reason, "rebuilt") {
			t.Errorf("%s on a stale index: %v, want a ParamError saying it is being rebuilt", name, err)
		}
	}
	if res, err := ix.Search(context.Background(), Request{Query: "Zhanaozen"}); err != nil || res.Total != 5 {
		t.Errorf("a plain search on a stale index: %v, %v", res, err)
	}
}
