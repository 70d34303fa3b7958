package index

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"presswatch/index/qparse"
	"presswatch/internal/model"
)

// boundArticles are 300 articles whose texts are the words zarqa + two
// letters (zarqaaa ... zarqato), each under its own url below
// https://example.org/bound/, and 20 decoys (morvu + two letters, under
// https://example.org/other/) that no query of TestExpansionBound finds.
// It returns the ids of the 300.
func boundArticles() ([]*model.Article, []int64) {
	var arts []*model.Article
	var want []int64
	add := func(stem, path string) {
		for x := 'a'; x <= 't'; x++ {
			for y := 'a'; y <= 'o'; y++ {
				id := int64(len(arts) + 1)
				w := fmt.Sprintf("%s%c%c", stem, x, y)
				arts = append(arts, &model.Article{ID: id, SourceID: "bbc", Lang: "xx", Title: "Bulletin", Text: w,
					URL: "https://example.org/" + path + "/" + w, FirstSeen: day("2012-07-01T12:00:00Z")})
				if stem == "zarqa" {
					want = append(want, id)
				}
				if stem != "zarqa" && len(arts) == 320 {
					return
				}
			}
		}
	}
	add("zarqa", "bound")
	add("morvu", "other")
	return arts, want
}

// TestExpansionBound checks that a word standing for many terms (a
// pattern of the text, a fuzzy word, a pattern of a keyword field) matching
// one term more than its bound is refused with a *QueryError naming it and
// the bound, at its position, and that at the bound it finds exactly the
// articles it matches: 300 words, bounds of 299 and 300. Both kinds of
// index: scorch walks its dictionary with automata, the in-memory one
// has its dictionary read.
func TestExpansionBound(t *testing.T) {
	arts, want := boundArticles()
	mem, err := OpenMem(WithSources(testSources))
	if err != nil {
		t.Fatal(err)
	}
	disk, err := Open(t.TempDir()+"/idx", WithSources(testSources))
	if err != nil {
		t.Fatal(err)
	}
	for name, ix := range map[string]*Index{"mem": mem, "disk": disk} {
		t.Cleanup(func() { _ = ix.Close() })
		if err := ix.Put(context.Background(), arts); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	for name, tc := range map[string]struct {
		q      string
		bound  func(ix *Index, n int)
		reason string // for a bound of 299
	}{
		"pattern of the text": {"Bulletin zarqa*", func(ix *Index, n int) { ix.maxPatternWords = n },
			`"zarqa*" matches more than 299 words at 10; make it longer`},
		"fuzzy word": {"Bulletin zarqabi~2", func(ix *Index, n int) { ix.maxExpansion = n },
			`"zarqabi~2" matches more than 299 words at 10; write more of the word, or fewer edits (~1)`},
		"pattern of the url": {"Bulletin url:https://example.org/bound/*", func(ix *Index, n int) { ix.maxExpansion = n },
			`"url:https://example.org/bound/*" matches more than 299 words at 14; make it longer`},
	} {
		for kind, ix := range map[string]*Index{"mem": mem, "disk": disk} {
			t.Run(name+"/"+kind, func(t *testing.T) {
				defer func() { ix.maxPatternWords, ix.maxExpansion = maxPatternWords, maxExpansion }()
				req := Request{Query: tc.q, Op: "and", Limit: MaxLimit}

				tc.bound(ix, 299)
				res, err := ix.Search(context.Background(), req)
				var qe *QueryError
				var pe *qparse.Error
				switch {
				case err == nil:
					t.Fatalf("bound 299: answered (%d hits), want a query error", res.Total)
				case !errors.As(err, &qe) || !errors.As(err, &pe):
					t.Fatalf("bound 299: %v (%T) is not a *QueryError of a *qparse.Error", err, err)
				case pe.Error() != tc.reason:
					t.Errorf("bound 299: error %q, want %q", pe.Error(), tc.reason)
				}

				tc.bound(ix, 300)
				res, err = ix.Search(context.Background(), req)
				if err != nil {
					t.Fatalf("bound 300: %v", err)
				}
				var got []int64
				for _, h := range res.Hits {
					got = append(got, h.ID)
				}
				slices.Sort(got)
				if res.Total != uint64(len(want)) || !slices.Equal(got, want) {
					t.Errorf("bound 300: %d hits (%d on the page), want exactly the %d zarqa articles; got %v", res.Total, len(got), len(want), got)
				}
			})
		}
	}
}

// TestExpansionDefault checks the bound a new index has: the fuzzy word
// of TestExpansionBound, nowhere near it, is answered, so the bound is set
// and is not zero (which would refuse every expansion).
func TestExpansionDefault(t *testing.T) {
	ix, err := OpenMem()
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if ix.maxExpansion != maxExpansion || ix.maxPatternWords != maxPatternWords {
		t.Fatalf("bounds %d and %d, want %d and %d", ix.maxExpansion, ix.maxPatternWords, maxExpansion, maxPatternWords)
	}
	arts, _ := boundArticles()
	if err := ix.Put(context.Background(), arts[:3]); err != nil {
		t.Fatal(err)
	}
	res, err := ix.Search(context.Background(), Request{Query: "zarqaab~1 OR url:https://example.org/bound/*"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 3 {
		t.Errorf("%d hits, want 3", res.Total)
	}
}
