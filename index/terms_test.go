package index

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2/registry"

	"presswatch/internal/model"
	"presswatch/internal/textfold"
)

// termsArticles are twenty articles in English and Russian: eight about
// Zhanaozen (four in each language, the name spelt Zhanaozen, Жанаозен
// and Жаңаөзен), the others about the city, football and the weather.
// Every article of a language shares one sentence of stop words and
// ordinary words, so those are frequent everywhere and distinctive
// nowhere.
func termsArticles() []*model.Article {
	const (
		en = "The city council met on Monday and the mayor spoke to the people of the city."
		ru = "Городской совет собрался в понедельник, и мэр говорил с жителями города."
	)
	topic := []struct{ lang, title, text string }{
		{"en", "News from Zhanaozen", "Zhanaozen strikers marched. Ozenmunaigas refused talks."},
		{"en", "News", "In Zhanaozen the strikers waited. Ozenmunaigas said little. The police came."},
		{"en", "News", "Zhanaozen: strikers sang. Ozenmunaigas closed its gates. The police watched."},
		{"en", "News", "Zhanaozen was quiet."},
		{"ru", "Новости: Жанаозен", "Жанаозен: бастующие нефтяники вышли на площадь."},
		{"ru", "Новости", "Жаңаөзен: бастующие нефтяники ждали."},
		{"ru", "Новости", "Zhanaozen: бастующие нефтяники пели. Акимат молчал."},
		{"ru", "Новости", "Жанаозен тих. Акимат закрыт."},
	}
	other := []struct{ lang, title, text string }{
		{"en", "News: football", "The football team won the cup."},
		{"en", "News: football", "The football team lost the final."},
		{"en", "News: weather", "Rain is expected on Tuesday."},
		{"en", "News: police", "The police arrested a thief."},
		{"en", "News: police", "The police closed the road."},
		{"en", "News: police", "The police found the car."},
		{"en", "News: shares", "Ozenmunaigas shares fell."},
		{"en", "News: weather", "Snow is expected on Friday."},
		{"ru", "Новости: футбол", "Футбольная команда выиграла кубок."},
		{"ru", "Новости: футбол", "Футбольная команда проиграла финал."},
		{"ru", "Новости: погода", "Ожидается дождь."},
		{"ru", "Новости", "Акимат объявил тендер."},
	}
	var arts []*model.Article
	for i, a := range append(topic, other...) {
		filler := map[string]string{"en": en, "ru": ru}[a.lang]
		arts = append(arts, &model.Article{
			ID: int64(i + 1), SourceID: "rferl", Lang: a.lang, Title: a.title, Text: a.text + " " + filler,
			URL: fmt.Sprintf("https://example.org/%d", i+1), FirstSeen: time.Date(2012, 1, 1, 0, 0, 0, 0, time.UTC),
		})
	}
	return arts
}

