package index

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"

	"presswatch/internal/textfold"
)

// Misspelt names. A word of a query typed without quotes, ~ or * whose key
// is at least textfold.MinNear letters long also finds the words of the
// index whose keys textfold.Near takes for other spellings of it
// (Zhanaozen finds Zhenaozen and Zhenazoen, Kuramshin the French
// Kouramchine, Nurzhan Nourjan), each looked up by its key in the folded
// fields with a weight below an alias's. A quoted word or phrase matches
// as before: its folded key, the same in every script and transliteration,
// and the members of its alias group, never a misspelling, so "Zhanaozen"
// in quotes counts what it did (and "Sokolova" never finds Sokolov,
// quoted or not: Near keeps a name's ending). Topics do not look
// misspellings up (see misspelt).

// boostMisspelt weighs a match of a misspelling: below an alias, so that
// an article writing the name as asked, or as its alias group does, ranks
// first.
const boostMisspelt = 0.1

// Bounds on the candidates of one word: the dictionary entries the walks
// may read, and the misspellings that become look-ups.
const (
	maxMisspeltScan  = 20_000
	maxMisspeltWords = 50
)

// misspelt adds to own the look-ups of the misspellings of text (one
// word) that the folded fields of kinds hold. A Matcher's topics get none:
// an article belongs to a topic by its query and aliases as written (a
// misspelling to count goes in the aliases), and ingest pays nothing.
func (c *compiler) misspelt(own query.Query, text string, kinds []string, user float64) query.Query {
	if c.words != nil || c.ix.configuredOnly {
		return own
	}
	word := elide(text)
	if strings.ContainsFunc(word, func(r rune) bool { return !unicode.IsLetter(r) }) {
		return own // Ak-Orda, 2011, Sokolova's
	}
	key := textfold.Key(word)
	if utf8.RuneCountInString(key) < textfold.MinNear {
		return own
	}
	found := map[string]bool{}
	for _, kind := range kinds {
		c.ix.nearTerms(kind, key, found)
	}
	if len(found) == 0 {
		return own
	}
	keys := make([]string, 0, len(found))
	for k := range found {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if len(keys) > maxMisspeltWords {
		keys = keys[:maxMisspeltWords]
	}
	qs := []query.Query{own}
	for _, kind := range kinds {
		for _, k := range keys {
			tq := query.NewTermQuery(k)
			tq.SetField(kind)
			tq.SetBoost(boostMisspelt * user)
			qs = append(qs, tq)
		}
	}
	return query.NewDisjunctionQuery(qs)
}

// nearTerms adds to found the terms of field's dictionary that
// textfold.Near takes for spellings of key, found among those within two
// edits: scorch walks its dictionary with a Levenshtein automaton that
// counts two swapped neighbours as one edit (Zhenazoen is two from
// Zhanaozen), so the walk reads only the candidates. An index that cannot
// walk so (Bleve's in-memory one) has its dictionary read instead. Either
// reads at most maxMisspeltScan entries. An error leaves found as it is:
// the word is still looked up as written.
func (ix *Index) nearTerms(field, key string, found map[string]bool) {
	ix.rw.RLock()
	defer ix.rw.RUnlock()
	adv, err := ix.idx.Advanced()
	if err != nil {
		return
	}
	r, err := adv.Reader()
	if err != nil {
		return
	}
	defer r.Close()
	var d bindex.FieldDict
	if fr, ok := r.(bindex.IndexReaderFuzzy); ok {
		d, err = fr.FieldDictFuzzy(field, key, 2, "")
	} else {
		d, err = r.FieldDict(field) // Bleve's in-memory index (OpenMem)
	}
	if err != nil {
		return
	}
	defer d.Close()
	for range maxMisspeltScan {
		e, err := d.Next()
		if err != nil || e == nil {
			return
		}
		if !found[e.Term] && textfold.Near(key, e.Term) {
			found[e.Term] = true
		}
	}
}
