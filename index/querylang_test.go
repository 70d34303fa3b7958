package index

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"presswatch/index/qparse"
	"presswatch/internal/model"
)

// queryLangIndex holds the fixture articles and a few more that the query
// language's cases need: Kazakhstan in Cyrillic only, a byline, words
// near and far.
func queryLangIndex(t *testing.T) *Index {
	t.Helper()
	extra := []*model.Article{
		{ID: 20, SourceID: "azattyq", Lang: "ru", Title: "Казахстан и нефть", Text: "Власти Казахстана обещают расследование.",
			URL: "https://example.org/azattyq/kz", FirstSeen: day("2012-02-01T10:00:00Z"), Published: day("2012-02-01T09:00:00Z")},
		{ID: 21, SourceID: "eurasianet", Lang: "en", Title: "Notes from Aktau", Author: "Joanna Whitfield",
			Text: "The strike committee met. Much later, after many hours of talks with the regional akimat, the police arrived.",
			URL:  "https://example.org/eurasianet/aktau", FirstSeen: day("2012-05-01T10:00:00Z"), Published: day("2012-05-01T09:00:00Z")},
		{ID: 22, SourceID: "eurasianet", Lang: "en", Title: "Mangystau diary", Text: "The strike and the police: a day in Mangystau.",
			URL: "https://example.org/eurasianet/diary", FirstSeen: day("2012-05-02T10:00:00Z"), Published: day("2012-05-02T09:00:00Z")},
	}
	ix, err := Open(t.TempDir()+"/idx", WithSources(testSources), WithTopics([]string{"zhanaozen"}),
		WithAliases([][]string{{"Zhanaozen", "Жанаозен", "Новый Узень"}}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	if err := ix.Put(context.Background(), append(testArticles(), extra...)); err != nil {
		t.Fatal(err)
	}
	return ix
}

func TestQueryLanguageFinds(t *testing.T) {
	ix := queryLangIndex(t)
	ids := func(q, op string) []int64 {
		t.Helper()
		res, err := ix.Search(context.Background(), Request{Query: q, Op: op, Limit: 100})
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		got := hitIDs(res)
		slices.Sort(got)
		return got
	}
	zhanaozen := []int64{1, 2, 3, 4, 5, 6, 8, 9, 10}
	tests := map[string]struct {
		q, op string
		want  []int64
	}{
		"a name in every spelling":      {q: "Zhanaozen", want: zhanaozen},
		"AND keeps both":                {q: "Zhanaozen AND police", want: []int64{1, 2, 6, 9}},
		"&& is AND":                     {q: "Zhanaozen && police", want: []int64{1, 2, 6, 9}},
		"op=and joins words":            {q: "Zhanaozen police", op: "and", want: []int64{1, 2, 6, 9}},
		"+ requires":                    {q: "+Zhanaozen +police", want: []int64{1, 2, 6, 9}},
		"NOT takes away":                {q: "Zhanaozen NOT police", want: []int64{3, 4, 5, 8, 10}},
		"! is NOT":                      {q: "Zhanaozen !police", want: []int64{3, 4, 5, 8, 10}},
		"- takes away":                  {q: "Zhanaozen -police", want: []int64{3, 4, 5, 8, 10}},
		"OR adds":                       {q: "Mangystau OR Aktau", want: []int64{5, 7, 11, 21, 22}},
		"words side by side are OR":     {q: "Mangystau Aktau", want: []int64{5, 7, 11, 21, 22}},
		"parentheses group":             {q: "(Mangystau OR Aktau) AND strike", want: []int64{11, 21, 22}},
		"NOT before AND before OR":      {q: "Aktau AND NOT strike OR curfew", want: []int64{4, 5, 7}},
		"a prefix in its own script":    {q: "Kazakhst*", want: []int64{4, 6, 20}},
		"a Cyrillic prefix":             {q: "Казах*", want: []int64{4, 6, 20}},
		"a ? pattern":                   {q: "Tuleta?ewa", want: []int64{7}},
		"title only":                    {q: "title:Kazakhstan", want: []int64{4, 6, 20}},
		"title group":                   {q: "title:(curfew OR Mangystau)", want: []int64{11, 22}},
		"author":                        {q: "author:Whitfield", want: []int64{21}},
		"source":                        {q: "source:hrw", want: []int64{6}},
		"a source pattern":              {q: "source:tengri*", want: []int64{1, 8}},
		"stance":                        {q: "stance:campaign OR stance:unknown", want: []int64{6, 11}},
		"lang":                          {q: "Zhanaozen AND lang:de", want: []int64{3}},
		"url":                           {q: `url:"https://example.org/eurasianet/aktau"`, want: []int64{21}},
		"url prefix":                    {q: `url:https://example.org/eurasianet/*`, want: []int64{4, 21, 22}},
		"published after a day":         {q: "published:>2012-03-27", want: []int64{7, 21, 22}},
		"published on or after":         {q: "published:>=2012-03-27", want: []int64{5, 7, 21, 22}},
		"published before a month":      {q: "published:<2011-12", want: nil},
		"published in a month":          {q: "published:2012-05", want: []int64{21, 22}},
		"published range":               {q: "published:[2011-12-16 TO 2011-12-17]", want: []int64{1, 2, 3}},
		"published half-open range":     {q: "published:{2012-05-01 TO *]", want: []int64{7, 22}},
		"first_seen":                    {q: "first_seen:2012-07", want: []int64{10}},
		"a phrase":                      {q: `"strike committee"`, want: []int64{21}},
		"words near each other":         {q: `"strike police"~3`, want: []int64{22}},
		"words farther":                 {q: `"strike police"~20`, want: []int64{21, 22}},
		"fuzzy":                         {q: "Mangistau~1", want: []int64{11, 22}},
		"only NOT":                      {q: "NOT Zhanaozen AND source:eurasianet", want: []int64{21, 22}},
		"an alias in the query":         {q: `"Новый Узень"`, want: zhanaozen},
		"lower-case and is a stop word": {q: "Mangystau and Aktau", want: []int64{5, 7, 11, 21, 22}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if got := ids(tc.q, tc.op); !slices.Equal(got, tc.want) {
				t.Errorf("%s: %v, want %v", tc.q, got, tc.want)
			}
		})
	}
}

func TestQueryLanguageReadAs(t *testing.T) {
	ix := queryLangIndex(t)
	for q, want := range map[string]string{
		"Zhanaozen police":               "(Zhanaozen OR \"Новый Узень\") OR police",
		"Zhanaozen AND NOT title:police": "(Zhanaozen OR \"Новый Узень\") AND NOT title:police",
		"oil gas OR strike":              "oil OR (gas OR strike)",
	} {
		res, err := ix.Search(context.Background(), Request{Query: q, Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		if res.ReadAs != want {
			t.Errorf("%s: read as %q, want %q", q, res.ReadAs, want)
		}
	}
}

func TestQueryLanguageErrors(t *testing.T) {
	ix := queryLangIndex(t)
	tests := map[string]string{
		"titel:Zhanaozen":                    `unknown field "titel" at 1; did you mean "title"?`,
		"stance:states":                      `stance:states: there is no stance "states" (the stances are state, independent, campaign, international, unknown) at 8; did you mean "state"?`,
		"lang:russian":                       `lang:russian: "russian" is not a language code at 6; did you mean lang:ru?`,
		"source:tengrinwes":                  `source:tengrinwes: there is no source "tengrinwes" at 8; did you mean "tengrinews"?`,
		"topic:zhanaozn":                     `topic:zhanaozn: there is no topic "zhanaozn" at 7; did you mean "zhanaozen"?`,
		"state:deleted":                      `state:deleted: there is no state "deleted" (the states are live, edited and removed) at 7`,
		"(((":                                "unbalanced parenthesis: this ( is never closed at 3",
		"published:>2012-13-01":              `published: "2012-13-01" is not a date at 11; write YYYY-MM-DD, YYYY-MM, YYYY or an RFC 3339 time`,
		"published:[2012-02 TO 2011-01]":     "published: the range ends before it starts at 11",
		"*a*b*c*":                            "*a*b*c*: a pattern needs at least 2 letters before its first * or ? at 1",
		"K*":                                 "K*: a pattern needs at least 2 letters before its first * or ? at 1",
		"Zhanaozen AND ()":                   "empty group: ( ) holds nothing to search for at 15",
		strings.Repeat("(", 2000) + "a":      "more than 32 groups inside each other",
		strings.Repeat("oil ", 300):          "more than 256 words, phrases and ranges",
		strings.Repeat("w", 5000):            "the query is longer than 4096 bytes",
		strings.Repeat("oil OR ", 101) + "x": "more than 100 words and phrases",
	}
	for q, want := range tests {
		_, err := ix.Search(context.Background(), Request{Query: q})
		var qe *QueryError
		var pe *qparse.Error
		if !errors.As(err, &qe) || !errors.As(err, &pe) {
			t.Errorf("%.40s: %v, want a *QueryError with a *qparse.Error", q, err)
			continue
		}
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%.40s:\n got %v\nwant %s", q, err, want)
		}
	}
	if _, err := ix.Search(context.Background(), Request{Query: "a", Op: "xor"}); err == nil || !strings.Contains(err.Error(), `parameter "op": "xor"`) {
		t.Errorf("op=xor: %v", err)
	}
}

// TestMatcherPatterns: a topic's pattern matches at ingest what it
// matches in a search, the article's own words in any script, and a
// source: beside it is checked against the configured sources only.
func TestMatcherPatterns(t *testing.T) {
	m, err := NewMatcher([]model.Topic{
		{ID: "kz", Query: "Kazakhst* OR Казахст*"},
		{ID: "tengri", Query: "source:tengrinews AND Жанаоз*"},
	}, WithSources(testSources))
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	for _, tc := range []struct {
		a    *model.Article
		want []string
	}{
		{&model.Article{ID: 1, SourceID: "dw", Title: "Kazakhstan", Text: "x"}, []string{"kz"}},
		{&model.Article{ID: 2, SourceID: "tengrinews", Title: "Власти Казахстана", Text: "В Жанаозене тихо."}, []string{"kz", "tengri"}},
		{&model.Article{ID: 3, SourceID: "rferl", Title: "Жанаозен", Text: "Kazakh oil"}, []string{}},
	} {
		got, err := m.Match(tc.a)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("article %d: %v, want %v", tc.a.ID, got, tc.want)
		}
	}
	// Without the configured sources (as when a configuration file is
	// checked) nothing is known to check against, not even the article's.
	bare, err := NewMatcher([]model.Topic{{ID: "tengri", Query: "source:tengrinews AND Жанаоз*"}})
	if err != nil {
		t.Fatal(err)
	}
	defer bare.Close()
	if got, err := bare.Match(&model.Article{ID: 4, SourceID: "dw", Title: "Жанаозен", Text: "x"}); err != nil || len(got) != 0 {
		t.Errorf("matcher without sources: %v, %v", got, err)
	}
	if _, err := NewMatcher([]model.Topic{{ID: "bad", Query: "source:nowhere"}}, WithSources(testSources)); err == nil {
		t.Error("a topic naming an unknown source was accepted")
	}
}

// TestQueryLanguageReview holds what a review of the query language found.
func TestQueryLanguageReview(t *testing.T) {
	ix := queryLangIndex(t)
	ctx := context.Background()
	ids := func(q, op string) ([]int64, *Result, error) {
		res, err := ix.Search(ctx, Request{Query: q, Op: op, Limit: 100})
		if err != nil {
			return nil, nil, err
		}
		got := hitIDs(res)
		slices.Sort(got)
		return got, res, nil
	}
	t.Run("a stop word is left out, not matching nothing", func(t *testing.T) {
		want, _, _ := ids("police Zhanaozen", "and")
		for _, q := range []string{"police in Zhanaozen", "police и Жанаозен", "+police +the +Zhanaozen"} {
			op := "and"
			if strings.HasPrefix(q, "+") {
				op = ""
			}
			got, res, err := ids(q, op)
			if err != nil || !slices.Equal(got, want) || !strings.Contains(res.ReadAs, "not searched, as stop words") {
				t.Errorf("%s: %v %v (%v), want %v and the stop word named", q, got, err, res, want)
			}
		}
		if _, _, err := ids("the", ""); err == nil || !strings.Contains(err.Error(), `only stop words (the)`) {
			t.Errorf("the: %v", err)
		}
	})
	t.Run("read as, searched again, finds the same", func(t *testing.T) {
		a, res, err := ids("-police", "")
		if err != nil {
			t.Fatal(err)
		}
		b, _, err := ids(res.ReadAs, "")
		if err != nil || !slices.Equal(a, b) {
			t.Errorf("-police %v, read as %q: %v %v", a, res.ReadAs, b, err)
		}
	})
	t.Run("an elided article before a pattern", func(t *testing.T) {
		a, _, _ := ids("Akt*", "")
		b, _, err := ids("d'Akt*", "")
		if err != nil || !slices.Equal(a, b) || len(a) == 0 {
			t.Errorf("Akt* %v, d'Akt* %v %v", a, b, err)
		}
	})
	t.Run("first_seen with an offset is the same instant", func(t *testing.T) {
		a, _, _ := ids("first_seen:>=2012-05-01T10:00:00Z", "")
		b, _, err := ids("first_seen:>=2012-05-01T12:00:00+02:00", "")
		if err != nil || !slices.Equal(a, b) || !slices.Contains(a, 21) {
			t.Errorf("UTC %v, +02:00 %v %v", a, b, err)
		}
	})
	t.Run("an exclusive range with no day between finds nothing", func(t *testing.T) {
		got, _, err := ids("published:{2012-05-01 TO 2012-05-02}", "")
		if err != nil || len(got) != 0 {
			t.Errorf("%v %v", got, err)
		}
	})
	for q, want := range map[string]string{
		"lang:xx":                             `lang:xx: no article is in "xx" (the languages are de, en, ru)`,
		"lang:kz":                             `did you mean lang:kk?`,
		"url:??*":                             "a pattern needs at least two characters before its first * or ?",
		"source:ж*":                           "a pattern needs at least two characters before its first * or ?",
		"qa* qb* qc* qd* qe* qf* qg* qh* qi*": "more than 8 patterns",
		"Ak-Or*":                              "a pattern is one word",
		")":                                   "unbalanced parenthesis: this ) has no ( at 1",
		"  )":                                 "unbalanced parenthesis: this ) has no ( at 3",
		"published:[2011 TO 2012]foo":         `"f" right after a word or phrase`,
	} {
		if _, _, err := ids(q, ""); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", q, err, want)
		}
	}
}

// TestMatcherPatternsStayBounded: a topic's pattern is matched against
// each article's own words, so the words of the articles matched before
// neither widen it nor make it fail.
func TestMatcherPatternsStayBounded(t *testing.T) {
	m, err := NewMatcher([]model.Topic{{ID: "zz", Query: "zzq*"}})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	for i := range 150 {
		var words []string
		for j := range 20 {
			words = append(words, fmt.Sprintf("zzq%dx%d", i, j))
		}
		got, err := m.Match(&model.Article{ID: int64(i + 1), Title: "t", Text: strings.Join(words, " ")})
		if err != nil || len(got) != 1 {
			t.Fatalf("article %d: %v %v", i+1, got, err)
		}
	}
	got, err := m.Match(&model.Article{ID: 999, Title: "nothing", Text: "here"})
	if err != nil || len(got) != 0 {
		t.Errorf("an article without the pattern: %v %v", got, err)
	}
}
