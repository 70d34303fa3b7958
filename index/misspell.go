package index

import (
	"slices"
	"sort"
	"strings"
	"sync"
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
		for _, k := range c.ix.nearTerms(kind, key) {
			found[k] = true
		}
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

// nearTerms returns the terms of field's dictionary that textfold.Near
// takes for spellings of key, as nearWalk finds them; the answer is kept
// (nearCache) until the index changes, so the pages of one search, its
// timeline and its next pages walk the dictionary once.
func (ix *Index) nearTerms(field, key string) []string {
	now := ix.changes.Load()
	if terms, ok := ix.near.get(now, field, key); ok {
		return terms
	}
	terms, ok := ix.nearWalk(field, key)
	if ok {
		ix.near.put(now, field, key, terms)
	}
	return terms
}

// nearWalk finds the terms of field's dictionary that textfold.Near takes
// for spellings of key among those within two edits: scorch walks its
// dictionary with a Levenshtein automaton that counts two swapped
// neighbours as one edit (Zhenazoen is two from Zhanaozen), so the walk
// reads only the candidates. An index that cannot walk so (Bleve's
// in-memory one) has its dictionary read instead. Either reads at most
// maxMisspeltScan entries. On an error it returns what it found and
// false: the word is still looked up as written.
//
// The walk is not kept below the first letters Near allows: scorch
// builds the automaton again for each prefix walked, and the two a key
// needs (its first letter, and that letter after the š of a dropped
// French j) cost more than the one whole walk.
func (ix *Index) nearWalk(field, key string) ([]string, bool) {
	ix.rw.RLock()
	defer ix.rw.RUnlock()
	adv, err := ix.idx.Advanced()
	if err != nil {
		return nil, false
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, false
	}
	defer r.Close()
	var d bindex.FieldDict
	if fr, ok := r.(bindex.IndexReaderFuzzy); ok {
		d, err = fr.FieldDictFuzzy(field, key, 2, "")
	} else {
		d, err = r.FieldDict(field) // Bleve's in-memory index (OpenMem)
	}
	if err != nil {
		return nil, false
	}
	defer d.Close()
	var found []string
	for range maxMisspeltScan {
		e, err := d.Next()
		if err != nil {
			return found, false
		}
		if e == nil {
			break
		}
		if textfold.Near(key, e.Term) && !slices.Contains(found, e.Term) {
			found = append(found, e.Term)
		}
	}
	return found, true
}

// nearCache keeps the misspellings nearTerms found, by field and key, for
// as long as the index does not change (Index.changes). It holds at most
// maxNearCached answers and forgets them all when full.
type nearCache struct {
	mu      sync.Mutex
	changes uint64 // the Index.changes the answers were found at
	terms   map[string][]string
}

const maxNearCached = 4096

func (c *nearCache) get(changes uint64, field, key string) ([]string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.changes != changes {
		return nil, false
	}
	terms, ok := c.terms[field+"\x00"+key]
	return terms, ok
}

// put keeps terms, found at changes; an answer found before the index
// last changed is dropped.
func (c *nearCache) put(changes uint64, field, key string, terms []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case changes < c.changes:
		return // found before the index last changed
	case changes > c.changes || c.terms == nil || len(c.terms) >= maxNearCached:
		c.changes, c.terms = changes, map[string][]string{}
	}
	c.terms[field+"\x00"+key] = terms
}

// forget drops every answer (for benchmarks of the walk).
func (c *nearCache) forget() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.terms = nil
}
