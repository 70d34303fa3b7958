package index

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"presswatch/internal/model"
	"presswatch/internal/quality"
)

// Floors on the test half of testdata/misspellings, a little under what
// was measured (see TestMisspeltNames).
const (
	minMisspeltPrecision = 0.94 // 0.960 measured; 0.972 before misspellings were looked up
	minMisspeltRecall    = 0.91 // 0.941 measured; 0.686 before
)

// TestMisspeltNames measures the precision and recall of name queries
// (testdata/misspellings/queries.tsv: Zhanaozen, Kuramshin, Karazhanbas,
// Sokolova ... as a researcher types them, in the standard Latin
// transliteration and in Cyrillic) over sentences that write the names as
// real coverage does: one letter off or two swapped (Zhenaozen, Zhenazoen,
// Nazerbayev), French ch for ш (Kouramchine), j for ж (Karajanbas,
// Nourjan, Jeltoqsan), dj for дж (Djamboul), doubled letters; and near
// misses that must not be found: other places (Zhanatas, Kurmangazy,
// Zhanaarka), the namesake of the other gender (Sokolov, Kuramshina),
// other people (Nurlan, Nazarov) and common words (magistrate). The
// sentences are split by quality.HalfOf of their id; the rule
// (textfold.Near) was tuned on the dev half.
//
// Measured through Search on an index on disk, micro-averaged, test half
// (dev half in brackets):
//   - before misspellings were looked up (folded keys, their
//     transliterations and gender only): precision 0.972 (1.000), recall
//     0.686 (0.688);
//   - after: precision 0.960 (1.000), recall 0.941 (0.958).
//
// The dev half's misses after: words that hold the name inside another
// (Каражанбасмунай) or as an adjective (Курмангазинском), which
// folding does not cut. The set was written together with the rule, by
// the same hand: the figures describe these spellings, not a sample of
// coverage.
func TestMisspeltNames(t *testing.T) {
	mentions := loadMentionsFrom(t, "misspellings")
	var queries []nameQuery
	for _, r := range readTSVFrom(t, "misspellings", "queries.tsv") {
		for _, q := range r[1 : len(r)-1] {
			queries = append(queries, nameQuery{person: r[0], text: q})
		}
	}
	// On disk, as users search: Bleve's scorch index walks its
	// dictionary with automata (nearTerms).
	ix, err := Open(t.TempDir())
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
	scores := map[quality.Half]nameScore{}
	misses, wrong := map[quality.Half][]string{}, map[quality.Half][]string{}
	for _, q := range queries {
		res, err := ix.Search(context.Background(), Request{Query: q.text, Limit: MaxLimit})
		if err != nil {
			t.Fatalf("%s: %v", q.text, err)
		}
		found := map[int]bool{}
		for _, id := range hitIDs(res) {
			found[int(id-1)] = true
		}
		for i, m := range mentions {
			h, relevant := quality.HalfOf(m.id), mentionOf(m, q.person)
			s := scores[h]
			if found[i] {
				s.found++
			}
			if relevant {
				s.relevant++
			}
			switch {
			case found[i] && relevant:
				s.hits++
			case found[i]:
				wrong[h] = append(wrong[h], q.text+" → "+m.id)
			case relevant:
				misses[h] = append(misses[h], q.text+" → "+m.id)
			}
			scores[h] = s
		}
	}
	for _, h := range []quality.Half{quality.Dev, quality.Test} {
		s := scores[h]
		t.Logf("%s half: precision %.3f (%d of %d found), recall %.3f (%d of %d)", h, s.precision(), s.hits, s.found, s.recall(), s.hits, s.relevant)
	}
	t.Logf("dev half: missed %s", tally(misses[quality.Dev]))
	t.Logf("dev half: found wrongly %s", tally(wrong[quality.Dev]))
	test := scores[quality.Test]
	if p := test.precision(); p < minMisspeltPrecision {
		t.Errorf("test half: precision %.3f, want >= %.2f (%d wrong finds)", p, minMisspeltPrecision, len(wrong[quality.Test]))
	}
	if r := test.recall(); r < minMisspeltRecall {
		t.Errorf("test half: recall %.3f, want >= %.2f (%d misses)", r, minMisspeltRecall, len(misses[quality.Test]))
	}
}