// newTermsIndexes returns termsArticles in an index of each kind.
func newTermsIndexes(t *testing.T) map[string]*Index {
	t.Helper()
	mem, err := OpenMem(WithSources(testSources))
	if err != nil {
		t.Fatal(err)
	}
	disk, err := Open(t.TempDir()+"/idx", WithSources(testSources))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*Index{"mem": mem, "disk": disk}
	for name, ix := range out {
		t.Cleanup(func() { _ = ix.Close() })
		if err := ix.Put(context.Background(), termsArticles()); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	return out
}

func langTerms(t *testing.T, res *TermsResult, lang string) LangTerms {
	t.Helper()
	for _, l := range res.Langs {
		if l.Lang == lang {
			return l
		}
	}
	t.Fatalf("no terms for %q in %+v", lang, res.Langs)
	return LangTerms{}
}

// shown is "term count/collection" for each of terms.
func shown(terms []Term) []string {
	var out []string
	for _, t := range terms {
		out = append(out, fmt.Sprintf("%s %d/%d", t.Term, t.Count, t.Collection))
	}
	return out
}

func TestTopTermsDistinctive(t *testing.T) {
	want := map[string][]string{
		// Zhanaozen is in all four English matches and nowhere else;
		// strikers in three and nowhere else; Ozenmunaigas in three of
		// four matches and one other article. "police" is in two matches
		// only (below the minimum of three) and in three other articles.
		"en": {"Zhanaozen 4/4", "strikers 3/3", "Ozenmunaigas 3/4"},
		// The name in three spellings is one term of four articles;
		// бастующие and нефтяники (three each, nowhere else) tie and go by
		// their keys; Акимат is in two matches only.
		"ru": {"Жанаозен 4/4", "бастующие 3/3", "нефтяники 3/3"},
	}
	for name, ix := range newTermsIndexes(t) {
		res, err := ix.TopTerms(context.Background(), Request{Query: "Zhanaozen"}, TermsOptions{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if res.Total != 8 || res.Sampled != 8 || res.Collection != 20 {
			t.Errorf("%s: total %d, sampled %d, collection %d; want 8, 8, 20", name, res.Total, res.Sampled, res.Collection)
		}
		for lang, w := range want {
			lt := langTerms(t, res, lang)
			if got := shown(lt.Distinctive); !slices.Equal(got, w) {
				t.Errorf("%s, %s: distinctive %q, want %q", name, lang, got, w)
			}
			if lt.Matches != 4 || lt.Sampled != 4 {
				t.Errorf("%s, %s: %d matches, %d sampled; want 4 and 4", name, lang, lt.Matches, lt.Sampled)
			}
			for i, d := range lt.Distinctive {
				if d.Score <= 0 || d.Ratio <= 1 || i > 0 && d.Score > lt.Distinctive[i-1].Score {
					t.Errorf("%s, %s: %s has score %.3f, ratio %.2f, out of order or not distinctive", name, lang, d.Term, d.Score, d.Ratio)
				}
			}
		}
		// Frequent: the shared sentence's words are in every article, so
		// also in every match, beside the name.
		en := langTerms(t, res, "en")
		freq := map[string]Term{}
		for _, f := range en.Frequent {
			freq[f.Term] = f
		}
		if f := freq["council"]; f.Count != 4 || f.Collection != 12 || f.Share != 1 {
			t.Errorf("%s: frequent council is %+v, want in 4 of 4 matches and 12 articles", name, f)
		}
		if f := freq["Zhanaozen"]; f.Count != 4 || f.Collection != 4 {
			t.Errorf("%s: frequent Zhanaozen is %+v, want in 4 of 4 matches and 4 articles", name, f)
		}
		if f, ok := freq["police"]; ok && f.Count != 2 {
			t.Errorf("%s: police counted in %d matches, want 2", name, f.Count)
		}
	}
}

// TestTopTermsSpellings: Жанаозен, Жаңаөзен and Zhanaozen in Russian
// articles are one term, shown as its most common spelling, the others
// listed.
func TestTopTermsSpellings(t *testing.T) {
	for name, ix := range newTermsIndexes(t) {
		res, err := ix.TopTerms(context.Background(), Request{Query: "Жаңаөзен", Langs: []string{"ru"}}, TermsOptions{Limit: 200, MinCount: 1})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(res.Langs) != 1 || res.Langs[0].Lang != "ru" {
			t.Fatalf("%s: languages %+v, want ru alone", name, res.Langs)
		}
		var names []Term
		for _, f := range res.Langs[0].Frequent {
			if f.Key == textfold.Key("Zhanaozen") {
				names = append(names, f)
			}
			for _, s := range append([]string{f.Term}, f.Spellings...) {
				if textfold.Key(s) != f.Key {
					t.Errorf("%s: %q listed under %q has another key", name, s, f.Term)
				}
			}
		}
		if len(names) != 1 {
			t.Fatalf("%s: the name is %d terms, want 1: %+v", name, len(names), names)
		}
		n := names[0]
		if n.Term != "Жанаозен" || !slices.Equal(n.Spellings, []string{"Zhanaozen", "Жаңаөзен"}) || n.Count != 4 || n.Collection != 4 {
			t.Errorf("%s: the name is %q with %q in %d of 4 (collection %d); want Жанаозен with [Zhanaozen Жаңаөзен] in 4, collection 4",
				name, n.Term, n.Spellings, n.Count, n.Collection)
		}
	}
}

// TestTopTermsNoStopWords: over every article, with every term listed, no
// term or spelling is a stop word of any language Bleve has a list for
// (nor Kazakh's) as written, nor one of its own language's folded (fuer
// for für; English "won" stays, though German "von" folds alike).
func TestTopTermsNoStopWords(t *testing.T) {
	cache := registry.NewCache()
	stop := map[string]bool{}
	folded := map[string]map[string]bool{} // language -> keys of its stop words
	for _, l := range langs {
		words := slices.Clone(kkStopWords)
		if l == otherLang {
			continue
		} else if l != "kk" {
			tm, err := cache.TokenMapNamed("stop_" + l)
			if err != nil {
				t.Fatal(err)
			}
			words = words[:0]
			for w := range tm {
				words = append(words, w)
			}
		}
		folded[l] = map[string]bool{}
		for _, w := range words {
			stop[w] = true
			folded[l][textfold.Key(w)] = true
		}
	}
	arts := append(termsArticles(), &model.Article{ID: 100, SourceID: "azattyq", Lang: "kk", Title: "Жаңаөзен және Ақтау",
		Text: "Бұл мұнайшылар мен олардың отбасылары үшін ауыр жыл болды, және ереуіл жалғасты.", URL: "https://example.org/kk"})
	for name, ix := range newTermsIndexes(t) {
		if err := ix.Put(context.Background(), arts[len(arts)-1:]); err != nil {
			t.Fatal(err)
		}
		res, err := ix.TopTerms(context.Background(), Request{}, TermsOptions{Limit: MaxTermsLimit, MinCount: 1})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		listed := 0
		for _, l := range res.Langs {
			for _, term := range append(slices.Clone(l.Frequent), l.Distinctive...) {
				listed++
				for _, s := range append([]string{term.Term}, term.Spellings...) {
					if stop[strings.ToLower(s)] || folded[l.Lang][term.Key] {
						t.Errorf("%s, %s: stop word %q listed (key %q)", name, l.Lang, s, term.Key)
					}
				}
			}
		}
		if kk := langTerms(t, res, "kk"); len(kk.Frequent) < 5 || listed < 60 {
			t.Errorf("%s: %d terms listed, %d of them Kazakh; want at least 60 and 5", name, listed, len(kk.Frequent))
		}
	}
}

// TestTopTermsSample: with a sample smaller than the matches, it reads
// that many, from the languages of the matches, and says so.
func TestTopTermsSample(t *testing.T) {
	for name, ix := range newTermsIndexes(t) {
		res, err := ix.TopTerms(context.Background(), Request{}, TermsOptions{Sample: 10, MinCount: 1})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		sampled, matches := 0, uint64(0)
		for _, l := range res.Langs {
			sampled += l.Sampled
			matches += l.Matches
			for _, f := range l.Frequent {
				if f.Count > l.Sampled || uint64(f.Count) > f.Collection || f.Collection > l.Collection {
					t.Errorf("%s, %s: %s in %d of %d sampled, %d of %d in all: impossible", name, l.Lang, f.Term, f.Count, l.Sampled, f.Collection, l.Collection)
				}
			}
		}
		if res.Total != 20 || res.Sampled != 10 || sampled != 10 || matches != 20 {
			t.Errorf("%s: total %d, sampled %d (by language %d, matches %d); want 20, 10, 10, 20", name, res.Total, res.Sampled, sampled, matches)
		}
		// The sample is every other match in the index's order, which on
		// disk depends on how the segments were merged: each language's
		// share of it is not fixed, only that the two make the ten.
		if en, ru := langTerms(t, res, "en"), langTerms(t, res, "ru"); en.Sampled+ru.Sampled != 10 || en.Sampled > 12 || ru.Sampled > 8 || en.Matches != 12 || ru.Matches != 8 {
			t.Errorf("%s: en %d of %d sampled, ru %d of %d; want 12 and 8 matches and 10 sampled of them", name, en.Sampled, en.Matches, ru.Sampled, ru.Matches)
		}
	}
}

func TestTopTermsBadInput(t *testing.T) {
	ix := newTermsIndexes(t)["mem"]
	tests := map[string]struct {
		req   Request
		opts  TermsOptions
		param string
	}{
		"negative sample":  {Request{}, TermsOptions{Sample: -1}, "sample"},
		"sample too large": {Request{}, TermsOptions{Sample: MaxTermsSample + 1}, "sample"},
		"limit too large":  {Request{}, TermsOptions{Limit: MaxTermsLimit + 1}, "limit"},
		"negative minimum": {Request{}, TermsOptions{MinCount: -3}, "min"},
		"unknown stance":   {Request{Stances: []string{"states"}}, TermsOptions{}, "stance"},
	}
	for name, tc := range tests {
		_, err := ix.TopTerms(context.Background(), tc.req, tc.opts)
		var pe *ParamError
		if !errors.As(err, &pe) || pe.Param != tc.param {
			t.Errorf("%s: error %v, want a *ParamError for %q", name, err, tc.param)
		}
	}
	if _, err := ix.TopTerms(context.Background(), Request{Query: `"unclosed`}, TermsOptions{}); !errors.As(err, new(*QueryError)) {
		t.Errorf("unclosed quote: error %v, want a *QueryError", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ix.TopTerms(ctx, Request{}, TermsOptions{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: error %v, want context.Canceled", err)
	}
}
