package index

import (
	"context"
	"fmt"
	"hash/fnv"
	"sort"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"presswatch/internal/model"
)

// A mention is one sentence of testdata/names/mentions.tsv: a name in
// one of the cases its language puts it in, labelled with the people the
// sentence is about.
type mention struct {
	id, lang, text string
	people         []string
}

// A nameQuery is what a user types to find one person: the surname alone,
// in the nominative, in one spelling or script.
type nameQuery struct {
	person, text string
}

// nameScore adds up a set of queries: the mentions they found, the
// relevant mentions (those of the person meant) and the relevant ones
// found.
type nameScore struct{ found, relevant, hits int }

func (s nameScore) precision() float64 { return nameRatio(s.hits, s.found) }
func (s nameScore) recall() float64    { return nameRatio(s.hits, s.relevant) }

func nameRatio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// nameHalf splits the mentions by a hash of their id: "dev" to tune the
// name rule on, "test" to report and assert on.
func nameHalf(id string) string {
	h := fnv.New32a()
	h.Write([]byte(id))
	if h.Sum32()%2 == 0 {
		return "dev"
	}
	return "test"
}

// Floors on the test half, a little under what was measured (see
// TestNameQueries): through Search, what a user gets from all fields;
// through the folded fields alone, what internal/textfold decides. Before
// the name rule the precisions were 0.54: every query found both genders.
const (
	minNamePrecision     = 0.86 // 0.884 measured; 0.810 before surnames skipped the stemmed language fields
	minNameRecall        = 0.84
	minFoldNamePrecision = 0.86
	minFoldNameRecall    = 0.83
)

// TestNameQueries measures the precision and recall of surname queries
// (testdata/names/queries.tsv) over the mentions of women and men who
// share a surname in its masculine and feminine forms (Sokolov and
// Sokolova, Nazarbayev and Nazarbayeva, Kowalski and Kowalska, Sarsenuly
// and Sarsenkyzy), written in ru, kk, en, de, fr, es, it, pl and pt in
// the cases each language uses. A query for a person should find every
// mention of that person, whatever the spelling, script or case, and no
// mention of the namesake of the other gender.
//
// The figures are micro-averaged over all queries: precision is the
// share of found mentions that are of the person meant, recall the share
// of that person's mentions found. They are measured twice: through
// Search (every field, as a user gets them) and through the folded
// fields alone (the part internal/textfold decides; the language fields
// add their stemmers' own merges, e.g. Bleve's Russian stemmer gives
// "соколов" for both Соколова and Соколову, its Spanish, Italian and
// Portuguese ones "sokolov" for Sokolova).
//
// Measured, test half (dev half in brackets), through Search / through
// the folded fields alone:
//   - before the name rule (textfold merged the genders): precision 0.538
//     (0.527) / 0.537 (0.526), recall 0.944 (0.913) / 0.939 (0.910);
//   - after it: precision 0.810 (0.879) / 0.884 (0.945), recall 0.869
//     (0.903) / 0.855 (0.895).
//
// What the folded fields still get wrong is the two forms both genders
// share (internal/textfold/names.go): the man's genitive and accusative
// Соколова, Sokołowa go with the woman, the woman's accusative Соколову
// with the man; the rule was tuned on the dev half, where -ову keyed as
// feminine instead gave precision 0.916 and recall 0.870 in the folded
// fields, against 0.945 and 0.895. Spellings folding does not bring
// together are missed before and after: German Koslow (Kozlov), Polish
// Ablazow (Abliazov), French Kouramchine (Kuramshin), the Kazakh accusative
// Соколованы and the Russian cases of Мамай (Мамая, Мамаю, Мамаем). What
// Search adds to the folded fields' errors comes from the language fields'
// stemmers, which textfold does not control: Bleve's Russian stemmer gives
// "соколов" for Соколова, Соколову, Соколовой, Соколовым and Соколове
// (and "жуковск" for Жуковский and Жуковская), its Spanish, Italian and
// Portuguese ones "sokolov" for Sokolova, Polish Stempel "kowalski" for
// Kowalska, and every query is looked up in every language's field.
func TestNameQueries(t *testing.T) {
	mentions := loadMentionsFrom(t, "names")
	queries := loadNameQueries(t, mentions)
	ix, err := OpenMem()
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	arts := make([]*model.Article, len(mentions))
	for i, m := range mentions {
		arts[i] = &model.Article{ID: int64(i + 1), Lang: m.lang, Text: m.text, URL: "https://example.org/" + m.id}
	}
	if err := ix.Put(context.Background(), arts); err != nil {
		t.Fatal(err)
	}
	halves := map[string]int{}
	for _, m := range mentions {
		halves[nameHalf(m.id)]++
	}
	t.Logf("%d mentions (dev %d, test %d), %d queries", len(mentions), halves["dev"], halves["test"], len(queries))

	search := func(q string) ([]int64, error) {
		res, err := ix.Search(context.Background(), Request{Query: q, Limit: MaxLimit})
		if err != nil {
			return nil, err
		}
		return hitIDs(res), nil
	}
	folded := func(q string) ([]int64, error) {
		var qs []query.Query
		for _, f := range []string{fieldTitle, fieldText} {
			m := query.NewMatchQuery(q)
			m.SetField(f)
			qs = append(qs, m)
		}
		res, err := ix.idx.Search(bleve.NewSearchRequestOptions(query.NewDisjunctionQuery(qs), MaxLimit, 0, false))
		if err != nil {
			return nil, err
		}
		var ids []int64
		for _, h := range res.Hits {
			var id int64
			fmt.Sscan(h.ID, &id)
			ids = append(ids, id)
		}
		return ids, nil
	}
	for _, c := range []struct {
		name                    string
		run                     func(string) ([]int64, error)
		minPrecision, minRecall float64
	}{
		{"Search", search, minNamePrecision, minNameRecall},
		{"folded fields", folded, minFoldNamePrecision, minFoldNameRecall},
	} {
		scores, misses, wrong := scoreNames(t, mentions, queries, c.run)
		for _, h := range []string{"dev", "test"} {
			s := scores[h]
			t.Logf("%s, %s half: precision %.3f (%d of %d found), recall %.3f (%d of %d)",
				c.name, h, s.precision(), s.hits, s.found, s.recall(), s.hits, s.relevant)
		}
		t.Logf("%s, dev half: missed %s", c.name, tally(misses["dev"]))
		t.Logf("%s, dev half: found wrongly %s", c.name, tally(wrong["dev"]))
		test := scores["test"]
		if p := test.precision(); p < c.minPrecision {
			t.Errorf("%s, test half: precision %.3f, want >= %.2f; found wrongly: %s", c.name, p, c.minPrecision, tally(wrong["test"]))
		}
		if r := test.recall(); r < c.minRecall {
			t.Errorf("%s, test half: recall %.3f, want >= %.2f; missed: %s", c.name, r, c.minRecall, tally(misses["test"]))
		}
	}
}