// TestMisspeltQuoted holds the rule of what expands: a word typed without
// quotes finds the misspellings of the name, the same word in quotes only
// its folded key and transliterations, and neither finds the namesake of
// the other gender.
func TestMisspeltQuoted(t *testing.T) {
	for desc, open := range map[string]func() (*Index, error){
		"on disk (the dictionary walked with automata)": func() (*Index, error) { return Open(t.TempDir()) },
		"in memory (the dictionary read)":               func() (*Index, error) { return OpenMem() },
	} {
		t.Run(desc, func(t *testing.T) {
			ix, err := open()
			if err != nil {
				t.Fatal(err)
			}
			defer ix.Close()
			testMisspeltQuoted(t, ix)
		})
	}
}

func testMisspeltQuoted(t *testing.T, ix *Index) {
	texts := []string{
		"Striking oil workers gathered in Zhenaozen.", // 1: a typo
		"Les ouvriers de Janaozène poursuivent la grève.",
		"В Жанаозене продолжается забастовка.",
		"Le militant Vadim Kouramchine a été condamné.", // 4: French ch
		"Nikita Sokolov scored twice.",
		"Natalia Sokolova was freed.",
		"A cement plant in Zhanatas resumed work.",
	}
	arts := make([]*model.Article, len(texts))
	for i, s := range texts {
		arts[i] = &model.Article{ID: int64(i + 1), Lang: "en", Text: s, URL: fmt.Sprintf("https://example.org/%d", i+1)}
	}
	if err := ix.Put(context.Background(), arts); err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string][]int64{
		"Zhanaozen":          {1, 2, 3},
		`"Zhanaozen"`:        {2, 3},
		"Kuramshin":          {4},
		`"Kuramshin"`:        nil,
		"Sokolova":           {6},
		`"Sokolova"`:         {6},
		"Sokolov":            {5},
		"Zhanatas":           {7},
		"Zhanaozen~1":        {1, 2, 3}, // the user's own fuzziness: Bleve's, on the folded key too
		"Zhanaozen Zhanatas": {1, 2, 3, 7},
	} {
		res, err := ix.Search(context.Background(), Request{Query: q, Limit: MaxLimit})
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		got := hitIDs(res)
		if fmt.Sprint(sortedIDs(got)) != fmt.Sprint(sortedIDs(want)) {
			t.Errorf("%s: found %v, want %v", q, sortedIDs(got), sortedIDs(want))
		}
	}
}

func sortedIDs(ids []int64) []int64 {
	out := append([]int64{}, ids...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

// readTSVFrom returns the rows of a tab-separated file of testdata/dir,
// each with its line number last, leaving out comments and blank lines.
func readTSVFrom(t *testing.T, dir, name string) [][]string {
	t.Helper()
	f, err := os.Open("testdata/" + dir + "/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows [][]string
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		rows = append(rows, append(strings.Split(line, "\t"), fmt.Sprint(n)))
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return rows
}

func loadMentionsFrom(t *testing.T, dir string) []mention {
	var out []mention
	seen := map[string]bool{}
	for _, r := range readTSVFrom(t, dir, "mentions.tsv") {
		if len(r) != 5 || seen[r[0]] {
			t.Fatalf("%s/mentions.tsv:%s: want a new id, a language, what it is about and a text: %q", dir, r[len(r)-1], r)
		}
		seen[r[0]] = true
		m := mention{id: r[0], lang: r[1], text: r[3]}
		if r[2] != "-" {
			m.people = strings.Split(r[2], ",")
		}
		out = append(out, m)
	}
	return out
}
