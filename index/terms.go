package index

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/registry"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"

	"presswatch/internal/textfold"
)

// Top terms: the words and names the articles matching a search use
// most, and those that set them apart from the whole collection, per
// language, with every spelling and script of a name counted as one term
// (its fold key, as the title and text fields index it).
//
// The sample. TopTerms reads at most TermsOptions.Sample of the matching
// articles: all of them when there are no more, else a systematic sample,
// every k-th match in the index's order (which follows the order articles
// were stored in). Not the best-ranked matches: those are the articles
// that repeat the query's words most, which would make the query's own
// words and the shortest articles look more frequent than they are, and a
// query matching everything (no words, or only filters) has no ranking at
// all. An even sample of every match estimates what share of all of them
// use a term, the figure a researcher publishes, and spreads over the whole
// period they cover. It is the same for the same index; a new article or a
// merge of Bleve's segments may shift it by a few articles.
//
// The counts. A term's Count is how many sampled articles of its language
// contain it (title or text); its Collection, how many articles of that
// language in the whole index do, read from the index's postings. Each
// language is compared with itself: a Russian word is distinctive if
// Russian matches use it more than Russian articles at large do, so the
// common words of a language the matches are mostly in do not all look
// distinctive. The distinctive score is Dunning's log-likelihood (G²) of
// the sample against the language's collection, kept only for terms the
// sample uses more than the collection and in at least MinCount sampled
// articles; the sample is part of the collection, so the score understates
// a little, never overstates.
//
// The cost. Reading and tokenizing the sample is most of it, so its size
// is bounded, and the collection counts are read only for a few hundred
// candidates per language: an estimate from the language's own field (one
// look-up in the term dictionary) ranks them, and the exact count, from
// the postings of the folded fields, is read only for the best of them.

// Bounds of TopTerms.
const (
	DefaultTermsSample = 1000
	MaxTermsSample     = 5000
	DefaultTermsLimit  = 25
	MaxTermsLimit      = 200
	DefaultTermsMin    = 3
	// termCandidates is how many terms per language, the most frequent
	// in the sample first, get a collection count to rank them for
	// distinctiveness; the best termExact times Limit of them get their
	// exact count in the language.
	termCandidates = 150
	termExact      = 2
	// maxSpellings bounds the other spellings listed for a term.
	maxSpellings = 8
	// termWorkers read and tokenize the sample in parallel.
	termWorkers = 4
)

// TermsOptions bound a TopTerms call; the zero value takes the defaults.
type TermsOptions struct {
	Sample   int `json:"sample"`    // articles read: 0 means DefaultTermsSample; at most MaxTermsSample
	Limit    int `json:"limit"`     // terms in each list of each language: 0 means DefaultTermsLimit; at most MaxTermsLimit
	MinCount int `json:"min_count"` // sampled articles a distinctive term must be in: 0 means DefaultTermsMin
}

// TermsResult is what TopTerms found.
type TermsResult struct {
	Total      uint64      `json:"total"`      // articles matching the search
	Sampled    int         `json:"sampled"`    // of them, read for their terms
	Collection uint64      `json:"collection"` // articles in the index
	Langs      []LangTerms `json:"langs"`      // most matching articles first
	// Options are those TopTerms ran with, the defaults filled in.
	Options TermsOptions  `json:"options"`
	Took    time.Duration `json:"-"`
}

// LangTerms are the top terms of the matching articles of one language.
type LangTerms struct {
	Lang        string `json:"lang"`        // as the articles give it; "" when they give none
	Matches     uint64 `json:"matches"`     // matching articles in this language
	Sampled     int    `json:"sampled"`     // of them, read
	Collection  uint64 `json:"collection"`  // articles in this language in the index
	Frequent    []Term `json:"frequent"`    // in most sampled articles first
	Distinctive []Term `json:"distinctive"` // highest score first
}

