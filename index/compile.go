package index

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/search/query"

	"presswatch/index/qparse"
	"presswatch/internal/model"
	"presswatch/internal/textfold"
)

// queryFields are the fields a query may name, and what each holds.
var queryFields = map[string]qparse.Kind{
	fieldTitle: qparse.KindText, fieldText: qparse.KindText, fieldAuthor: qparse.KindText,
	fieldSource: qparse.KindKeyword, fieldStance: qparse.KindKeyword, fieldLang: qparse.KindKeyword,
	fieldTopics: qparse.KindKeyword, fieldURL: qparse.KindKeyword, fieldState: qparse.KindKeyword,
	fieldPublished: qparse.KindDate, fieldFirstSeen: qparse.KindDate,
}

// maxTerms bounds the words and phrases of one query that search the
// text; each becomes a couple of dozen field lookups.
const maxTerms = 100

// parsed is a user query read and compiled.
type parsed struct {
	q    query.Query
	node qparse.Node
	// readAs is how the query was read: every operator and group
	// explicit, the alias groups written out.
	readAs string
	// patterns is set when the query holds a pattern (Kazakhst*), which
	// compiles to the words the index holds at the time.
	patterns bool
}

// parseQuery reads s with the default operator op and compiles it against
// ix: the words the patterns expand to, the values the enumerated fields
// hold. Errors are *QueryError wrapping a *qparse.Error.
func (ix *Index) parseQuery(s string, op qparse.Op) (*parsed, error) {
	node, err := qparse.Parse(s, qparse.Options{Op: op, Fields: queryFields})
	if err != nil {
		return nil, &QueryError{clip(s), err}
	}
	return ix.compileNode(s, node)
}

func (ix *Index) compileNode(s string, node qparse.Node) (*parsed, error) {
	return ix.compileWith(s, node, nil)
}

// compileWith compiles node, matching its patterns against words when
// it is not nil (a Matcher's article) and the index's dictionary else.
func (ix *Index) compileWith(s string, node qparse.Node, words []string) (*parsed, error) {
	c := compiler{ix: ix, words: words}
	q := c.node(node)
	switch {
	case c.err != nil:
		return nil, &QueryError{clip(s), c.err}
	case c.terms > maxTerms:
		return nil, &QueryError{clip(s), &qparse.Error{Reason: fmt.Sprintf("more than %d words and phrases", maxTerms), Suggest: "narrow the query"}}
	case c.patterns > maxPatterns:
		return nil, &QueryError{clip(s), &qparse.Error{Reason: fmt.Sprintf("more than %d patterns (words with * or ?)", maxPatterns), Suggest: "narrow the query"}}
	case q == nil:
		return nil, &QueryError{clip(s), &qparse.Error{Reason: fmt.Sprintf("only stop words (%s), which are not searched", strings.Join(c.dropped, ", ")),
			Suggest: "add a word that says what to find"}}
	}
	readAs := ix.readAs(node)
	if len(c.dropped) > 0 {
		readAs += " (not searched, as stop words: " + strings.Join(c.dropped, ", ") + ")"
	}
	return &parsed{q: q, node: node, readAs: readAs, patterns: c.patterns > 0}, nil
}

// clip shortens a query for an error message.
func clip(s string) string {
	if len(s) <= 200 {
		return s
	}
	cut := 200
	for cut > 0 && s[cut]&0xC0 == 0x80 {
		cut--
	}
	return s[:cut] + "…"
}

type compiler struct {
	ix       *Index
	words    []string // a Matcher's article's words, for its patterns; nil: the index's
	terms    int
	patterns int
	scanned  int      // dictionary entries the patterns read
	dropped  []string // stop words left out
	err      error
}

// maxPatterns bounds the patterns of one query: each reads the
// dictionary and may become thousands of look-ups.
const maxPatterns = 8

func (c *compiler) fail(at int, suggest, format string, args ...any) query.Query {
	if c.err == nil {
		c.err = &qparse.Error{Pos: at, Reason: fmt.Sprintf(format, args...), Suggest: suggest}
	}
	return query.NewMatchNoneQuery()
}

