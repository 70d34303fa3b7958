package index

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
)

func hitIDs(r *Result) []int64 {
	ids := make([]int64, len(r.Hits))
	for i, h := range r.Hits {
		ids[i] = h.ID
	}
	return ids
}

func sorted(ids []int64) []int64 {
	out := slices.Clone(ids)
	slices.Sort(out)
	return out
}

func TestSearchFinds(t *testing.T) {
	tests := map[string]struct {
		req  Request
		want []int64 // in any order
	}{
		"empty query finds all": {Request{}, []int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}},
		"star finds all":        {Request{Query: " * "}, []int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}},
		// Every spelling and inflection: Жанаозене, Жанаозена, Schanaosen.
		"word in title or text":           {Request{Query: "Zhanaozen"}, []int64{1, 2, 3, 4, 5, 6, 8, 9, 10}},
		"word is case-insensitive":        {Request{Query: "zhanaozen"}, []int64{1, 2, 3, 4, 5, 6, 8, 9, 10}},
		"cyrillic inflected word":         {Request{Query: "Жанаозене"}, []int64{1, 2, 3, 4, 5, 6, 8, 9, 10}},
		"german spelling":                 {Request{Query: "Schanaosen"}, []int64{1, 2, 3, 4, 5, 6, 8, 9, 10}},
		"german word":                     {Request{Query: "Ölarbeiter"}, []int64{3, 7}},
		"phrase":                          {Request{Query: `"oil workers"`}, []int64{2, 9}},
		"phrase in the wrong order":       {Request{Query: `"workers oil"`}, nil},
		"must and must not":               {Request{Query: "+Zhanaozen -torture"}, []int64{1, 2, 3, 4, 5, 8, 9, 10}},
		"must twice":                      {Request{Query: "+police +Zhanaozen"}, []int64{1, 2, 6, 9}}, // полиция too
		"field title":                     {Request{Query: "title:Zhanaozen"}, []int64{1, 2, 3, 4, 6, 8, 9, 10}},
		"field text":                      {Request{Query: "text:curfew"}, []int64{4}},
		"source:value":                    {Request{Query: "source:dw"}, []int64{3, 7}},
		"lang:value":                      {Request{Query: "lang:ru"}, []int64{1, 5, 8}},
		"stance:value":                    {Request{Query: "stance:campaign"}, []int64{6}},
		"stance of an unlisted source":    {Request{Query: "stance:unknown"}, []int64{11}},
		"bare word never matches source":  {Request{Query: "tengrinews"}, nil},
		"sources filter":                  {Request{Sources: []string{"dw", "bbc"}}, []int64{3, 7, 9}},
		"langs filter with query":         {Request{Query: "Zhanaozen", Langs: []string{"en"}, Stances: []string{"international"}}, []int64{2, 9, 10}},
		"stances filter":                  {Request{Stances: []string{"independent", "state"}}, []int64{1, 4, 5, 8}},
		"filter that matches nothing":     {Request{Sources: []string{"nobody"}}, nil},
		"date range, inclusive both ends": {Request{From: day("2011-12-17T00:00:00Z"), To: day("2011-12-18T09:00:00Z")}, []int64{3, 4}},
		"from only":                       {Request{From: day("2012-01-01T00:00:00Z")}, []int64{5, 6, 7}},
		"to only leaves out undated":      {Request{To: day("2011-12-16T23:59:59Z")}, []int64{1, 2}},
		"date range and query":            {Request{Query: "Zhanaozen", From: day("2011-12-19T00:00:00Z")}, []int64{5, 6, 8, 9}},
		"undated article is still found":  {Request{Query: "survivors"}, []int64{10}},
	}
	for kind, ix := range newTestIndexes(t) {
		for name, tt := range tests {
			t.Run(kind+"/"+name, func(t *testing.T) {
				res, err := ix.Search(context.Background(), tt.req)
				if err != nil {
					t.Fatal(err)
				}
				if got := sorted(hitIDs(res)); !slices.Equal(got, tt.want) {
					t.Errorf("ids = %v, want %v", got, tt.want)
				}
				if res.Total != uint64(len(tt.want)) {
					t.Errorf("total = %d, want %d", res.Total, len(tt.want))
				}
			})
		}
	}
}

