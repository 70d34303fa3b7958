package index

import (
	"fmt"
	"slices"
	"strings"
	"time"

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
	c := compiler{ix: ix}
	q := c.node(node)
	switch {
	case c.err != nil:
		return nil, &QueryError{clip(s), c.err}
	case c.terms > maxTerms:
		return nil, &QueryError{clip(s), &qparse.Error{Reason: fmt.Sprintf("more than %d words and phrases", maxTerms), Suggest: "narrow the query"}}
	}
	return &parsed{q: q, node: node, readAs: ix.readAs(node), patterns: c.patterns}, nil
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
	terms    int
	patterns bool
	err      error
}

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
		return query.NewBooleanQuery(c.nodes(n.Must), c.nodes(n.Should), c.nodes(n.MustNot))
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
	out := make([]query.Query, len(ns))
	for i, n := range ns {
		out[i] = c.node(n)
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
		c.patterns = true
		return c.pattern(t, kinds)
	}
	user := boostValue(t.Boost)
	if t.Field == fieldAuthor {
		m := query.NewMatchQuery(t.Text)
		m.SetField(fieldAuthor)
		m.SetFuzziness(t.Fuzzy)
		m.SetOperator(query.MatchQueryOperatorAnd)
		m.SetBoost(user)
		return m
	}
	mk := func(f string) query.Query {
		m := query.NewMatchQuery(t.Text)
		m.SetField(f)
		m.SetFuzziness(t.Fuzzy)
		// A word the analyzer splits (Ak-Orda) needs all its parts.
		m.SetOperator(query.MatchQueryOperatorAnd)
		return m
	}
	if t.Fuzzy == 0 && textfold.Gendered(t.Text) {
		return c.ix.withAliases(surname(t.Text, kinds, user, mk), t.Text, kinds, user)
	}
	return c.ix.withAliases(spread(kinds, true, user, mk), t.Text, kinds, user)
}

// surname looks up a surname whose key keeps its gender (Sokolova, not
// Sokolov) in the folded fields, and as written in the words field so
// that the spelling asked for ranks first, but not in the language
// fields, whose stemmers would find the other gender too.
func surname(text string, kinds []string, user float64, mk func(string) query.Query) query.Query {
	var qs []query.Query
	for _, kind := range kinds {
		b := boostFoldText
		if kind == fieldTitle {
			b = boostFoldTitle
		}
		q := mk(kind)
		q.(query.BoostableQuery).SetBoost(b * user)
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
		if lit, _, _ := strings.Cut(v, "*"); len(lit) < 2 {
			return c.fail(t.At, "", "%s:%s: a pattern needs at least two characters before its first * or ?", t.Field, v)
		}
		c.patterns = true
		w := query.NewWildcardQuery(v)
		w.SetField(t.Field)
		return w
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
	var lo, hi time.Time
	if r.Lo != "" {
		start, end, err := period(r.Lo)
		if err != nil {
			return c.fail(r.At, "write YYYY-MM-DD, YYYY-MM, YYYY or an RFC 3339 time", "%s: %q %v", r.Field, r.Lo, err)
		}
		lo = start
		if !r.IncLo {
			lo = end.Add(time.Nanosecond)
		}
	}
	if r.Hi != "" {
		start, end, err := period(r.Hi)
		if err != nil {
			return c.fail(r.At, "write YYYY-MM-DD, YYYY-MM, YYYY or an RFC 3339 time", "%s: %q %v", r.Field, r.Hi, err)
		}
		hi = end
		if !r.IncHi {
			hi = start.Add(-time.Nanosecond)
		}
	}
	if !lo.IsZero() && !hi.IsZero() && hi.Before(lo) {
		return c.fail(r.At, "", "%s: the range ends before it starts", r.Field)
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
// instant it covers.
func period(s string) (start, end time.Time, err error) {
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
		start, end = WallClock(t), WallClock(t)
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
	best, dist := "", 3
	for _, c := range values {
		if d := editDistance(strings.ToLower(v), strings.ToLower(c)); d < dist || d == dist && c < best {
			best, dist = c, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf("did you mean %q?", best)
}

// editDistance is the Levenshtein distance of two short values.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev, cur := make([]int, len(rb)+1), make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