func (c *compiler) node(n qparse.Node) query.Query {
	switch n := n.(type) {
	case *qparse.All:
		return query.NewMatchAllQuery()
	case *qparse.Bool:
		must, should, mustNot := c.nodes(n.Must), c.nodes(n.Should), c.nodes(n.MustNot)
		if len(must)+len(should)+len(mustNot) == 0 {
			return nil // only stop words
		}
		return query.NewBooleanQuery(must, should, mustNot)
	case *qparse.Term:
		return c.term(n)
	case *qparse.Phrase:
		return c.phrase(n)
	case *qparse.Range:
		return c.dateRange(n)
	}
	return c.fail(n.Pos(), "", "cannot read %T", n)
}

func (c *compiler) nodes(ns []qparse.Node) []query.Query {
	if len(ns) == 0 {
		return nil
	}
	var out []query.Query
	for _, n := range ns {
		if q := c.node(n); q != nil {
			out = append(out, q)
		}
	}
	return out
}

// textKinds says which of title and text a field addresses; author is a
// field of its own.
func textKinds(field string) []string {
	switch field {
	case "":
		return []string{fieldTitle, fieldText}
	case fieldTitle, fieldText, fieldAuthor:
		return []string{field}
	}
	return nil
}

func (c *compiler) term(t *qparse.Term) query.Query {
	if queryFields[t.Field] == qparse.KindKeyword {
		return c.keyword(t)
	}
	c.terms++
	kinds := textKinds(t.Field)
	if t.Wildcard {
		c.patterns++
		return c.pattern(t, kinds)
	}
	if !c.searchable(t.Text, kinds) {
		c.dropped = append(c.dropped, t.Text)
		return nil
	}
	user := boostValue(t.Boost)
	mk := func(f string) query.Query {
		if t.Fuzzy != 0 {
			// Expanded when it runs, within a bound (expansion.go).
			return &fuzzyQuery{Text: t.Text, Field: f, Fuzziness: t.Fuzzy, BoostVal: 1, Bound: c.ix.maxExpansion,
				At: t.At, Written: t.Text + "~" + strconv.Itoa(t.Fuzzy)}
		}
		m := query.NewMatchQuery(t.Text)
		m.SetField(f)
		// A word the analyzer splits (Ak-Orda) needs all its parts.
		m.SetOperator(query.MatchQueryOperatorAnd)
		return m
	}
	if t.Field == fieldAuthor {
		m := mk(fieldAuthor)
		m.(query.BoostableQuery).SetBoost(user)
		return m
	}
	if t.Fuzzy != 0 {
		return c.ix.withAliases(spread(kinds, true, user, mk), t.Text, kinds, user)
	}
	own := spread(kinds, true, user, mk)
	if textfold.Gendered(t.Text) {
		own = surname(t.Text, kinds, user, mk)
	}
	// Unquoted, a name also finds its misspellings (misspell.go).
	return c.misspelt(c.ix.withAliases(own, t.Text, kinds, user), t.Text, kinds, user)
}

// surname looks up a surname whose key keeps its gender (Sokolova, not
// Sokolov) in the folded fields, and as written in the words field so
// that the spelling asked for ranks first, but not in the language
// fields, whose stemmers would find the other gender too.
func surname(text string, kinds []string, user float64, mk func(string) query.Query) query.Query {
	var qs []query.Query
	for _, kind := range kinds {
		q := mk(kind)
		q.(query.BoostableQuery).SetBoost(foldBoost(kind) * user)
		qs = append(qs, q)
	}
	w := query.NewMatchQuery(text)
	w.SetField(fieldWords)
	w.SetOperator(query.MatchQueryOperatorAnd)
	w.SetBoost(boostLangText * user)
	// The words field holds the byline too: it only ranks what the
	// folded fields found.
	return query.NewBooleanQuery([]query.Query{query.NewDisjunctionQuery(qs)}, []query.Query{w}, nil)
}

