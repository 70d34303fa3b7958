package index

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"text/tabwriter"
	"time"

	"presswatch/internal/config"
	"presswatch/internal/model"
)

// TestSearchSet measures search over testdata/searchset, in the manner of
// Bleve's JSON test suites (test/tests/*/searches.json). docs.json holds
// short articles in ten languages about Zhanaozen and around it, with
// distractors (Zhanatas, Aktobe, a Sokolov, Nazarov...). searches.json holds
// queries as a user types them: expect lists every article a user expects,
// in any spelling or language; must_not, distractors that must not be found;
// first, articles with the query's exact form, which must rank above the
// other expected ones; maybe, articles neither required nor held against
// precision (an alias a mapping may or may not apply).
//
// Recall is expected found / expected; precision is expected found / found,
// leaving out maybe. The test logs its table and fails only below the
// floors, or when PRESSWATCH_SEARCHSET_STRICT=1 and any query falls short.
// -searchset.out=FILE also writes the figures as JSON, for BENCHMARKS.md:
//
//	go test ./index/ -run TestSearchSet -v -searchset.out=/tmp/searchset.json
const (
	// A little under what the multilingual mapping measures (micro
	// recall 0.975, precision 0.999 since surnames keep their gender; it
	// was 0.989 and 0.989 before; the plain standard-analyzer index:
	// recall 0.136, precision 0.990). The recall lost is the forms both
	// genders share (Наталью Соколову keys as the man).
	searchSetRecallFloor    = 0.97
	searchSetPrecisionFloor = 0.97
	// Ceilings on what the set still gets wrong, so it cannot grow
	// unnoticed: hits on distractors (2: "Соколов" finding Соколова,
	// which is also Sokolov's genitive, and keys as the woman) and exact
	// spellings ranked below folded ones (mostly Zhanaozén and stemmed
	// Russian forms, which the set counts as not exact).
	searchSetMustNotCeiling     = 3
	searchSetFirstBrokenCeiling = 23
)

var searchSetOut = flag.String("searchset.out", "", "write TestSearchSet's figures as JSON to this `file`")

type setDoc struct {
	ID        int64  `json:"id"`
	Lang      string `json:"lang"`
	Source    string `json:"source"`
	Stance    string `json:"stance"`
	Published string `json:"published"`
	Title     string `json:"title"`
	Text      string `json:"text"`
}

type setSearch struct {
	Name    string            `json:"name"`
	Q       string            `json:"q"`
	Params  map[string]string `json:"params"`
	Expect  []int64           `json:"expect"`
	MustNot []int64           `json:"must_not"`
	First   []int64           `json:"first"`
	Maybe   []int64           `json:"maybe"`
}

// setScore is one query's figures; Error is why it could not run.
type setScore struct {
	Name        string            `json:"name"`
	Q           string            `json:"q"`
	Params      map[string]string `json:"params,omitempty"`
	Expected    int               `json:"expected"`
	Found       int               `json:"found"` // hits not in maybe
	Relevant    int               `json:"relevant"`
	Recall      float64           `json:"recall"`
	Precision   float64           `json:"precision"`
	Missing     []int64           `json:"missing,omitempty"`
	Unexpected  []int64           `json:"unexpected,omitempty"`
	MustNotHits []int64           `json:"must_not_hits,omitempty"`
	FirstBroken []int64           `json:"first_broken,omitempty"` // first ids ranked below a folded match
	Error       string            `json:"error,omitempty"`
}

type setLang struct {
	Expected int     `json:"expected"`
	Relevant int     `json:"relevant"`
	Recall   float64 `json:"recall"`
}

type setReport struct {
	Docs           int                 `json:"docs"`
	Expected       int                 `json:"expected"`
	Found          int                 `json:"found"`
	Relevant       int                 `json:"relevant"`
	Recall         float64             `json:"recall"`    // micro-averaged
	Precision      float64             `json:"precision"` // micro-averaged
	MacroRecall    float64             `json:"macro_recall"`
	MacroPrecision float64             `json:"macro_precision"`
	MustNotHits    int                 `json:"must_not_hits"`
	FirstBroken    int                 `json:"first_broken"`
	ByLang         map[string]*setLang `json:"by_lang"`
	Queries        []setScore          `json:"queries"`
}

