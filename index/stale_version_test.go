package index

import (
	"context"
	"errors"
	"strings"
	"testing"

	"presswatch/internal/model"
)

// reopenAs records version as the mapping version of the index in dir and
// opens it again, as serve finds an index made by an older presswatch.
func reopenAs(t *testing.T, dir, version string) *Index {
	t.Helper()
	ix, err := Open(dir, WithSources(testSources))
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.idx.SetInternal([]byte("mapping_version"), []byte(version)); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	ix, err = Open(dir, WithSources(testSources))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix
}

// TestStaleIndexKeepsItsVersionsFeatures: an index being rebuilt is
// searched with what its own mapping version has. One version behind
// (only the folded keys changed) it answers states, stories and the
// timeline as before; older ones fall back feature by feature.
func TestStaleIndexKeepsItsVersionsFeatures(t *testing.T) {
	dir := t.TempDir() + "/idx"
	ix, err := Open(dir, WithSources(testSources))
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Put(context.Background(), storyArticles()); err != nil {
		t.Fatal(err)
	}
	ix.Close()

	for name, c := range map[string]struct {
		version         string
		states, stories bool
		facetKeys       bool // else the facets are counted field by field
	}{
		"the previous mapping, only fold keys changed": {version: "9-queries-facet-key", states: true, stories: true, facetKeys: true},
		"before the facet key":                         {version: "9-queries", states: true, stories: true},
		"the first with states and stories":            {version: "8-state-cluster", states: true, stories: true},
		"before states and stories":                    {version: "7-multilingual-fold-stop-idkey"},
		"no version recorded":                          {version: ""},
	} {
		t.Run(name, func(t *testing.T) {
			ix := reopenAs(t, dir, c.version)
			if !ix.Stale() {
				t.Fatalf("an index of mapping %q is not stale", c.version)
			}
			checkStates(t, ix, c.states)
			checkStories(t, ix, c.stories)
			checkTimeline(t, ix, c.facetKeys)
		})
	}
}

// checkStates: a state= filter, state: in a query and top terms with a
// state are answered when the index has states, else refused as waiting
// for the rebuild.
func checkStates(t *testing.T, ix *Index, has bool) {
	t.Helper()
	ctx := context.Background()
	for name, c := range map[string]struct {
		req  Request
		want uint64
	}{
		"state filter":    {Request{States: []string{"removed"}}, 1},
		"state: in query": {Request{Query: "state:edited"}, 2},
	} {
		res, err := ix.Search(ctx, c.req)
		switch {
		case has && (err != nil || res.Total != c.want):
			t.Errorf("%s: %v, %v; want %d articles", name, res, err, c.want)
		case !has && !isRebuildWait(err):
			t.Errorf("%s: %v, %v; want a ParamError saying the index is being rebuilt", name, res, err)
		}
	}
	_, err := ix.TopTerms(ctx, Request{States: []string{"edited"}}, TermsOptions{})
	if has && err != nil || !has && !isRebuildWait(err) {
		t.Errorf("top terms with state=edited: %v (has states: %t)", err, has)
	}
}

// checkStories: collapse=story gives the three stories of storyArticles
// when the index has stories, else is refused.
func checkStories(t *testing.T, ix *Index, has bool) {
	t.Helper()
	res, err := ix.Search(context.Background(), Request{Query: "Zhanaozen", Collapse: true})
	switch {
	case has && (err != nil || res.Total != 3):
		t.Errorf("collapse=story: %v, %v; want 3 stories", res, err)
	case !has && !isRebuildWait(err):
		t.Errorf("collapse=story: %v, %v; want a ParamError saying the index is being rebuilt", res, err)
	}
}

// checkTimeline: with facet keys the timeline counts all five dated
// articles and ByStance is given; without them the search asks the day
// field, which an index of this mapping lacks, so the timeline is empty
// and ByStance nil, while the source facet still counts every article:
// the fallback that really old indexes get.
func checkTimeline(t *testing.T, ix *Index, facetKeys bool) {
	t.Helper()
	res, err := ix.Search(context.Background(), Request{Query: "Zhanaozen", ByStance: true})
	if err != nil || res.Total != 5 {
		t.Fatalf("a plain search: %v, %v; want 5 articles", res, err)
	}
	sum := 0
	for _, b := range res.Timeline {
		sum += b.Count
	}
	sources := 0
	for _, fc := range res.Facets[fieldSource] {
		sources += fc.Count
	}
	if sources != 5 {
		t.Errorf("the source facet counts %d articles, want 5: %v", sources, res.Facets[fieldSource])
	}
	switch {
	case facetKeys && (sum != 5 || res.ByStance == nil):
		t.Errorf("timeline %v sums to %d (want 5), by stance %v (want counts)", res.Timeline, sum, res.ByStance)
	case !facetKeys && (sum != 0 || res.ByStance != nil):
		t.Errorf("timeline %v, by stance %v: want the per-field fallback (no day field here, so nothing)", res.Timeline, res.ByStance)
	}
}

func isRebuildWait(err error) bool {
	var pe *ParamError
	return errors.As(err, &pe) && strings.Contains(pe.Reason, "being rebuilt")
}

// TestRebuildBringsEveryFeature: once the rebuild of a really old index is
// swapped in, states, stories and the facet-key timeline are answered.
func TestRebuildBringsEveryFeature(t *testing.T) {
	dir := t.TempDir() + "/idx"
	ix, err := Open(dir, WithSources(testSources))
	if err != nil {
		t.Fatal(err)
	}
	ix.Close()
	ix = reopenAs(t, dir, "7-multilingual-fold-stop-idkey")
	load := func(_ context.Context, yield func(*model.Article) error) error {
		for _, a := range storyArticles() {
			if err := yield(a); err != nil {
				return err
			}
		}
		return nil
	}
	if err := ix.Rebuild(context.Background(), load, nil); err != nil {
		t.Fatal(err)
	}
	if ix.Stale() {
		t.Fatal("stale after the rebuild")
	}
	checkStates(t, ix, true)
	checkStories(t, ix, true)
	checkTimeline(t, ix, true)
}
