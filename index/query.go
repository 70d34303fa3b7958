package index

import (
	"fmt"
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

// maxTerms bounds the words and phrases of one query; each becomes a
// couple of dozen field lookups.
const maxTerms = 64

// rewrite turns a parsed user query into the query Bleve runs: each word
// or phrase addressed to the text (no field, title: or text:) is looked up
// in every language field and in the folded fields, and in the other
// members of its alias group; published: ranges use the publisher's day;
// everything else is left as it is.
func (ix *Index) rewrite(q query.Query) (query.Query, error) {
	r := rewriter{aliases: ix.aliases}
	out := r.walk(q)
	if r.terms > maxTerms {
		return nil, fmt.Errorf("more than %d words and phrases; narrow the query", maxTerms)
	}
	return out, nil
}

type rewriter struct {
	aliases *aliasTable
	terms   int
}

func (r *rewriter) walk(q query.Query) query.Query {
	switch q := q.(type) {
	case *query.BooleanQuery:
		// Mutated in place: the parser's BooleanQuery carries an
		// unexported flag for query-string semantics.
		q.Must, q.Should, q.MustNot = r.walkOpt(q.Must), r.walkOpt(q.Should), r.walkOpt(q.MustNot)
		return q
	case *query.ConjunctionQuery:
		for i, c := range q.Conjuncts {
			q.Conjuncts[i] = r.walk(c)
		}
		return q
	case *query.DisjunctionQuery:
		for i, c := range q.Disjuncts {
			q.Disjuncts[i] = r.walk(c)
		}
		return q
	case *query.MatchQuery:
		if kinds, ok := textKinds(q.FieldVal); ok {
			r.terms++
			return r.match(q, kinds)
		}
	case *query.MatchPhraseQuery:
		if kinds, ok := textKinds(q.FieldVal); ok {
			r.terms++
			return r.phrase(q, kinds)
		}
	case *query.WildcardQuery:
		if kinds, ok := textKinds(q.FieldVal); ok {
			r.terms++
			return spread(kinds, false, func(f string) query.Query {
				w := *q
				w.Wildcard, w.FieldVal = strings.ToLower(q.Wildcard), f
				return &w
			})
		}
	case *query.RegexpQuery:
		if kinds, ok := textKinds(q.FieldVal); ok {
			r.terms++
			return spread(kinds, false, func(f string) query.Query { re := *q; re.FieldVal = f; return &re })
		}
	case *query.DateRangeQuery:
		if q.FieldVal == fieldPublished {
			q.FieldVal = fieldPublishedLocal
		}
	}
	return q
}

func (r *rewriter) walkOpt(q query.Query) query.Query {
	if q == nil {
		return nil
	}
	return r.walk(q)
}

// textKinds says which of title and text a field name addresses; ok is
// false for other fields (source:, lang: ...), which are left alone.
func textKinds(field string) (kinds []string, ok bool) {
	switch field {
	case "":
		return []string{fieldTitle, fieldText}, true
	case fieldTitle:
		return []string{fieldTitle}, true
	case fieldText:
		return []string{fieldText}, true
	}
	return nil, false
}

// spread builds one query per field (every language field of each kind,
// and the folded field when fold is set) and joins them in a disjunction.
func spread(kinds []string, fold bool, mk func(field string) query.Query) query.Query {
	var qs []query.Query
	for _, kind := range kinds {
		langBoost, foldBoost := boostLangText, boostFoldText
		if kind == fieldTitle {
			langBoost, foldBoost = boostLangTitle, boostFoldTitle
		}
		for _, l := range langs {
			q := mk(langField(kind, l))
			q.(query.BoostableQuery).SetBoost(langBoost)
			qs = append(qs, q)
		}
		if fold {
			q := mk(kind)
			q.(query.BoostableQuery).SetBoost(foldBoost)
			qs = append(qs, q)
		}
	}
	return query.NewDisjunctionQuery(qs)
}

func (r *rewriter) match(q *query.MatchQuery, kinds []string) query.Query {
	own := spread(kinds, true, func(f string) query.Query { m := *q; m.FieldVal = f; return &m })
	return r.withAliases(own, q.Match, kinds, q.BoostVal)
}

func (r *rewriter) phrase(q *query.MatchPhraseQuery, kinds []string) query.Query {
	own := spread(kinds, true, func(f string) query.Query { p := *q; p.FieldVal = f; return &p })
	return r.withAliases(own, q.MatchPhrase, kinds, q.BoostVal)
}

// withAliases adds the other members of text's alias group, if it has one,
// each looked up as a phrase in the folded fields.
func (r *rewriter) withAliases(own query.Query, text string, kinds []string, boost *query.Boost) query.Query {
	others := r.aliases.others(text)
	if len(others) == 0 {
		if boost != nil {
			own.(query.BoostableQuery).SetBoost(boost.Value())
		}
		return own
	}
	alts := []query.Query{own}
	for _, m := range others {
		for _, kind := range kinds {
			p := query.NewMatchPhraseQuery(m)
			p.SetField(kind)
			p.SetBoost(boostAlias)
			alts = append(alts, p)
		}
	}
	d := query.NewDisjunctionQuery(alts)
	if boost != nil {
		d.SetBoost(boost.Value())
	}
	return d
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