func TestSearchSet(t *testing.T) {
	docs, searches := loadSearchSet(t)
	ix, langOf := setIndex(t, docs)
	rep := &setReport{Docs: len(docs), ByLang: map[string]*setLang{}}
	for _, s := range searches {
		rep.add(runSetSearch(context.Background(), ix, s), s, langOf)
	}
	t.Log("\n" + rep.table())
	if *searchSetOut != "" {
		b, err := json.MarshalIndent(rep, "", "  ")
		if err == nil {
			err = os.WriteFile(*searchSetOut, append(b, '\n'), 0o644)
		}
		if err != nil {
			t.Fatalf("write -searchset.out: %v", err)
		}
	}
	if rep.Recall < searchSetRecallFloor || rep.Precision < searchSetPrecisionFloor {
		t.Errorf("recall %.3f, precision %.3f: below the floors %.3f, %.3f",
			rep.Recall, rep.Precision, searchSetRecallFloor, searchSetPrecisionFloor)
	}
	if rep.MustNotHits > searchSetMustNotCeiling || rep.FirstBroken > searchSetFirstBrokenCeiling {
		t.Errorf("%d distractor hits (ceiling %d), %d exact spellings ranked below folded ones (ceiling %d)",
			rep.MustNotHits, searchSetMustNotCeiling, rep.FirstBroken, searchSetFirstBrokenCeiling)
	}
	if os.Getenv("PRESSWATCH_SEARCHSET_STRICT") != "1" {
		return
	}
	for _, sc := range rep.Queries {
		if sc.Error != "" || len(sc.Missing)+len(sc.Unexpected)+len(sc.FirstBroken) > 0 {
			t.Errorf("%s (q=%s): error %q, missing %v, unexpected %v (must_not %v), ranked below folded %v",
				sc.Name, sc.Q, sc.Error, sc.Missing, sc.Unexpected, sc.MustNotHits, sc.FirstBroken)
		}
	}
}

// loadSearchSet reads the set and checks it is coherent: a broken set is a
// bug in the test, not a measurement.
func loadSearchSet(t *testing.T) ([]setDoc, []setSearch) {
	t.Helper()
	var docs []setDoc
	var searches []setSearch
	for name, v := range map[string]any{"docs.json": &docs, "searches.json": &searches} {
		b, err := os.ReadFile(filepath.Join("testdata", "searchset", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, v); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	ids := map[int64]bool{}
	for _, d := range docs {
		ids[d.ID] = true
	}
	if len(ids) != len(docs) {
		t.Fatal("docs.json: an id is used twice")
	}
	names := map[string]bool{}
	for _, s := range searches {
		if names[s.Name] || len(s.Expect) == 0 {
			t.Fatalf("searches.json: %q is repeated or expects nothing", s.Name)
		}
		names[s.Name] = true
		for _, id := range slices.Concat(s.Expect, s.MustNot, s.First, s.Maybe) {
			if !ids[id] {
				t.Fatalf("searches.json: %q names article %d, which docs.json lacks", s.Name, id)
			}
		}
		notExpected := func(id int64) bool { return !slices.Contains(s.Expect, id) }
		inExpectOrMaybe := func(id int64) bool { return !notExpected(id) || slices.Contains(s.Maybe, id) }
		if slices.ContainsFunc(s.First, notExpected) || slices.ContainsFunc(s.MustNot, inExpectOrMaybe) {
			t.Fatalf("searches.json: %q: first must be expected, must_not neither expected nor maybe", s.Name)
		}
	}
	return docs, searches
}

// setIndex puts the documents into an index in memory, with the sources
// and stances the documents name, and returns it with each article's language.
func setIndex(t *testing.T, docs []setDoc) (*Index, map[int64]string) {
	t.Helper()
	stance := map[string]string{}
	var sources []model.Source
	arts := make([]*model.Article, 0, len(docs))
	langOf := map[int64]string{}
	for _, d := range docs {
		if s, ok := stance[d.Source]; ok && s != d.Stance {
			t.Fatalf("docs.json: source %s is both %s and %s", d.Source, s, d.Stance)
		} else if !ok {
			stance[d.Source] = d.Stance
			sources = append(sources, model.Source{ID: d.Source, Stance: model.Stance(d.Stance)})
		}
		pub, err := time.Parse(time.RFC3339, d.Published)
		if err != nil {
			t.Fatalf("docs.json: article %d: %v", d.ID, err)
		}
		arts = append(arts, &model.Article{
			ID: d.ID, SourceID: d.Source, Lang: d.Lang, Title: d.Title, Text: d.Text,
			URL:       fmt.Sprintf("https://example.org/%s/%d", d.Source, d.ID),
			Published: pub, FirstSeen: pub.Add(time.Hour),
		})
		langOf[d.ID] = d.Lang
	}
	// The deployment's own alias groups, as serve gives them.
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	var aliases [][]string
	for _, tp := range cfg.Topics {
		aliases = append(aliases, tp.Aliases...)
	}
	ix, err := OpenMem(WithSources(sources), WithAliases(aliases))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ix.Close() })
	if err := ix.Put(context.Background(), arts); err != nil {
		t.Fatal(err)
	}
	return ix, langOf
}