// Term is one word or name: all its spellings, scripts and the
// inflections the folding merges.
type Term struct {
	Term      string   `json:"term"`                // its most common spelling in the sample, as written
	Key       string   `json:"key"`                 // the fold key every spelling shares
	Spellings []string `json:"spellings,omitempty"` // other spellings, most common first
	// Count is the number of sampled articles of the language that
	// contain the term, in the title or the text.
	Count int `json:"count"`
	// Collection is the number of articles of the language in the whole
	// index that contain it.
	Collection uint64 `json:"collection"`
	// Share is Count over the language's sampled articles; Ratio, Share
	// over the share of the language's collection that contains it.
	Share float64 `json:"share"`
	Ratio float64 `json:"ratio"`
	// Score ranks the list: Share in Frequent, the log-likelihood G²
	// in Distinctive.
	Score float64 `json:"score"`
}

func (o TermsOptions) check() (TermsOptions, error) {
	for _, f := range []struct {
		name      string
		v         *int
		def, most int
	}{{"sample", &o.Sample, DefaultTermsSample, MaxTermsSample}, {"limit", &o.Limit, DefaultTermsLimit, MaxTermsLimit},
		{"min", &o.MinCount, DefaultTermsMin, MaxTermsSample}} {
		switch {
		case *f.v == 0:
			*f.v = f.def
		case *f.v < 0 || *f.v > f.most:
			return o, &ParamError{f.name, strconv.Itoa(*f.v), fmt.Sprintf("is not a number from 1 to %d", f.most)}
		}
	}
	return o, nil
}

// TopTerms returns the most frequent and the most distinctive terms of
// the articles matching req (its query and filters; sort, limit, after and
// collapse do not apply), per language; see the comment above for how. It
// takes at most searchTimeout. Errors are *QueryError and *ParamError as
// Search gives them, and an *QueryError when it takes too long.
func (ix *Index) TopTerms(ctx context.Context, req Request, opts TermsOptions) (*TermsResult, error) {
	start := time.Now()
	opts, err := opts.check()
	if err != nil {
		return nil, err
	}
	req.Sort, req.Limit, req.After, req.Collapse = "", 0, "", false
	if _, _, err := req.check(); err != nil {
		return nil, err
	}
	if err := ix.checkFeatures(req); err != nil {
		return nil, err
	}
	q, err := ix.buildQuery(req)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, searchTimeout)
	defer cancel()
	ix.rw.RLock()
	defer ix.rw.RUnlock()
	res, err := ix.topTerms(ctx, q, opts)
	if err != nil {
		switch {
		case queryFault(err):
			return nil, &QueryError{req.Query, err}
		case errors.Is(err, context.DeadlineExceeded) && ctx.Err() != nil:
			return nil, &QueryError{req.Query, fmt.Errorf("top terms took longer than %s; make the search narrower", searchTimeout)}
		}
		return nil, fmt.Errorf("index: top terms of %s for %q: %w", ix.name(), req.Query, err)
	}
	res.Options, res.Took = opts, time.Since(start)
	return res, nil
}

