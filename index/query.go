package index

import (
	"strings"
	"unicode"

	"github.com/blevesearch/bleve/v2/search/query"

	"presswatch/internal/textfold"
)

// The weights of the fields a word is looked up in. A match in the
// article's own language field (the word as written, or an inflection the
// language's stemmer knows) counts more than one found only through the
// folded form, so exact spellings rank above transliterations.
//
// The folded fields weigh a tenth of the language fields: an article
// spelling the name as asked also matches in the folded field, so it
// always scores above one that matches only there, whatever the lengths.
const (
	boostLangTitle = 3.0
	boostLangText  = 2.0
	boostFoldTitle = 0.3
	boostFoldText  = 0.2
	// boostAlias weighs a match of another member of an alias group (a
	// query for Zhanaozen finding "Новый Узень").
	boostAlias = 0.15
)

// foldBoost is the weight of a look-up in the folded field of kind.
func foldBoost(kind string) float64 {
	if kind == fieldTitle {
		return boostFoldTitle
	}
	return boostFoldText
}

// spread builds one query per field (every language field of each kind,
// and the folded field when fold is set) and joins them in a disjunction.
// Each field's weight is multiplied by the user's (word^2): Bleve's
// disjunction does not apply a boost of its own.
func spread(kinds []string, fold bool, user float64, mk func(field string) query.Query) query.Query {
	var qs []query.Query
	for _, kind := range kinds {
		langBoost, foldBoost := boostLangText, boostFoldText
		if kind == fieldTitle {
			langBoost, foldBoost = boostLangTitle, boostFoldTitle
		}
		for _, l := range langs {
			q := mk(langField(kind, l))
			q.(query.BoostableQuery).SetBoost(langBoost * user)
			qs = append(qs, q)
		}
		if fold {
			q := mk(kind)
			q.(query.BoostableQuery).SetBoost(foldBoost * user)
			qs = append(qs, q)
		}
	}
	return query.NewDisjunctionQuery(qs)
}

// withAliases adds the other members of text's alias group, if it has one,
// each looked up as a phrase in the folded fields.
func (ix *Index) withAliases(own query.Query, text string, kinds []string, user float64) query.Query {
	others := ix.aliasTable().others(text)
	if len(others) == 0 {
		return own
	}
	alts := []query.Query{own}
	for _, m := range others {
		for _, kind := range kinds {
			p := query.NewMatchPhraseQuery(m)
			p.SetField(kind)
			p.SetBoost(boostAlias * user)
			alts = append(alts, p)
		}
	}
	return query.NewDisjunctionQuery(alts)
}

// aliasTable finds a name's alias group by its folded form: a query for
// "Жаңаөзен" or "Schanaosen" finds the group that lists "Zhanaozen".
type aliasTable struct {
	groups [][]string
	byKey  map[string]int // folded member -> group
}

func newAliasTable(groups [][]string) *aliasTable {
	t := &aliasTable{byKey: map[string]int{}}
	for _, g := range groups {
		if len(g) < 2 {
			continue
		}
		t.groups = append(t.groups, g)
		for _, m := range g {
			if k := foldKey(m); k != "" {
				t.byKey[k] = len(t.groups) - 1
			}
		}
	}
	return t
}

// others returns the members of text's group whose folded form differs
// from text's (those the folded fields would not find anyway).
func (t *aliasTable) others(text string) []string {
	if t == nil {
		return nil
	}
	k := foldKey(text)
	g, ok := t.byKey[k]
	if !ok {
		return nil
	}
	var out []string
	seen := map[string]bool{k: true}
	for _, m := range t.groups[g] {
		if mk := foldKey(m); !seen[mk] {
			seen[mk] = true
			out = append(out, m)
		}
	}
	return out
}

// foldKey is the folded form of a name of one or more words.
func foldKey(s string) string {
	words := strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	for i, w := range words {
		words[i] = textfold.Key(w)
	}
	return strings.Join(words, " ")
}
