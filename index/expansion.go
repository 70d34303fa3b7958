package index

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"
	bindex "github.com/blevesearch/bleve_index_api"

	"presswatch/index/qparse"
)

// Expansions. A word of a query that stands for many terms of the index is
// expanded by presswatch, which reads the terms from the field's
// dictionary and bounds how many one word may match; past the bound the
// query is refused with a *qparse.Error that names the word, rather than
// run, or cut short. A pattern of the text (Kazakhst*) is expanded when
// the query is compiled (patterns.go), and so are the misspellings of a
// name (misspell.go, which keeps the nearest few instead); a fuzzy word
// (Zhanaozen~2) and a pattern of a keyword field (url:https://tengrinews.kz/*)
// are expanded when the search runs, from the reader it searches, by
// fuzzyQuery and keywordPattern below.
//
// Bleve has a bound of its own, searcher.DisjunctionMaxClauseCount, but it
// is a package variable, for every index of the process, and it also sets
// the batch size of Bleve's multi-term searchers: presswatch leaves it at
// Bleve's default, 0 (no bound).

// Default bounds on one word's expansion (the Index fields maxPatternWords
// and maxExpansion, which tests lower).
const (
	// maxPatternWords bounds the words of the index one pattern of the
	// text may match; each becomes one look-up per field addressed.
	maxPatternWords = 2_000
	// maxExpansion bounds the terms of one field that one fuzzy word, or
	// one pattern of a keyword field, may match.
	maxExpansion = 20_000
)

// errTooBroad is what a dictionary walk returns when it finds more terms
// than its bound.
var errTooBroad = errors.New("index: too many terms")

// tooBroad is the fault of a word, written as the query wrote it, that
// matches more than bound terms.
func tooBroad(at int, written string, bound int, suggest string) *qparse.Error {
	return &qparse.Error{Pos: at, Reason: fmt.Sprintf("%q matches more than %s words", written, thousands(bound)), Suggest: suggest}
}

// thousands writes n with commas between groups of three digits: 20,000.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// walkDict reads d to its end and returns the entries keep accepts, with
// the edit distance keep gives each; more than bound of them is
// errTooBroad. d is closed.
func walkDict(d bindex.FieldDict, bound int, keep func(*bindex.DictEntry) (uint8, bool)) (terms []string, dists []uint8, err error) {
	defer func() {
		if cerr := d.Close(); err == nil {
			err = cerr
		}
	}()
	for {
		e, err := d.Next()
		if err != nil || e == nil {
			return terms, dists, err
		}
		dist, ok := keep(e)
		if !ok {
			continue
		}
		if len(terms) == bound {
			return nil, nil, errTooBroad
		}
		terms = append(terms, e.Term)
		dists = append(dists, dist)
	}
}

// fuzzyQuery is a word with ~N in one field, as Bleve's match query with
// a fuzziness runs it: every token the field's analyzer makes of the word
// must match, each finding the terms within N edits of it, a term n edits
// away weighing 1/(n+1). One token matching more than Bound terms of the
// field refuses the query.
type fuzzyQuery struct {
	Text      string
	Field     string
	Fuzziness int
	BoostVal  float64
	Bound     int
	At        int    // the word's position in the query, for the error
	Written   string // the word as the query wrote it: Zhanaozen~2
}

func (q *fuzzyQuery) SetBoost(b float64) { q.BoostVal = b }
func (q *fuzzyQuery) Boost() float64     { return q.BoostVal }

func (q *fuzzyQuery) Searcher(ctx context.Context, r bindex.IndexReader, m mapping.IndexMapping, o search.SearcherOptions) (search.Searcher, error) {
	an := m.AnalyzerNamed(m.AnalyzerNameForPath(q.Field))
	if an == nil {
		return nil, fmt.Errorf("index: no analyzer for %s", q.Field)
	}
	tokens := an.Analyze([]byte(q.Text))
	if len(tokens) == 0 {
		return searcher.NewMatchNoneSearcher(r)
	}
	tqs := make([]query.Query, len(tokens))
	for i, t := range tokens {
		tqs[i] = &fuzzyTerm{of: q, term: string(t.Term)}
	}
	all := query.NewConjunctionQuery(tqs)
	all.SetBoost(q.BoostVal)
	return all.Searcher(ctx, r, m, o)
}