func (ix *Index) topTerms(ctx context.Context, q query.Query, opts TermsOptions) (*TermsResult, error) {
	adv, err := ix.idx.Advanced()
	if err != nil {
		return nil, err
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	var tab *langTable
	var tabErr error
	var wg sync.WaitGroup
	wg.Go(func() { tab, tabErr = readLangs(ctx, r) })
	ids, err := matchIDs(ctx, r, ix.idx.Mapping(), q)
	wg.Wait()
	if err := cmp.Or(err, tabErr); err != nil {
		return nil, err
	}
	out := &TermsResult{Total: uint64(len(ids)), Collection: tab.total}
	matches := make([]uint64, len(tab.names))
	for _, id := range ids {
		matches[tab.of(id)]++
	}
	sample := systematic(ids, opts.Sample)
	out.Sampled = len(sample)
	an, err := sampleAnalyzer(ix.idx.Mapping())
	if err != nil {
		return nil, err
	}
	counts, err := tallySample(ctx, r, an, tab, sample)
	if err != nil {
		return nil, err
	}
	lk := &lookup{ctx: ctx, r: r, m: ix.idx.Mapping(), tab: tab, exact: map[string][]uint64{}}
	var todo []int
	for l, c := range counts {
		if c.docs > 0 {
			todo = append(todo, l)
		}
	}
	out.Langs = make([]LangTerms, len(todo))
	errs := make([]error, len(todo))
	var next atomic.Int64
	var ranked sync.WaitGroup
	for range min(termWorkers, runtime.GOMAXPROCS(0), len(todo)) {
		ranked.Go(func() {
			for i := int(next.Add(1) - 1); i < len(todo); i = int(next.Add(1) - 1) {
				l, c := todo[i], counts[todo[i]]
				lt := LangTerms{Lang: tab.names[l], Matches: matches[l], Sampled: c.docs, Collection: tab.sizes[l]}
				lt.Frequent, lt.Distinctive, errs[i] = lk.rank(l, c, opts)
				out.Langs[i] = lt
			}
		})
	}
	ranked.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	slices.SortFunc(out.Langs, func(a, b LangTerms) int {
		return cmp.Or(cmp.Compare(b.Matches, a.Matches), strings.Compare(a.Lang, b.Lang))
	})
	return out, nil
}

// langTable tells each document's language from the postings of the lang
// field: index 0 is "" (no language), the others the field's values.
type langTable struct {
	names []string
	sizes []uint64 // articles per language in the index
	total uint64
	dense []uint8 // by internal id, when the index numbers its documents (scorch)
	byID  map[string]uint8
}

// maxDense bounds the internal ids held in a slice rather than a map.
const maxDense = 1 << 26

func (t *langTable) of(id bindex.IndexInternalID) uint8 {
	if t.byID == nil {
		if v := id.Value(); v < uint64(len(t.dense)) {
			return t.dense[v]
		}
		return 0
	}
	return t.byID[string(id)]
}

func readLangs(ctx context.Context, r bindex.IndexReader) (*langTable, error) {
	total, err := r.DocCount()
	if err != nil {
		return nil, err
	}
	t := &langTable{names: []string{""}, sizes: []uint64{0}, total: total}
	dict, err := r.FieldDict(fieldLang)
	if err != nil {
		return nil, err
	}
	for {
		e, err := dict.Next()
		if err != nil {
			dict.Close()
			return nil, err
		}
		if e == nil {
			break
		}
		if e.Term != "" && len(t.names) < math.MaxUint8 {
			t.names = append(t.names, e.Term)
		}
	}
	if err := dict.Close(); err != nil {
		return nil, err
	}
	var ids [][]bindex.IndexInternalID
	dense := true
	known := uint64(0)
	for _, name := range t.names[1:] {
		got, err := postings(ctx, r, name, fieldLang)
		if err != nil {
			return nil, err
		}
		for _, id := range got {
			dense = dense && len(id) == 8 && id.Value() < maxDense
		}
		ids = append(ids, got)
		t.sizes = append(t.sizes, uint64(len(got)))
		known += uint64(len(got))
	}
	t.sizes[0] = total - min(known, total)
	if !dense {
		t.byID = map[string]uint8{}
	}
	for l, got := range ids {
		for _, id := range got {
			if t.byID != nil {
				t.byID[string(id)] = uint8(l + 1)
				continue
			}
			v := id.Value()
			if v >= uint64(len(t.dense)) {
				t.dense = slices.Grow(t.dense, int(v)+1-len(t.dense))[:v+1]
			}
			t.dense[v] = uint8(l + 1)
		}
	}
	return t, nil
}

// postings returns the internal ids of the documents with term in field.
func postings(ctx context.Context, r bindex.IndexReader, term, field string) ([]bindex.IndexInternalID, error) {
	tfr, err := r.TermFieldReader(ctx, []byte(term), field, false, false, false)
	if err != nil {
		return nil, err
	}
	defer tfr.Close()
	ids := make([]bindex.IndexInternalID, 0, tfr.Count())
	var doc bindex.TermFieldDoc
	for {
		doc.ID = doc.ID[:0] // upsidedown appends to it
		d, err := tfr.Next(&doc)
		if err != nil || d == nil {
			return ids, err
		}
		ids = append(ids, slices.Clone(d.ID))
	}
}

// matchIDs returns the internal ids of every document q matches, in the
// index's order, running Bleve's searcher for q without scores.
func matchIDs(ctx context.Context, r bindex.IndexReader, m mapping.IndexMapping, q query.Query) ([]bindex.IndexInternalID, error) {
	s, err := q.Searcher(ctx, r, m, bsearch.SearcherOptions{Score: "none"})
	if err != nil {
		return nil, err
	}
	defer s.Close()
	sctx := &bsearch.SearchContext{DocumentMatchPool: bsearch.NewDocumentMatchPool(s.DocumentMatchPoolSize(), 0), IndexReader: r}
	var ids []bindex.IndexInternalID
	var arena []byte
	for n := 0; ; n++ {
		if n%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		dm, err := s.Next(sctx)
		if err != nil {
			return nil, err
		}
		if dm == nil {
			return ids, nil
		}
		if len(arena)+len(dm.IndexInternalID) > cap(arena) {
			arena = make([]byte, 0, max(64<<10, len(dm.IndexInternalID)))
		}
		at := len(arena)
		arena = append(arena, dm.IndexInternalID...)
		ids = append(ids, bindex.IndexInternalID(arena[at:len(arena):len(arena)]))
		sctx.DocumentMatchPool.Put(dm)
	}
}

// systematic returns n ids evenly spread over ids (all of them when there
// are no more than n).
func systematic(ids []bindex.IndexInternalID, n int) []bindex.IndexInternalID {
	if len(ids) <= n {
		return ids
	}
	out := make([]bindex.IndexInternalID, n)
	for i := range out {
		out[i] = ids[i*len(ids)/n]
	}
	return out
}

// logLikelihood is Dunning's G² of a term in a of n sampled documents
// against c of N in the collection.
func logLikelihood(a, n, c, N float64) float64 {
	k, all := a+c, n+N
	ea, ec := n*k/all, N*k/all
	return 2 * (xlog(a, ea) + xlog(n-a, n-ea) + xlog(c, ec) + xlog(N-c, N-ec))
}

func xlog(o, e float64) float64 {
	if o <= 0 || e <= 0 {
		return 0
	}
	return o * math.Log(o/e)
}

// hasLetter reports whether w holds a letter: numbers are not terms.
func hasLetter(w string) bool {
	return strings.ContainsFunc(w, unicode.IsLetter)
}

// isTermWord reports whether a token may be a term: two characters or
// more, one of them a letter.
func isTermWord(w string) bool {
	return utf8.RuneCountInString(w) >= 2 && hasLetter(w)
}

// stopKeys are, per language, the fold keys of its stop words: the
// analyzer drops the stop words as written, these also drop them spelt
// otherwise (fuer for für, ее for её). Kazakh, which Bleve has no list
// for, has kkStopWords.
var stopKeys = sync.OnceValues(func() (map[string]map[string]bool, error) {
	cache := registry.NewCache()
	out := map[string]map[string]bool{}
	for _, l := range langs {
		words := map[string]bool{}
		if l == "kk" {
			for _, w := range kkStopWords {
				words[w] = true
			}
		} else if tm, err := cache.TokenMapNamed("stop_" + l); err == nil {
			for w := range tm {
				words[w] = true
			}
		} else if l != otherLang {
			return nil, fmt.Errorf("stop words of %s: %w", l, err)
		}
		keys := map[string]bool{}
		for w := range words {
			if k := textfold.Key(elide(w)); k != "" {
				keys[k] = true
			}
		}
		out[l] = keys
	}
	return out, nil
})

// kkStopWords are Kazakh's conjunctions, particles, postpositions,
// pronouns and forms of "to be": Bleve has no Kazakh stop list, and
// without them "және" (and) heads every Kazakh list.
var kkStopWords = []string{
	"және", "мен", "бен", "пен", "да", "де", "та", "те", "ма", "ме", "ба", "бе", "па", "пе", "ал", "бірақ", "алайда",
	"немесе", "әлде", "не", "өйткені", "себебі", "егер", "яғни", "тек", "ғана", "қана", "енді", "тағы", "ең", "әр",
	"әрбір", "барлық", "бұл", "осы", "сол", "мына", "ол", "оның", "оны", "оған", "онда", "одан", "олар", "олардың",
	"оларды", "оларға", "біз", "біздің", "сен", "сіз", "сіздің", "өз", "өзі", "өзінің", "үшін", "деп", "деген",
	"дейді", "бойынша", "арқылы", "туралы", "сияқты", "кейін", "дейін", "соң", "бірге", "ішінде", "қарай", "шейін",
	"бар", "жоқ", "еді", "екен", "емес", "болып", "болды", "болады", "болған", "болатын", "сондай", "сонымен", "иә",
}

// foldChain is the index's fold analyzer split in two: its tokenizer, run
// on every text, and its filters without the last, the folding, run once
// per distinct word of a worker's part of the sample with the folding
// after them (each of the analyzer's filters acts on one token alone:
// lower case, stop words). A word's fate is looked up, not worked out
// again, at each occurrence.
type foldChain struct {
	tok     analysis.Tokenizer
	filters []analysis.TokenFilter
}

func sampleAnalyzer(m mapping.IndexMapping) (*foldChain, error) {
	a, ok := m.AnalyzerNamed(foldAnalyzer).(*analysis.DefaultAnalyzer)
	if !ok || len(a.CharFilters) > 0 || len(a.TokenFilters) == 0 {
		return nil, fmt.Errorf("the %s analyzer is not a tokenizer and token filters", foldAnalyzer)
	}
	last := len(a.TokenFilters) - 1
	if _, ok := a.TokenFilters[last].(foldTokens); !ok {
		return nil, fmt.Errorf("the %s analyzer does not end in the folding", foldAnalyzer)
	}
	return &foldChain{a.Tokenizer, a.TokenFilters[:last]}, nil
}

// key returns the fold key of one word as the tokenizer gives it, less an
// elided article or preposition (see elide), "" when
// it is a stop word (of every language, and in stop the fold keys of its
// article's language's), a number or a single letter.
func (c *foldChain) key(word string, stop map[string]bool) string {
	ts := analysis.TokenStream{{Term: []byte(word), Type: analysis.AlphaNumeric}}
	for _, f := range c.filters {
		if ts = f.Filter(ts); len(ts) == 0 {
			return ""
		}
	}
	w := string(ts[0].Term)
	if !isTermWord(w) {
		return ""
	}
	if k := textfold.Key(w); !stop[k] {
		return k
	}
	return ""
}

// langCounts are the terms of one language's sampled articles.
type langCounts struct {
	docs  int
	terms map[string]*termCount // by fold key
	words map[string]*wordCount // by the word as written
}

type termCount struct {
	docs  int
	last  int          // the article of the part counted last, so each counts once
	forms []*wordCount // its spellings
}

// wordCount is one word as written.
type wordCount struct {
	written string
	term    *termCount // nil: not a term
	n       int        // occurrences
}

// tallySample reads the sampled documents' titles and texts and counts, per
// language, the documents each fold key occurs in, on termWorkers
// goroutines that each take a part of the sample.
func tallySample(ctx context.Context, r bindex.IndexReader, an *foldChain, tab *langTable, sample []bindex.IndexInternalID) ([]langCounts, error) {
	work := divide(tab, sample, max(1, min(termWorkers, runtime.GOMAXPROCS(0), len(sample)/32)))
	parts := make([][]langCounts, len(work))
	errs := make([]error, len(work))
	var wg sync.WaitGroup
	for w, part := range work {
		wg.Go(func() { parts[w], errs[w] = tallyPart(ctx, r, an, tab, part) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	out := parts[0]
	for _, p := range parts[1:] {
		for l, lc := range p {
			into := &out[l]
			into.docs += lc.docs
			if into.terms == nil {
				into.terms = lc.terms
				continue
			}
			for key, tc := range lc.terms {
				if have := into.terms[key]; have == nil {
					into.terms[key] = tc
				} else {
					have.docs += tc.docs
					have.forms = append(have.forms, tc.forms...)
				}
			}
		}
	}
	return out, nil
}

// divide shares the sample out among workers by language, so that most
// words are folded by one worker only: the languages, largest first, each
// go to the worker with the fewest articles yet; a language with more than
// a worker's fair share is split among all of them.
func divide(tab *langTable, sample []bindex.IndexInternalID, workers int) [][]bindex.IndexInternalID {
	byLang := make([][]bindex.IndexInternalID, len(tab.names))
	for _, id := range sample {
		l := tab.of(id)
		byLang[l] = append(byLang[l], id)
	}
	slices.SortStableFunc(byLang, func(a, b []bindex.IndexInternalID) int { return cmp.Compare(len(b), len(a)) })
	parts := make([][]bindex.IndexInternalID, workers)
	fair := (len(sample) + workers - 1) / workers
	for _, ids := range byLang {
		if len(ids) > fair {
			for w := range parts {
				parts[w] = append(parts[w], ids[w*len(ids)/workers:(w+1)*len(ids)/workers]...)
			}
			continue
		}
		least := 0
		for w := range parts {
			if len(parts[w]) < len(parts[least]) {
				least = w
			}
		}
		parts[least] = append(parts[least], ids...)
	}
	return parts
}

// tallyPart counts the terms of part.
func tallyPart(ctx context.Context, r bindex.IndexReader, an *foldChain, tab *langTable, part []bindex.IndexInternalID) ([]langCounts, error) {
	stops, err := stopKeys()
	if err != nil {
		return nil, err
	}
	out := make([]langCounts, len(tab.names))
	perLang := make([]int, len(tab.names))
	for _, id := range part {
		perLang[tab.of(id)]++
	}
	for i, id := range part {
		if i%16 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		ext, err := r.ExternalID(id)
		if err != nil {
			return nil, err
		}
		doc, err := r.Document(ext)
		if err != nil || doc == nil {
			return nil, cmp.Or(err, fmt.Errorf("article %s is in the index but has no stored fields", ext))
		}
		l := tab.of(id)
		lc := &out[l]
		if lc.terms == nil {
			// About a hundred new words an article, fewer as they add up.
			words := min(100*perLang[l], 1<<16)
			lc.terms, lc.words = make(map[string]*termCount, words/2), make(map[string]*wordCount, words)
		}
		lc.docs++
		stop := stops[strings.ToLower(tab.names[l])]
		doc.VisitFields(func(f bindex.Field) {
			if f.Name() != fieldTitle && f.Name() != fieldText {
				return
			}
			text := f.Value() // the document's own copy: the tokenizer does not change it
			for _, t := range an.tok.Tokenize(text) {
				wc := lc.words[string(text[t.Start:t.End])]
				if wc == nil {
					w := string(text[t.Start:t.End])
					wc = &wordCount{written: elide(w)}
					if key := an.key(wc.written, stop); key != "" {
						if wc.term = lc.terms[key]; wc.term == nil {
							wc.term = &termCount{last: -1}
							lc.terms[key] = wc.term
						}
						wc.term.forms = append(wc.term.forms, wc)
					}
					lc.words[w] = wc
				}
				if tc := wc.term; tc != nil {
					wc.n++
					if tc.last != i {
						tc.last = i
						tc.docs++
					}
				}
			}
		})
	}
	return out, nil
}

// lookup reads collection counts; it remembers the exact ones, which a
// name used in several languages needs once.
type lookup struct {
	ctx   context.Context
	r     bindex.IndexReader
	m     mapping.IndexMapping
	tab   *langTable
	mu    sync.Mutex
	exact map[string][]uint64 // fold key -> articles per language
}

func (lk *lookup) remembered(key string) ([]uint64, bool) {
	lk.mu.Lock()
	defer lk.mu.Unlock()
	got, ok := lk.exact[key]
	return got, ok
}

// rank makes language l's two lists from its counts.
func (lk *lookup) rank(l int, c langCounts, opts TermsOptions) (frequent, distinctive []Term, err error) {
	type keyed struct {
		key  string
		docs int
	}
	all := make([]keyed, 0, len(c.terms))
	for k, tc := range c.terms {
		all = append(all, keyed{k, tc.docs})
	}
	slices.SortFunc(all, func(a, b keyed) int { return cmp.Or(cmp.Compare(b.docs, a.docs), strings.Compare(a.key, b.key)) })
	keys := make([]string, min(len(all), max(opts.Limit, termCandidates)))
	for i := range keys {
		keys[i] = all[i].key
	}
	n, size := float64(c.docs), float64(max(lk.tab.sizes[l], 1))
	term := func(key string) (Term, error) {
		counts, err := lk.exactCounts(key)
		if err != nil {
			return Term{}, err
		}
		tc := c.terms[key]
		t := Term{Key: key, Count: tc.docs, Collection: max(counts[l], uint64(tc.docs))}
		t.Term, t.Spellings = spellings(tc.forms)
		t.Share = float64(t.Count) / n
		t.Ratio = t.Share / (float64(t.Collection) / size)
		return t, nil
	}
	for _, k := range keys[:min(opts.Limit, len(keys))] {
		t, err := term(k)
		if err != nil {
			return nil, nil, err
		}
		t.Score = t.Share
		frequent = append(frequent, t)
	}

	// Candidates, ranked by an estimate of their count in the language's
	// collection; the best get their exact count.
	type cand struct {
		key   string
		score float64
	}
	var cands []cand
	exact := termExact * opts.Limit
	best := make([]float64, 0, exact+1) // the best estimated scores yet, highest first
	for _, k := range keys[:min(termCandidates, len(keys))] {
		a := float64(c.terms[k].docs)
		// Most frequent first: a term in a sampled articles scores at
		// most as if those were all the collection's (a of a), and no
		// later one can pass the exact-th best estimate yet.
		if c.terms[k].docs < opts.MinCount || len(best) == exact && logLikelihood(a, n, a, size) < best[exact-1] {
			break
		}
		est, err := lk.estimate(l, k, c.terms[k])
		if err != nil {
			return nil, nil, err
		}
		coll := min(max(float64(est), a), size)
		if a/n > coll/size {
			score := logLikelihood(a, n, coll, size)
			cands = append(cands, cand{k, score})
			i, _ := slices.BinarySearchFunc(best, score, func(x, y float64) int { return cmp.Compare(y, x) })
			best = slices.Insert(best, i, score)[:min(len(best)+1, exact)]
		}
	}
	slices.SortFunc(cands, func(a, b cand) int { return cmp.Or(cmp.Compare(b.score, a.score), strings.Compare(a.key, b.key)) })
	for _, cd := range cands[:min(exact, len(cands))] {
		t, err := term(cd.key)
		if err != nil {
			return nil, nil, err
		}
		coll := float64(t.Collection)
		if t.Share <= coll/size {
			continue
		}
		t.Score = logLikelihood(float64(t.Count), n, coll, size)
		distinctive = append(distinctive, t)
	}
	slices.SortFunc(distinctive, func(a, b Term) int {
		return cmp.Or(cmp.Compare(b.Score, a.Score), strings.Compare(a.Key, b.Key))
	})
	return frequent, distinctive[:min(opts.Limit, len(distinctive))], nil
}

// estimate returns about how many articles of language l contain the
// term key: how many have the stem of its commonest spelling in the
// language's own text field, one look-up in each segment's term
// dictionary. For a name spelt several ways that is fewer than have the
// term, so the estimate ranks it higher, never lower, than its exact count
// will; the language's stemmer merging words the folding keeps apart is
// the rarer error the other way.
func (lk *lookup) estimate(l int, key string, tc *termCount) (uint64, error) {
	if got, ok := lk.remembered(key); ok {
		return got[l], nil
	}
	code := strings.ToLower(lk.tab.names[l])
	if _, ok := langAnalyzers[code]; !ok || code == "" {
		code = otherLang
	}
	an := lk.m.AnalyzerNamed(langAnalyzers[code])
	if an == nil {
		return 0, fmt.Errorf("no analyzer %s", langAnalyzers[code])
	}
	common := tc.forms[0]
	for _, f := range tc.forms[1:] {
		if f.n > common.n {
			common = f
		}
	}
	ts := an.Analyze([]byte(common.written))
	if len(ts) == 0 {
		return 0, nil // a stop word of the language's analyzer alone: the exact count decides
	}
	tfr, err := lk.r.TermFieldReader(lk.ctx, ts[0].Term, langField(fieldText, code), false, false, false)
	if err != nil {
		return 0, err
	}
	n := tfr.Count()
	return n, tfr.Close()
}

// exactCounts returns the number of articles of each language whose title
// or text has key, walking the two fields' postings side by side (both in
// the index's order) so that an article with it in both counts once.
// (Bleve's unadorned disjunction, which ORs them as bitmaps, was no
// faster: walking the result costs as much per article.)
func (lk *lookup) exactCounts(key string) ([]uint64, error) {
	if got, ok := lk.remembered(key); ok {
		return got, nil
	}
	if err := lk.ctx.Err(); err != nil {
		return nil, err
	}
	counts := make([]uint64, len(lk.tab.names))
	var tfrs [2]bindex.TermFieldReader
	var docs [2]bindex.TermFieldDoc
	var cur [2]*bindex.TermFieldDoc
	for i, field := range []string{fieldText, fieldTitle} {
		tfr, err := lk.r.TermFieldReader(lk.ctx, []byte(key), field, false, false, false)
		if err != nil {
			return nil, err
		}
		defer tfr.Close()
		tfrs[i] = tfr
		if cur[i], err = tfr.Next(&docs[i]); err != nil {
			return nil, err
		}
	}
	for cur[0] != nil || cur[1] != nil {
		var id bindex.IndexInternalID
		var advance [2]bool
		switch {
		case cur[1] == nil || cur[0] != nil && cur[0].ID.Compare(cur[1].ID) < 0:
			id, advance[0] = cur[0].ID, true
		case cur[0] == nil || cur[1].ID.Compare(cur[0].ID) < 0:
			id, advance[1] = cur[1].ID, true
		default:
			id, advance = cur[0].ID, [2]bool{true, true}
		}
		counts[lk.tab.of(id)]++
		for i := range cur {
			if advance[i] {
				var err error
				docs[i].ID = docs[i].ID[:0] // upsidedown appends to it
				if cur[i], err = tfrs[i].Next(&docs[i]); err != nil {
					return nil, err
				}
			}
		}
	}
	lk.remember(key, counts)
	return counts, nil
}

func (lk *lookup) remember(key string, counts []uint64) {
	lk.mu.Lock()
	lk.exact[key] = counts
	lk.mu.Unlock()
}

// spellings returns the most common spelling of a term and its others,
// most common first. Spellings differing only in case are one, shown as
// its most common case.
func spellings(words []*wordCount) (string, []string) {
	occ := map[string]int{}
	for _, w := range words {
		occ[w.written] += w.n
	}
	type form struct {
		shown     string
		shownN, n int
	}
	byLower := map[string]*form{}
	for s, n := range occ {
		lower := strings.ToLower(s)
		f := byLower[lower]
		if f == nil {
			f = &form{}
			byLower[lower] = f
		}
		f.n += n
		if n > f.shownN || n == f.shownN && s < f.shown {
			f.shown, f.shownN = s, n
		}
	}
	forms := make([]*form, 0, len(byLower))
	for _, f := range byLower {
		forms = append(forms, f)
	}
	slices.SortFunc(forms, func(a, b *form) int { return cmp.Or(cmp.Compare(b.n, a.n), strings.Compare(a.shown, b.shown)) })
	var others []string
	for _, f := range forms[1:min(len(forms), maxSpellings+1)] {
		others = append(others, strings.Clone(f.shown))
	}
	return strings.Clone(forms[0].shown), others
}