func TestSearchSort(t *testing.T) {
	tests := map[string]struct {
		req  Request
		want []int64 // in this order
	}{
		"newest, undated last":                          {Request{Sort: SortNewest}, []int64{7, 5, 6, 8, 11, 9, 4, 3, 2, 1, 10}},
		"oldest, undated last":                          {Request{Sort: SortOldest}, []int64{1, 2, 3, 4, 9, 11, 8, 6, 5, 7, 10}},
		"newest with a query":                           {Request{Query: "Zhanaozen", Sort: SortNewest}, []int64{5, 6, 8, 9, 4, 3, 2, 1, 10}},
		"relevance puts the title and text match first": {Request{Query: "curfew OR Kazakhstan", Limit: 1}, []int64{4}},
	}
	for kind, ix := range newTestIndexes(t) {
		for name, tt := range tests {
			t.Run(kind+"/"+name, func(t *testing.T) {
				res, err := ix.Search(context.Background(), tt.req)
				if err != nil {
					t.Fatal(err)
				}
				if got := hitIDs(res); !slices.Equal(got, tt.want) {
					t.Errorf("ids = %v, want %v", got, tt.want)
				}
			})
		}
	}
}

func TestSearchPaging(t *testing.T) {
	tests := map[string]Request{
		"relevance, all equal scores": {Limit: 4},
		"relevance, varied scores":    {Query: "Zhanaozen oil police strike Жанаозене Ölarbeiter survivors", Limit: 4},
		"newest":                      {Sort: SortNewest, Limit: 4},
		"oldest":                      {Sort: SortOldest, Limit: 4},
	}
	for kind, ix := range newTestIndexes(t) {
		for name, req := range tests {
			t.Run(kind+"/"+name, func(t *testing.T) {
				first, err := ix.Search(context.Background(), req)
				if err != nil {
					t.Fatal(err)
				}
				seen := map[int64]int{}
				pages := 0
				for res := first; ; {
					pages++
					if res.Total != first.Total {
						t.Errorf("page %d: total = %d, want %d", pages, res.Total, first.Total)
					}
					for _, id := range hitIDs(res) {
						seen[id]++
					}
					if res.Next == "" {
						break
					}
					req.After = res.Next
					if res, err = ix.Search(context.Background(), req); err != nil {
						t.Fatalf("page %d: %v", pages+1, err)
					}
				}
				if pages != 3 {
					t.Errorf("pages = %d, want 3", pages)
				}
				if len(seen) != int(first.Total) {
					t.Errorf("saw %d distinct ids, want %d", len(seen), first.Total)
				}
				for id, n := range seen {
					if n != 1 {
						t.Errorf("id %d seen %d times", id, n)
					}
				}
			})
		}
	}
}

func TestSearchSnippet(t *testing.T) {
	tests := map[string]struct {
		req      Request
		id       int64
		contains []string
	}{
		"match is marked":             {Request{Query: "torture"}, 6, []string{"<mark>torture</mark>"}},
		"phrase is marked":            {Request{Query: `"oil workers"`, Sort: SortNewest}, 9, []string{"<mark>oil</mark> <mark>workers</mark>", "Q&amp;A"}},
		"cyrillic is marked":          {Request{Query: "нефтяникам"}, 1, []string{"<mark>нефтяникам</mark>"}},
		"no query gives escaped text": {Request{Sources: []string{"bbc"}}, 9, []string{"The death toll", "Q&amp;A"}},
		"title-only match falls back": {Request{Query: "title:Mangystau"}, 11, []string{"The strike at Ozenmunaigas"}},
	}
	for kind, ix := range newTestIndexes(t) {
		for name, tt := range tests {
			t.Run(kind+"/"+name, func(t *testing.T) {
				res, err := ix.Search(context.Background(), tt.req)
				if err != nil {
					t.Fatal(err)
				}
				i := slices.IndexFunc(res.Hits, func(h Hit) bool { return h.ID == tt.id })
				if i < 0 {
					t.Fatalf("id %d not found in %v", tt.id, hitIDs(res))
				}
				for _, want := range tt.contains {
					if s := res.Hits[i].Snippet; !strings.Contains(s, want) {
						t.Errorf("snippet %q does not contain %q", s, want)
					}
				}
			})
		}
	}
}

