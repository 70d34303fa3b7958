package index

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"presswatch/internal/model"
)

func TestExactRanksAboveFolded(t *testing.T) {
	for kind, ix := range newTestIndexes(t) {
		res, err := ix.Search(context.Background(), Request{Query: "Zhanaozen"})
		if err != nil {
			t.Fatal(err)
		}
		// The articles spelling it "Zhanaozen" (2 4 6 9 10) come before
		// those writing Жанаозене, Жанаозена or Schanaosen (1 3 5 8).
		exact := map[int64]bool{2: true, 4: true, 6: true, 9: true, 10: true}
		seenFolded := false
		for _, h := range res.Hits {
			if !exact[h.ID] {
				seenFolded = true
			} else if seenFolded {
				t.Errorf("%s: exact match %d ranks below a folded one: %v", kind, h.ID, hitIDs(res))
				break
			}
		}
	}
}

func TestSnippetShowsTheSpellingThatMatched(t *testing.T) {
	ix := newTestIndexes(t)["disk"]
	res, err := ix.Search(context.Background(), Request{Query: "Zhanaozen", Langs: []string{"ru"}})
	if err != nil || len(res.Hits) == 0 {
		t.Fatal(res, err)
	}
	for _, h := range res.Hits {
		if h.ID == 8 {
			continue // the name is in its title only
		}
		if !strings.Contains(h.Snippet, "<mark>Жанаозен") {
			t.Errorf("article %d: snippet %q does not mark the Cyrillic spelling", h.ID, h.Snippet)
		}
	}
}

func TestPhraseStaysAPhrase(t *testing.T) {
	ix, err := OpenMem()
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	ix.Put(context.Background(), []*model.Article{
		{ID: 1, Lang: "ru", Text: "Адвокат Наталья Соколова осуждена на шесть лет."},
		{ID: 2, Lang: "pl", Text: "Prawniczka Natalia Sokołowa została skazana."},
		{ID: 3, Lang: "en", Text: "Natalia spoke to the court; later Sokolova's sister was questioned."},
	})
	res, _ := ix.Search(context.Background(), Request{Query: `"Natalia Sokolova"`})
	if got := sorted(hitIDs(res)); !slices.Equal(got, []int64{1, 2}) {
		t.Errorf("phrase found %v, want [1 2] (3 has the words apart)", got)
	}
}

func TestAliasGroups(t *testing.T) {
	ix, err := OpenMem(WithAliases([][]string{{"Zhanaozen", "Жанаозен", "Новый Узень", "Novy Uzen"}}))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	ix.Put(context.Background(), []*model.Article{
		{ID: 1, Lang: "ru", Text: "Город Новый Узень был переименован в 1993 году."},
		{ID: 2, Lang: "en", Text: "The oil town of Zhanaozen."},
		{ID: 3, Lang: "ru", Text: "Узень — месторождение нефти."},
	})
	for _, q := range []string{"Zhanaozen", "Жаңаөзен", `"Novy Uzen"`} {
		res, err := ix.Search(context.Background(), Request{Query: q})
		if err != nil {
			t.Fatal(err)
		}
		if got := sorted(hitIDs(res)); !slices.Equal(got, []int64{1, 2}) {
			t.Errorf("%s found %v, want [1 2]", q, got)
		}
	}
}

func TestFacetsAndTimeline(t *testing.T) {
	ix := newTestIndexes(t)["disk"]
	req, _ := ParseRequest(url.Values{"q": {"Zhanaozen"}, "from": {"2011-12-16"}, "to": {"2011-12-22"}})
	res, err := ix.Search(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	// 1 2 (16th), 3 (17th), 4 (18th), 9 (19th), 8 (22nd).
	if res.Total != 6 || res.Interval != "day" || len(res.Timeline) != 7 {
		t.Fatalf("total %d, interval %s, timeline %v", res.Total, res.Interval, res.Timeline)
	}
	want := []Bucket{{"2011-12-16", 2}, {"2011-12-17", 1}, {"2011-12-18", 1}, {"2011-12-19", 1}, {"2011-12-20", 0}, {"2011-12-21", 0}, {"2011-12-22", 1}}
	if !slices.Equal(res.Timeline, want) {
		t.Errorf("timeline %v, want %v", res.Timeline, want)
	}
	if l := res.Facets["lang"]; len(l) != 3 || l[0] != (FacetCount{"en", 3}) {
		t.Errorf("lang facet %v", l)
	}
	if s := res.Facets["stance"]; len(s) == 0 {
		t.Errorf("stance facet %v", s)
	}
	// Over a wider span the buckets grow to weeks, then months.
	all, _ := ix.Search(context.Background(), Request{})
	if all.Interval != "week" || all.Timeline[0].Date != "2011-12-12" {
		t.Errorf("whole span: %s from %v", all.Interval, all.Timeline[0])
	}
	sum := 0
	for _, b := range all.Timeline {
		sum += b.Count
	}
	if sum != 10 { // article 10 has no date
		t.Errorf("timeline counts %d articles, want the 10 dated ones", sum)
	}
	// The next page carries hits only.
	page, _ := ix.Search(context.Background(), Request{Limit: 2})
	next, _ := ix.Search(context.Background(), Request{Limit: 2, After: page.Next})
	if next.Facets != nil || next.Timeline != nil || len(next.Hits) != 2 {
		t.Errorf("second page: %+v", next)
	}
}

func TestTopicFilterAndFirstSeen(t *testing.T) {
	ix, err := OpenMem()
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	seen := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	ix.Put(context.Background(), []*model.Article{
		{ID: 1, Lang: "en", Text: "Strike", Topics: []string{"zhanaozen"}, Published: time.Date(2011, 12, 16, 0, 0, 0, 0, time.UTC), FirstSeen: seen},
		{ID: 2, Lang: "en", Text: "Strike", Published: time.Date(2011, 12, 16, 0, 0, 0, 0, time.UTC), FirstSeen: seen.AddDate(0, 0, 1)},
	})
	res, _ := ix.Search(context.Background(), Request{Topics: []string{"zhanaozen"}})
	if got := hitIDs(res); !slices.Equal(got, []int64{1}) {
		t.Errorf("topic filter: %v", got)
	}
	req, err := ParseRequest(url.Values{"date": {"first_seen"}, "from": {"2024-05-02"}})
	if err != nil {
		t.Fatal(err)
	}
	res, _ = ix.Search(context.Background(), req)
	if got := hitIDs(res); !slices.Equal(got, []int64{2}) || len(res.Timeline) == 0 || res.Timeline[0].Date != "2024-05-02" {
		t.Errorf("first-seen range: %v, timeline %v", got, res.Timeline)
	}
	if _, err := ParseRequest(url.Values{"date": {"tomorrow"}}); err == nil {
		t.Error("a bad date field was accepted")
	}
}

func TestYearsForLongSpans(t *testing.T) {
	ix := newTestIndexes(t)["mem"]
	req, _ := ParseRequest(url.Values{"from": {"2011-01-01"}, "to": {"2024-06-30"}})
	res, err := ix.Search(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if res.Interval != "year" || len(res.Timeline) != 14 || res.Timeline[0] != (Bucket{"2011-01-01", 7}) {
		t.Errorf("interval %s, %d buckets, first %v", res.Interval, len(res.Timeline), res.Timeline[0])
	}
}