func runSetSearch(ctx context.Context, ix *Index, s setSearch) setScore {
	sc := setScore{Name: s.Name, Q: s.Q, Params: s.Params, Expected: len(s.Expect)}
	v := url.Values{"q": {s.Q}, "limit": {"1000"}}
	for k, p := range s.Params {
		v.Set(k, p)
	}
	req, err := ParseRequest(v)
	var res *Result
	if err == nil {
		res, err = ix.Search(ctx, req)
	}
	if err != nil {
		sc.Error, res = err.Error(), &Result{}
	}
	hits := make([]int64, len(res.Hits))
	folded := false // an expected hit not in first ranked above this one
	for i, h := range res.Hits {
		id := h.ID
		hits[i] = id
		switch {
		case slices.Contains(s.Expect, id):
			sc.Relevant++
			sc.Found++
			if !slices.Contains(s.First, id) {
				folded = true
			} else if folded {
				sc.FirstBroken = append(sc.FirstBroken, id)
			}
		case slices.Contains(s.Maybe, id):
		default:
			sc.Found++
			sc.Unexpected = append(sc.Unexpected, id)
			if slices.Contains(s.MustNot, id) {
				sc.MustNotHits = append(sc.MustNotHits, id)
			}
		}
	}
	for _, id := range s.Expect {
		if !slices.Contains(hits, id) {
			sc.Missing = append(sc.Missing, id)
		}
	}
	sc.Recall, sc.Precision = ratio(sc.Relevant, sc.Expected), ratio(sc.Relevant, sc.Found)
	return sc
}

// ratio is n/d, and 1 when d is 0: nothing asked, or nothing found wrongly.
func ratio(n, d int) float64 {
	if d == 0 {
		return 1
	}
	return float64(n) / float64(d)
}

// add counts sc, the score of s, into the totals and averages so far.
func (r *setReport) add(sc setScore, s setSearch, langOf map[int64]string) {
	r.Queries = append(r.Queries, sc)
	r.Expected, r.Found, r.Relevant = r.Expected+sc.Expected, r.Found+sc.Found, r.Relevant+sc.Relevant
	r.Recall, r.Precision = ratio(r.Relevant, r.Expected), ratio(r.Relevant, r.Found)
	n := float64(len(r.Queries))
	r.MacroRecall += (sc.Recall - r.MacroRecall) / n
	r.MacroPrecision += (sc.Precision - r.MacroPrecision) / n
	r.MustNotHits += len(sc.MustNotHits)
	r.FirstBroken += len(sc.FirstBroken)
	for _, id := range s.Expect {
		l := r.ByLang[langOf[id]]
		if l == nil {
			l = &setLang{}
			r.ByLang[langOf[id]] = l
		}
		l.Expected++
		if !slices.Contains(sc.Missing, id) {
			l.Relevant++
		}
		l.Recall = ratio(l.Relevant, l.Expected)
	}
}

func (r *setReport) table() string {
	var b strings.Builder
	w := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "expected\tfound\trelevant\trecall\tprecision\tmust_not\tfirst_broken\t  query")
	for _, q := range r.Queries {
		note := q.Error
		if len(q.Params) > 0 {
			note = fmt.Sprint(q.Params, " ", note)
		}
		fmt.Fprintf(w, "%d\t%d\t%d\t%.2f\t%.2f\t%d\t%d\t  %s: %s %s\n", q.Expected, q.Found, q.Relevant,
			q.Recall, q.Precision, len(q.MustNotHits), len(q.FirstBroken), q.Name, q.Q, note)
	}
	fmt.Fprintf(w, "%d\t%d\t%d\t%.3f\t%.3f\t%d\t%d\t  ALL: %d queries, %d docs, micro-averaged (macro: recall %.3f, precision %.3f)\n",
		r.Expected, r.Found, r.Relevant, r.Recall, r.Precision, r.MustNotHits, r.FirstBroken,
		len(r.Queries), r.Docs, r.MacroRecall, r.MacroPrecision)
	_ = w.Flush()
	b.WriteString("recall by language of the expected article:")
	for _, l := range slices.Sorted(maps.Keys(r.ByLang)) {
		fmt.Fprintf(&b, " %s %.2f (%d/%d)", l, r.ByLang[l].Recall, r.ByLang[l].Relevant, r.ByLang[l].Expected)
	}
	return b.String()
}
