package index

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"
	bindex "github.com/blevesearch/bleve_index_api"
	"golang.org/x/text/unicode/norm"

	"presswatch/index/qparse"
	"presswatch/internal/textfold"
)

// Bounds on one pattern (Kazakhst*): the literal letters it must start
// with and the dictionary entries the query's patterns may read. The
// words one may match are bounded too (maxPatternWords, expansion.go).
const (
	minPatternPrefix = 2
	maxPatternScan   = 200_000
)

// pattern compiles a word with * or ?: the words the index holds as
// written (the words field: every script, lower case) that match it are
// found in its dictionary, and each is looked up by its folded key, so
// Kazakhst* finds Kazakhstan, and through its key Казахстан and
// Qazaqstan too, and Казах* finds Казахстана and, through it, Kazakhstan.
func (c *compiler) pattern(t *qparse.Term, kinds []string) query.Query {
	pat := elide(strings.ToLower(norm.NFC.String(t.Text))) // d'Akt* is Akt*, as the words field holds it
	if strings.ContainsFunc(pat, func(r rune) bool { return r == '-' || r == '\'' || r == '’' || r == '.' || r == '/' }) {
		return c.fail(t.At, "write the part with the pattern alone (Or*), or the whole word in quotes", "%s: a pattern is one word, and this one has a separator", t.Text)
	}
	prefix, re := patternRegexp(pat)
	if n := len([]rune(prefix)); n < minPatternPrefix {
		return c.fail(t.At, "for a word that starts so, write its first letters: Kazakh*",
			"%s: a pattern needs at least %d letters before its first * or ?", t.Text, minPatternPrefix)
	}
	var words []string
	if c.words != nil {
		for _, w := range c.words {
			if strings.HasPrefix(w, prefix) && re.MatchString(w) {
				words = append(words, w)
			}
		}
	} else {
		var err error
		var scanned int
		words, scanned, err = c.ix.dictWords(fieldWords, prefix, re, maxPatternScan-c.scanned)
		c.scanned += scanned
		if errors.Is(err, errTooBroad) {
			if c.err == nil {
				c.err = tooBroad(t.At, t.Text, c.ix.maxPatternWords, "make it longer")
			}
			return query.NewMatchNoneQuery()
		}
		if err != nil {
			return c.fail(t.At, "make it longer or more precise", "%s: %v", t.Text, err)
		}
	}
	keys := map[string]bool{}
	for _, w := range words {
		if k := textfold.Key(w); k != "" {
			keys[k] = true
		}
	}
	if len(keys) == 0 {
		return query.NewMatchNoneQuery()
	}
	sorted := make([]string, 0, len(keys))
	for k := range keys {
		sorted = append(sorted, k)
	}
	sort.Strings(sorted)
	user := boostValue(t.Boost)
	var qs []query.Query
	for _, kind := range kinds {
		for _, k := range sorted {
			tq := query.NewTermQuery(k)
			tq.SetField(kind)
			tq.SetBoost(foldBoost(kind) * user)
			qs = append(qs, tq)
		}
	}
	return query.NewDisjunctionQuery(qs)
}

// patternRegexp returns the literal start of a pattern (up to its first
// unescaped * or ?) and a regular expression matching the whole of it.
func patternRegexp(pat string) (string, *regexp.Regexp) {
	var prefix, re strings.Builder
	re.WriteString("^")
	literal := true
	rs := []rune(pat)
	for i := 0; i < len(rs); i++ {
		c := rs[i]
		switch {
		case c == '\\' && i+1 < len(rs):
			i++
			re.WriteString(regexp.QuoteMeta(string(rs[i])))
			if literal {
				prefix.WriteRune(rs[i])
			}
		case c == '*':
			re.WriteString(".*")
			literal = false
		case c == '?':
			re.WriteString(".")
			literal = false
		default:
			re.WriteString(regexp.QuoteMeta(string(c)))
			if literal {
				prefix.WriteRune(c)
			}
		}
	}
	re.WriteString("$")
	return prefix.String(), regexp.MustCompile(re.String())
}

