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
// couple of dozen field lookups. maxPatterns bounds the wildcards and
// regular expressions, each of which walks the term dictionary.
const (
	maxTerms    = 64
	maxPatterns = 4
)

// rewrite turns a parsed user query into the query Bleve runs: each word
// or phrase addressed to the text (no field, title: or text:) is looked up
// in every language field and in the folded fields, and in the other
// members of its alias group; published: ranges use the publisher's day;
// everything else is left as it is.
func (ix *Index) rewrite(q query.Query) (query.Query, error) {
	r := rewriter{aliases: ix.aliases}
	out := r.walk(q)
	switch {
	case r.err != nil:
		return nil, r.err
	case r.terms > maxTerms:
		return nil, fmt.Errorf("more than %d words and phrases; narrow the query", maxTerms)
	case r.patterns > maxPatterns:
		return nil, fmt.Errorf("more than %d wildcards or regular expressions; narrow the query", maxPatterns)
	}
	return out, nil
}

type rewriter struct {
	aliases  *aliasTable
	terms    int
	patterns int // wildcards and regular expressions
	err      error
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
		if q.Fuzziness < 0 || q.Fuzziness > 2 {
			r.fail("fuzziness ~%d: use ~1 or ~2", q.Fuzziness)
		}
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
			r.patterns++
			return foldedOnly(kinds, q.BoostVal, func(f string) query.Query {
				w := *q
				w.Wildcard, w.FieldVal = foldWildcard(q.Wildcard), f
				return &w
			})
		}
	case *query.RegexpQuery:
		if kinds, ok := textKinds(q.FieldVal); ok {
			r.terms++
			r.patterns++
			if strings.Contains(q.Regexp, `\p`) || strings.Contains(q.Regexp, `\P`) {
				r.fail("regular expression %q: Unicode classes (\\p{...}) are not supported; write the letters", q.Regexp)
			}
			return foldedOnly(kinds, q.BoostVal, func(f string) query.Query {
				re := *q
				re.Regexp, re.FieldVal = strings.ToLower(q.Regexp), f
				return &re
			})
		}
	case *query.DateRangeQuery:
		if q.FieldVal == fieldPublished {
			q.FieldVal = fieldPublishedLocal
		}
	case *query.NumericRangeQuery:
		if q.FieldVal == fieldPublished || q.FieldVal == fieldFirstSeen {
			r.fail("%s: takes a date in quotes, e.g. %s:>\"2011-12-01\"", q.FieldVal, q.FieldVal)
		}
	}
	return q
}

// fail records the first problem of the query.
func (r *rewriter) fail(format string, args ...any) {
	if r.err == nil {
		r.err = fmt.Errorf(format, args...)
	}
}

// foldedOnly looks a pattern up in the folded fields only: a pattern
// cannot be analyzed like a word, and compiling it once per language field
// would cost twenty times as much.
func foldedOnly(kinds []string, boost *query.Boost, mk func(field string) query.Query) query.Query {
	var qs []query.Query
	for _, kind := range kinds {
		qs = append(qs, mk(kind))
	}
	d := query.NewDisjunctionQuery(qs)
	if boost != nil {
		d.SetBoost(boost.Value())
	}
	return d
}

// foldWildcard folds the literal parts of a wildcard pattern the way the
// folded fields hold words ("Жанаоз*" and "Zhanaoz*" both become
// "šanaoz*"); the wildcards stay.
func foldWildcard(w string) string {
	var b strings.Builder
	lit := 0
	for i, c := range w {
		if c == '*' || c == '?' {
			b.WriteString(foldPart(w[lit:i]))
			b.WriteRune(c)
			lit = i + 1
		}
	}
	b.WriteString(foldPart(w[lit:]))
	return b.String()
}

// foldPart folds a piece of a word. Folding treats the end of a word
// specially (a final z is s), and a piece before a wildcard is not the
// end, so it is folded followed by an m, which no folding rule joins to
// the letters before it, and the m is dropped again.
func foldPart(s string) string {
	if s == "" {
		return ""
	}
	return strings.TrimSuffix(textfold.Fold(s+"m"), "m")
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

func (r *rewriter) match(q *query.MatchQuery, kinds []string) query.Query {
	user := boostOf(q.BoostVal)
	own := spread(kinds, true, user, func(f string) query.Query { m := *q; m.FieldVal = f; return &m })
	return r.withAliases(own, q.Match, kinds, user)
}

func (r *rewriter) phrase(q *query.MatchPhraseQuery, kinds []string) query.Query {
	user := boostOf(q.BoostVal)
	own := spread(kinds, true, user, func(f string) query.Query { p := *q; p.FieldVal = f; return &p })
	return r.withAliases(own, q.MatchPhrase, kinds, user)
}

func boostOf(b *query.Boost) float64 {
	if b == nil {
		return 1
	}
	return b.Value()
}

// withAliases adds the other members of text's alias group, if it has one,
// each looked up as a phrase in the folded fields.
func (r *rewriter) withAliases(own query.Query, text string, kinds []string, user float64) query.Query {
	others := r.aliases.others(text)
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