// fuzzyTerm is one token of a fuzzyQuery.
type fuzzyTerm struct {
	of   *fuzzyQuery
	term string
}

func (t *fuzzyTerm) Searcher(ctx context.Context, r bindex.IndexReader, _ mapping.IndexMapping, o search.SearcherOptions) (search.Searcher, error) {
	q := t.of
	if q.Fuzziness > searcher.MaxFuzziness || q.Fuzziness < 0 {
		return nil, fmt.Errorf("fuzziness exceeds max (%d)", searcher.MaxFuzziness)
	}
	var d bindex.FieldDict
	var err error
	keep := func(e *bindex.DictEntry) (uint8, bool) { return e.EditDistance, true }
	if fr, ok := r.(bindex.IndexReaderFuzzy); ok {
		d, err = fr.FieldDictFuzzy(q.Field, t.term, q.Fuzziness, "")
	} else {
		d, err = r.FieldDict(q.Field) // Bleve's in-memory index (OpenMem)
		var reuse []int
		keep = func(e *bindex.DictEntry) (uint8, bool) {
			var n int
			var over bool
			n, over, reuse = search.LevenshteinDistanceMaxReuseSlice(t.term, e.Term, q.Fuzziness, reuse)
			return uint8(n), !over && n <= q.Fuzziness
		}
	}
	if err != nil {
		return nil, err
	}
	terms, dists, err := walkDict(d, q.Bound, keep)
	switch {
	case errors.Is(err, errTooBroad):
		return nil, tooBroad(q.At, q.Written, q.Bound, "write more of the word, or fewer edits (~1)")
	case err != nil:
		return nil, err
	case len(terms) == 0 || len(terms) == 1 && terms[0] == t.term:
		return searcher.NewTermSearcher(ctx, r, t.term, q.Field, q.BoostVal, o)
	}
	return searcher.NewMultiTermSearcherBoosted(ctx, r, terms, q.Field, q.BoostVal, dists, o, true)
}

// keywordPattern is a pattern of a keyword field (url:https://tengrinews.kz/*,
// source:azat*): * matches any run of characters, ? any one, as in
// Bleve's wildcard query; matching more than Bound values of the field
// refuses the query.
type keywordPattern struct {
	Pattern string
	Field   string
	Bound   int
	At      int    // the pattern's position in the query, for the error
	Written string // field:pattern, as the query wrote it
}

// wildcardRegexp turns a keyword pattern into the regular expression
// Bleve's wildcard query makes of it.
var wildcardRegexp = strings.NewReplacer(
	"+", `\+`, "(", `\(`, ")", `\)`, "^", `\^`, "$", `\$`, ".", `\.`, "{", `\{`, "}", `\}`,
	"[", `\[`, "]", `\]`, `|`, `\|`, `\`, `\\`,
	"*", ".*", "?", ".")

func (q *keywordPattern) Searcher(ctx context.Context, r bindex.IndexReader, _ mapping.IndexMapping, o search.SearcherOptions) (search.Searcher, error) {
	expr := wildcardRegexp.Replace(q.Pattern)
	var d bindex.FieldDict
	var err error
	keep := func(*bindex.DictEntry) (uint8, bool) { return 0, true }
	if rr, ok := r.(bindex.IndexReaderRegexp); ok {
		d, err = rr.FieldDictRegexp(q.Field, expr) // the whole term matches
	} else {
		re, cerr := regexp.Compile("^(?:" + expr + ")$")
		if cerr != nil {
			return nil, cerr
		}
		prefix := q.Pattern[:strings.IndexAny(q.Pattern+"*", "*?")]
		d, err = r.FieldDictPrefix(q.Field, []byte(prefix))
		keep = func(e *bindex.DictEntry) (uint8, bool) { return 0, re.MatchString(e.Term) }
	}
	if err != nil {
		return nil, err
	}
	terms, _, err := walkDict(d, q.Bound, keep)
	switch {
	case errors.Is(err, errTooBroad):
		return nil, tooBroad(q.At, q.Written, q.Bound, "make it longer")
	case err != nil:
		return nil, err
	}
	return searcher.NewMultiTermSearcher(ctx, r, terms, q.Field, 1, o, true)
}