// dictWords returns the terms of field that start with prefix and match
// re, and how many terms it read, refusing a pattern that reads more than
// budget terms (the query's patterns share maxPatternScan) or matches
// more than ix.maxPatternWords (errTooBroad).
func (ix *Index) dictWords(field, prefix string, re *regexp.Regexp, budget int) ([]string, int, error) {
	ix.rw.RLock()
	defer ix.rw.RUnlock()
	d, err := ix.idx.FieldDictPrefix(field, []byte(prefix))
	if err != nil {
		return nil, 0, err
	}
	defer d.Close()
	var out []string
	for scanned := 0; ; scanned++ {
		e, err := d.Next()
		if err != nil {
			return nil, scanned, err
		}
		if e == nil {
			return out, scanned, nil
		}
		if scanned >= budget {
			return nil, scanned, fmt.Errorf("the query's patterns read more than %d words of the index", maxPatternScan)
		}
		if re.MatchString(e.Term) {
			if len(out) == ix.maxPatternWords {
				return nil, scanned, errTooBroad
			}
			out = append(out, e.Term)
		}
	}
}

// known returns the values a keyword field holds in the index, with the
// configured ones (sources of WithSources, topics of WithTopics); nil
// when the index has none to check against.
func (ix *Index) known(field string) []string {
	var out []string
	switch field {
	case fieldSource:
		for id := range ix.stances {
			out = append(out, id)
		}
	case fieldTopics:
		out = append(out, ix.topicIDs()...)
	}
	if ix.configuredOnly {
		if len(out) == 0 {
			return nil
		}
		return out
	}
	ix.rw.RLock()
	d, err := ix.idx.FieldDict(field)
	if err == nil {
		for n := 0; n < 100_000; n++ {
			e, err := d.Next()
			if err != nil || e == nil {
				break
			}
			out = append(out, e.Term)
		}
		d.Close()
	}
	ix.rw.RUnlock()
	if len(out) == 0 {
		return nil
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// near compiles "a b"~N: the words within N positions more than the
// phrase's own length of each other, in any order, in the folded fields.
func (c *compiler) near(p *qparse.Phrase, kinds []string, user float64) query.Query {
	var qs []query.Query
	for _, kind := range kinds {
		b := boostLangText
		if kind == fieldTitle {
			b = boostLangTitle
		}
		qs = append(qs, &nearQuery{Text: p.Text, Field: kind, Slop: p.Slop, Boost: b * user})
	}
	return query.NewDisjunctionQuery(qs)
}

// nearQuery is a Bleve query of words near each other: Bleve's phrase
// search has a slop, but no query sets it.
type nearQuery struct {
	Text  string
	Field string
	Slop  int
	Boost float64
}

func (q *nearQuery) Searcher(ctx context.Context, r bindex.IndexReader, m mapping.IndexMapping, o search.SearcherOptions) (search.Searcher, error) {
	an := m.AnalyzerNamed(m.AnalyzerNameForPath(q.Field))
	if an == nil {
		return nil, fmt.Errorf("index: no analyzer for %s", q.Field)
	}
	var keys []string
	for _, t := range an.Analyze([]byte(q.Text)) {
		if k := string(t.Term); !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return searcher.NewMatchNoneSearcher(r)
	}
	o.IncludeTermVectors = true
	var ss []search.Searcher
	for _, k := range keys {
		s, err := searcher.NewTermSearcher(ctx, r, k, q.Field, q.Boost, o)
		if err != nil {
			for _, s := range ss {
				s.Close()
			}
			return nil, err
		}
		ss = append(ss, s)
	}
	if len(ss) == 1 {
		return ss[0], nil
	}
	conj, err := searcher.NewConjunctionSearcher(ctx, r, ss, o)
	if err != nil {
		return nil, err
	}
	window := uint64(len(keys) - 1 + q.Slop)
	return searcher.NewFilteringSearcher(ctx, conj, func(_ *search.SearchContext, d *search.DocumentMatch) bool {
		return within(d.FieldTermLocations, q.Field, keys, window)
	}), nil
}

// within reports whether one position of each key lies in a span of at
// most window positions (in one value of the field).
func within(locs []search.FieldTermLocation, field string, keys []string, window uint64) bool {
	type hit struct {
		pos uint64
		key int
	}
	var hits []hit
	for _, l := range locs {
		if l.Field != field {
			continue
		}
		if k := slices.Index(keys, l.Term); k >= 0 {
			hits = append(hits, hit{l.Location.Pos, k})
		}
	}
	sort.Slice(hits, func(i, j int) bool { return hits[i].pos < hits[j].pos })
	count := make([]int, len(keys))
	have, lo := 0, 0
	for _, h := range hits {
		if count[h.key] == 0 {
			have++
		}
		count[h.key]++
		for have == len(keys) {
			if h.pos-hits[lo].pos <= window {
				return true
			}
			count[hits[lo].key]--
			if count[hits[lo].key] == 0 {
				have--
			}
			lo++
		}
	}
	return false
}

// langNames maps the names people write for the languages presswatch
// follows to their codes, for the suggestion of a lang: that is not one.
var langNames = map[string]string{
	"english": "en", "russian": "ru", "русский": "ru", "kazakh": "kk", "қазақ": "kk", "казахский": "kk",
	"german": "de", "deutsch": "de", "french": "fr", "français": "fr", "francais": "fr", "spanish": "es",
	"español": "es", "espanol": "es", "italian": "it", "italiano": "it", "polish": "pl", "polski": "pl",
	"portuguese": "pt", "português": "pt", "portugues": "pt", "ukrainian": "uk", "kyrgyz": "ky", "uzbek": "uz",
	"turkish": "tr", "chinese": "zh", "arabic": "ar", "belarusian": "be",
	"rus": "ru", "eng": "en", "kaz": "kk", "deu": "de", "ger": "de", "fra": "fr", "fre": "fr", "spa": "es",
	"ita": "it", "pol": "pl", "por": "pt", "kz": "kk", "ua": "uk", "cz": "cs", "gr": "el", "jp": "ja", "cn": "zh",
}

// langCode reads a language code as the lang field holds it (ISO 639-1,
// two letters, lower case).
func langCode(v string) (string, bool) {
	v = strings.ToLower(v)
	if len(v) == 2 && v[0] >= 'a' && v[0] <= 'z' && v[1] >= 'a' && v[1] <= 'z' {
		return v, true
	}
	return "", false
}

func suggestLang(v string) string {
	if code, ok := langNames[strings.ToLower(v)]; ok {
		return fmt.Sprintf("did you mean lang:%s?", code)
	}
	return "write the two-letter code: lang:ru, lang:kk, lang:en"
}

// readAs writes how a query was read: its operators and groups explicit
// and the other members of each name's alias group written out.
func (ix *Index) readAs(n qparse.Node) string {
	return ix.withAliasNodes(n).String()
}

func (ix *Index) withAliasNodes(n qparse.Node) qparse.Node {
	switch n := n.(type) {
	case *qparse.Bool:
		out := &qparse.Bool{At: n.At}
		for _, m := range n.Must {
			out.Must = append(out.Must, ix.withAliasNodes(m))
		}
		for _, m := range n.Should {
			out.Should = append(out.Should, ix.withAliasNodes(m))
		}
		for _, m := range n.MustNot {
			out.MustNot = append(out.MustNot, ix.withAliasNodes(m))
		}
		return out
	case *qparse.Term:
		if n.Wildcard || queryFields[n.Field] != qparse.KindText || n.Field == fieldAuthor {
			return n
		}
		return ix.aliasGroup(n, n.Text, n.Field)
	case *qparse.Phrase:
		if n.Slop > 0 || queryFields[n.Field] != qparse.KindText || n.Field == fieldAuthor {
			return n
		}
		return ix.aliasGroup(n, n.Text, n.Field)
	}
	return n
}

func (ix *Index) aliasGroup(n qparse.Node, text, field string) qparse.Node {
	others := ix.aliasTable().others(text)
	if len(others) == 0 {
		return n
	}
	g := &qparse.Bool{Should: []qparse.Node{n}, At: n.Pos()}
	for _, o := range others {
		if strings.ContainsFunc(o, func(r rune) bool { return r == ' ' }) {
			g.Should = append(g.Should, &qparse.Phrase{Field: field, Text: o})
		} else {
			g.Should = append(g.Should, &qparse.Term{Field: field, Text: o})
		}
	}
	return g
}