func (c *compiler) phrase(p *qparse.Phrase) query.Query {
	if kind := queryFields[p.Field]; kind == qparse.KindKeyword {
		return c.keyword(&qparse.Term{Field: p.Field, Text: p.Text, Keyword: true, At: p.At})
	}
	c.terms++
	kinds := textKinds(p.Field)
	if !c.searchable(p.Text, kinds) {
		c.dropped = append(c.dropped, `"`+p.Text+`"`)
		return nil
	}
	user := boostValue(p.Boost)
	if p.Slop > 0 {
		return c.near(p, kinds, user)
	}
	if p.Field == fieldAuthor {
		m := query.NewMatchPhraseQuery(p.Text)
		m.SetField(fieldAuthor)
		m.SetBoost(user)
		return m
	}
	mk := func(f string) query.Query { m := query.NewMatchPhraseQuery(p.Text); m.SetField(f); return m }
	return c.ix.withAliases(spread(kinds, true, user, mk), p.Text, kinds, user)
}

func boostValue(b float64) float64 {
	if b == 0 {
		return 1
	}
	return b
}

// keyword compiles field:value of a keyword field, refusing a value the
// field cannot hold.
func (c *compiler) keyword(t *qparse.Term) query.Query {
	v := t.Text
	if t.Wildcard {
		if t.Field != fieldURL && t.Field != fieldSource && t.Field != fieldTopics {
			return c.fail(t.At, "", "%s:%s: %s takes no pattern", t.Field, v, t.Field)
		}
		if i := strings.IndexAny(v, "*?"); utf8.RuneCountInString(v[:i]) < 2 {
			return c.fail(t.At, "", "%s:%s: a pattern needs at least two characters before its first * or ?", t.Field, v)
		}
		c.patterns++
		// Expanded when it runs, within a bound (expansion.go).
		return &keywordPattern{Pattern: v, Field: t.Field, Bound: c.ix.maxExpansion, At: t.At, Written: t.Field + ":" + v}
	}
	switch t.Field {
	case fieldStance:
		v = strings.ToLower(v)
		if !slices.Contains(model.Stances, model.Stance(v)) {
			return c.fail(t.At, suggestOne(v, stanceValues()), "stance:%s: there is no stance %q (the stances are %s)", t.Text, t.Text, stanceNames())
		}
	case fieldState:
		v = strings.ToLower(v)
		states := []string{string(model.StateLive), string(model.StateEdited), string(model.StateRemoved)}
		if !slices.Contains(states, v) {
			return c.fail(t.At, suggestOne(v, states), "state:%s: there is no state %q (the states are live, edited and removed)", t.Text, t.Text)
		}
	case fieldLang:
		code, ok := langCode(v)
		if !ok {
			return c.fail(t.At, suggestLang(v), "lang:%s: %q is not a language code", t.Text, t.Text)
		}
		if known := c.ix.known(fieldLang); known != nil && !slices.Contains(known, code) {
			suggest := suggestOne(code, known)
			if _, ok := langNames[code]; ok {
				suggest = suggestLang(code) // lang:kz is Kazakh, kk
			}
			return c.fail(t.At, suggest, "lang:%s: no article is in %q (the languages are %s)", t.Text, code, strings.Join(known, ", "))
		}
		v = code
	case fieldSource, fieldTopics:
		if known := c.ix.known(t.Field); known != nil && !slices.Contains(known, v) {
			what := map[string]string{fieldSource: "source", fieldTopics: "topic"}[t.Field]
			return c.fail(t.At, suggestOne(v, known), "%s:%s: there is no %s %q", t.Field, t.Text, what, t.Text)
		}
	}
	tq := query.NewTermQuery(v)
	tq.SetField(t.Field)
	if t.Boost != 0 {
		tq.SetBoost(t.Boost)
	}
	return tq
}