// scoreNames runs every query and scores its hits in each half. misses
// and wrong list, per half, the mentions a query missed or found wrongly
// ("Sokolova → ru-hoc-02").
func scoreNames(t *testing.T, mentions []mention, queries []nameQuery, run func(string) ([]int64, error)) (scores map[string]nameScore, misses, wrong map[string][]string) {
	scores, misses, wrong = map[string]nameScore{}, map[string][]string{}, map[string][]string{}
	for _, q := range queries {
		ids, err := run(q.text)
		if err != nil {
			t.Fatalf("%s: %v", q.text, err)
		}
		found := map[int]bool{}
		for _, id := range ids {
			found[int(id-1)] = true
		}
		for i, m := range mentions {
			h, relevant := nameHalf(m.id), mentionOf(m, q.person)
			s := scores[h]
			switch {
			case found[i] && relevant:
				s.found++
				s.relevant++
				s.hits++
			case found[i]:
				s.found++
				wrong[h] = append(wrong[h], q.text+" → "+m.id)
			case relevant:
				s.relevant++
				misses[h] = append(misses[h], q.text+" → "+m.id)
			}
			scores[h] = s
		}
	}
	return scores, misses, wrong
}

// tally lists the mentions of a list of misses or wrong finds, each with
// the queries concerned: "ru-hoc-02 (Sokolova Соколова)".
func tally(pairs []string) string {
	byMention := map[string][]string{}
	var order []string
	for _, p := range pairs {
		q, m, _ := strings.Cut(p, " → ")
		if byMention[m] == nil {
			order = append(order, m)
		}
		byMention[m] = append(byMention[m], q)
	}
	sort.Strings(order)
	var b strings.Builder
	for _, m := range order {
		fmt.Fprintf(&b, "%s (%s) ", m, strings.Join(byMention[m], " "))
	}
	return fmt.Sprintf("%d: %s", len(pairs), b.String())
}

func mentionOf(m mention, person string) bool {
	for _, p := range m.people {
		if p == person {
			return true
		}
	}
	return false
}

// loadNameQueries reads the queries and checks that each person has
// mentions in both halves.
func loadNameQueries(t *testing.T, mentions []mention) []nameQuery {
	perHalf := map[string]map[string]int{}
	for _, m := range mentions {
		for _, p := range m.people {
			if perHalf[p] == nil {
				perHalf[p] = map[string]int{}
			}
			perHalf[p][nameHalf(m.id)]++
		}
	}
	var out []nameQuery
	for _, r := range readTSVFrom(t, "names", "queries.tsv") {
		if len(r) < 3 {
			t.Fatalf("queries.tsv:%s: want a person and queries: %q", r[len(r)-1], r)
		}
		if perHalf[r[0]]["dev"] == 0 || perHalf[r[0]]["test"] == 0 {
			t.Fatalf("queries.tsv:%s: %s has mentions %v, want some in each half", r[len(r)-1], r[0], perHalf[r[0]])
		}
		for _, q := range r[1 : len(r)-1] {
			out = append(out, nameQuery{person: r[0], text: q})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].person < out[j].person })
	return out
}
