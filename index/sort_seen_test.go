package index

import (
	"context"
	"net/url"
	"slices"
	"testing"
)

// TestSortSeenKeepsThePublishedFilter: sort=seen orders by first seen,
// newest first, while from and to still bound the published date, which
// ByFirstSeen would turn into bounds on first seen. Paging goes on in the
// same order.
func TestSortSeenKeepsThePublishedFilter(t *testing.T) {
	ix, err := OpenMem(WithSources(testSources))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	ctx := context.Background()
	if err := ix.Put(ctx, firstSeenArticles()); err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string]struct {
		params       string
		page1, page2 []int64
	}{
		// Published from the 17th: 1, 4, 5, 6 (2 is of the 16th, 3 undated).
		"published filter, first-seen order": {"sort=seen&from=2011-12-17", []int64{5, 1}, []int64{6, 4}},
		"every article":                      {"sort=seen", []int64{5, 2}, []int64{3, 1}},
		"the same with date=first_seen":      {"sort=seen&date=first_seen&from=2011-12-22", []int64{5, 2}, []int64{3}},
	} {
		v, _ := url.ParseQuery(tc.params + "&limit=2")
		req, err := ParseRequest(v)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		res, err := ix.Search(ctx, req)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got := hitIDs(res); !slices.Equal(got, tc.page1) {
			t.Errorf("%s: page 1 = %v, want %v", name, got, tc.page1)
			continue
		}
		req.After = res.Next
		if res, err = ix.Search(ctx, req); err != nil {
			t.Fatalf("%s: page 2: %v", name, err)
		}
		if got := hitIDs(res); !slices.Equal(got, tc.page2) {
			t.Errorf("%s: page 2 = %v, want %v", name, got, tc.page2)
		}
	}
}