// dateRange compiles published: and first_seen: bounds. A bound names a
// period (2011, 2011-12, 2011-12-16) or an instant (RFC 3339): >= takes
// its start, > what follows its end, <= its end, < what precedes its
// start. published compares the publisher's own date and time.
func (c *compiler) dateRange(r *qparse.Range) query.Query {
	var lo, hi, loStart, hiEnd time.Time
	if r.Lo != "" {
		start, end, err := period(r.Lo, r.Field == fieldPublished)
		if err != nil {
			return c.fail(r.At, "write YYYY-MM-DD, YYYY-MM, YYYY or an RFC 3339 time", "%s: %q %v", r.Field, r.Lo, err)
		}
		lo, loStart = start, start
		if !r.IncLo {
			lo = end.Add(time.Nanosecond)
		}
	}
	if r.Hi != "" {
		start, end, err := period(r.Hi, r.Field == fieldPublished)
		if err != nil {
			return c.fail(r.At, "write YYYY-MM-DD, YYYY-MM, YYYY or an RFC 3339 time", "%s: %q %v", r.Field, r.Hi, err)
		}
		hi, hiEnd = end, end
		if !r.IncHi {
			hi = start.Add(-time.Nanosecond)
		}
	}
	if !loStart.IsZero() && !hiEnd.IsZero() && hiEnd.Before(loStart) {
		return c.fail(r.At, "", "%s: the range ends before it starts", r.Field)
	}
	if !lo.IsZero() && !hi.IsZero() && hi.Before(lo) {
		return query.NewMatchNoneQuery() // {2012-05-01 TO 2012-05-02}: no day between
	}
	yes := true
	q := query.NewDateRangeInclusiveQuery(lo, hi, &yes, &yes)
	q.SetField(fieldPublishedLocal)
	if r.Field == fieldFirstSeen {
		q.SetField(fieldFirstSeen)
	}
	return q
}

// period reads a year, a month, a day or an instant as the first and last
// instant it covers; an instant with wall, in the publisher's own clock
// (published_local), else in UTC (first_seen).
func period(s string, wall bool) (start, end time.Time, err error) {
	for _, f := range []struct {
		layout string
		next   func(time.Time) time.Time
	}{
		{time.DateOnly, func(t time.Time) time.Time { return t.AddDate(0, 0, 1) }},
		{"2006-01", func(t time.Time) time.Time { return t.AddDate(0, 1, 0) }},
		{"2006", func(t time.Time) time.Time { return t.AddDate(1, 0, 0) }},
	} {
		if t, perr := time.Parse(f.layout, s); perr == nil {
			start, end = t, f.next(t).Add(-time.Nanosecond)
			break
		}
	}
	if start.IsZero() {
		t, perr := time.Parse(time.RFC3339, s)
		if perr != nil {
			return start, end, fmt.Errorf("is not a date")
		}
		start, end = t.UTC(), t.UTC()
		if wall {
			start, end = WallClock(t), WallClock(t)
		}
	}
	if start.Year() < minYear || start.Year() > maxYear {
		return start, end, fmt.Errorf("is outside the years %d to %d", minYear, maxYear)
	}
	return start, end, nil
}

func stanceValues() []string {
	out := make([]string, len(model.Stances))
	for i, s := range model.Stances {
		out[i] = string(s)
	}
	return out
}

// suggestOne proposes the closest of values to v, if one is close.
func suggestOne(v string, values []string) string {
	best := qparse.Closest(v, values)
	if best == "" {
		return ""
	}
	return fmt.Sprintf("did you mean %q?", best)
}

// searchable reports whether text gives a token in the folded fields
// (for a byline, its own): a word every article's folded text leaves out
// is a stop word of one of the languages (in, и, der, die) and is left
// out of the query, and said to be, rather than matching nothing.
func (c *compiler) searchable(text string, kinds []string) bool {
	an := c.ix.mapping().AnalyzerNamed(foldAnalyzer)
	return an == nil || len(an.Analyze([]byte(text))) > 0
}
