package index

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/de" // the language analyzers register themselves
	_ "github.com/blevesearch/bleve/v2/analysis/lang/en"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/es"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/fr"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/it"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/pl"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/pt"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/ru"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/token/unicodenorm"
	unicodetok "github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/registry"

	"presswatch/internal/textfold"
)

// The analyzers presswatch adds to Bleve's own.
const (
	// foldAnalyzer makes the script- and spelling-independent form of a
	// text: Жаңаөзендегі, Żanaozeniu and Schanaosen all give one key (see
	// internal/textfold). Every document and every query goes through it.
	foldAnalyzer = "presswatch_fold"
	// kkAnalyzer is Kazakh's own field: Bleve has no Kazakh analyzer, so
	// it lower-cases and normalises (NFC) the words as written; inflected
	// forms and other spellings meet in the fold field.
	kkAnalyzer = "presswatch_kk"

	// wordsAnalyzer keeps the words as written, lower case and NFC,
	// elided articles dropped (d'Aktau is aktau): the dictionary
	// patterns are matched against.
	wordsAnalyzer = "presswatch_words"

	foldFilter  = "presswatch_fold"
	elideFilter = "presswatch_elide"
)

func init() {
	// Bleve finds token filters by name through its registry.
	if err := registry.RegisterTokenFilter(foldFilter, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
		return foldTokens{}, nil
	}); err != nil {
		panic(err)
	}
	if err := registry.RegisterTokenFilter(elideFilter, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
		return elideTokens{}, nil
	}); err != nil {
		panic(err)
	}
}

// elideTokens drops a token's elided French or Italian article (elide).
type elideTokens struct{}

func (elideTokens) Filter(in analysis.TokenStream) analysis.TokenStream {
	for _, t := range in {
		if w := elide(string(t.Term)); len(w) != len(t.Term) {
			t.Term = []byte(w)
		}
	}
	return in
}

// foldTokens replaces each token by its textfold key, keeping positions
// and offsets: a phrase still means a phrase, and highlights fall on the
// words as the page wrote them.
type foldTokens struct{}

func (foldTokens) Filter(in analysis.TokenStream) analysis.TokenStream {
	out := in[:0]
	for _, t := range in {
		key := textfold.Key(elide(string(t.Term)))
		if key == "" {
			continue
		}
		t.Term = []byte(key)
		out = append(out, t)
	}
	return out
}

// addAnalyzers declares presswatch's analyzers in the mapping, so an index
// carries their definition with it.
func addAnalyzers(m *mapping.IndexMappingImpl) error {
	// The stop words of every language with an analyzer go before the
	// folding: in a field every language shares, "in", "и" or "die" would
	// otherwise match half the collection.
	if err := m.AddCustomAnalyzer(foldAnalyzer, map[string]any{
		"type":      custom.Name,
		"tokenizer": unicodetok.Name,
		"token_filters": []any{lowercase.Name, "stop_en", "stop_ru", "stop_de", "stop_fr", "stop_es", "stop_it",
			"stop_pl", "stop_pt", foldFilter},
	}); err != nil {
		return err
	}
	if err := m.AddCustomTokenFilter("presswatch_nfc", map[string]any{
		"type": unicodenorm.Name,
		"form": unicodenorm.NFC,
	}); err != nil {
		return err
	}
	if err := m.AddCustomAnalyzer(wordsAnalyzer, map[string]any{
		"type":          custom.Name,
		"tokenizer":     unicodetok.Name,
		"token_filters": []any{"presswatch_nfc", lowercase.Name, elideFilter},
	}); err != nil {
		return err
	}
	return m.AddCustomAnalyzer(kkAnalyzer, map[string]any{
		"type":          custom.Name,
		"tokenizer":     unicodetok.Name,
		"token_filters": []any{"presswatch_nfc", lowercase.Name},
	})
}

// elide drops a French or Italian elided article or preposition, which the
// tokenizer keeps with its word: "d'Aktau", "l’Ozenmunaigaz", "dell'Aktau"
// fold as "Aktau" and "Ozenmunaigaz". Only a short Latin prefix counts, so
// a Ukrainian word with an apostrophe inside (п'ять) stays whole.
func elide(w string) string {
	i := strings.LastIndexAny(w, "'’")
	if i <= 0 || i > 4 {
		return w
	}
	for _, c := range w[:i] {
		if c > unicode.MaxASCII || !unicode.IsLetter(c) {
			return w
		}
	}
	_, n := utf8.DecodeRuneInString(w[i:])
	if i+n >= len(w) {
		return w
	}
	return w[i+n:]
}