func TestSearchHitFields(t *testing.T) {
	ix := newTestIndexes(t)["disk"]
	res, err := ix.Search(context.Background(), Request{Query: "survivors OR curfew", Sort: SortNewest})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) != 2 {
		t.Fatalf("got %v, want ids 4 and 10", hitIDs(res))
	}
	dated, undated := res.Hits[0], res.Hits[1]
	if dated.ID != 4 || dated.Source != "eurasianet" || dated.Stance != "independent" || dated.Lang != "en" ||
		dated.Published == nil || !dated.Published.Equal(day("2011-12-18T09:00:00Z")) ||
		!dated.FirstSeen.Equal(day("2011-12-18T10:30:00Z")) || dated.URL != "https://example.org/eurasianet/Kaza" {
		t.Errorf("dated hit = %+v", dated)
	}
	if undated.ID != 10 || undated.Published != nil || !undated.FirstSeen.Equal(day("2012-07-01T12:00:00Z")) {
		t.Errorf("undated hit = %+v", undated)
	}
}

func TestSearchErrors(t *testing.T) {
	// On disk (scorch) regexps run on vellum, which refuses some that Go's
	// regexp (the in-memory index) accepts.
	ix := newTestIndexes(t)["disk"]
	newest, err := ix.Search(context.Background(), Request{Sort: SortNewest, Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	tests := map[string]struct {
		req       Request
		wantQuery bool   // *QueryError, else *ParamError
		wantMsg   string // part of the message
	}{
		"unclosed phrase":          {Request{Query: `"oil workers`}, true, `index: query "\"oil workers"`},
		"lone plus":                {Request{Query: "+"}, true, "index: query"},
		"unclosed group":           {Request{Query: "(((oil"}, true, "unbalanced parenthesis: this ( is never closed at 3"},
		"unknown field":            {Request{Query: "titel:oil"}, true, `unknown field "titel" at 1; did you mean "title"?`},
		"unknown stance in query":  {Request{Query: "stance:states"}, true, `stance:states: there is no stance "states"`},
		"too fuzzy":                {Request{Query: "oil~5"}, true, "~5 is more than 2 at 4"},
		"bad date in query":        {Request{Query: `published:>"soon"`}, true, `"soon" is not a date`},
		"impossible date":          {Request{Query: `published:>=2011-13-45`}, true, `"2011-13-45" is not a date`},
		"empty field":              {Request{Query: "title:"}, true, "title: has no value at 1"},
		"too long":                 {Request{Query: strings.Repeat("oil ", 2000)}, true, "longer than"},
		"unknown sort":             {Request{Sort: "random"}, false, `parameter "sort": "random"`},
		"limit too big":            {Request{Limit: 5000}, false, `parameter "limit": "5000"`},
		"unknown stance":           {Request{Stances: []string{"neutral"}}, false, `parameter "stance": "neutral" is not a stance`},
		"to before from":           {Request{From: day("2012-01-02T00:00:00Z"), To: day("2012-01-01T00:00:00Z")}, false, `parameter "to"`},
		"garbage cursor":           {Request{After: "not-a-cursor"}, false, `parameter "after"`},
		"cursor of another sort":   {Request{Sort: SortOldest, After: newest.Next}, false, `is a cursor for sort "newest", not "oldest"`},
		"newest cursor, relevance": {Request{After: newest.Next}, false, `not "relevance"`},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := ix.Search(context.Background(), tt.req)
			var qe *QueryError
			var pe *ParamError
			switch {
			case err == nil:
				t.Fatal("no error")
			case tt.wantQuery && !errors.As(err, &qe):
				t.Errorf("%T %v, want *QueryError", err, err)
			case !tt.wantQuery && !errors.As(err, &pe):
				t.Errorf("%T %v, want *ParamError", err, err)
			case !strings.Contains(err.Error(), tt.wantMsg):
				t.Errorf("error %q does not contain %q", err, tt.wantMsg)
			}
		})
	}
}
