package index

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/upsidedown"
	"github.com/blevesearch/bleve/v2/search/query"

	"presswatch/index/qparse"
	"presswatch/internal/model"
)

// Matcher decides at ingest which topics an article belongs to (for
// sources that keep only topic articles, and to record matches). A topic
// query means what it means in Search. It is safe for concurrent use, and
// Match calls run at the same time: each takes an in-memory index of its
// own (matchIndex) from the matcher's free list, puts the article in, runs
// the topics' queries restricted to it, deletes it and gives the index
// back. The topics' parsed queries are shared and only read.
type Matcher struct {
	ix     *Index // parses the topics and holds the options; never an article
	topics []topicQuery

	mu     sync.Mutex // guards free and closed, never held while matching
	free   []*matchIndex
	keep   int // how many free indexes are kept; the others are closed
	closed bool
}

// matchIndex is an in-memory index that one Match call at a time uses:
// upsidedown, as OpenMem's, on a store of its own (matcher_store.go).
type matchIndex struct {
	idx bleve.Index
	n   int // articles it took since it was made
}

// matcherRenew is how many articles a matchIndex takes before it is
// closed and an empty one of the same mapping takes its place. The
// index (upsidedown) keeps the dictionary row of every word of every
// field it was given, its count at zero, after the article is deleted (about 11 KB an article of a few hundred words). A new index
// drops them; it costs little, but not nothing, so it is made every so
// many articles.
const matcherRenew = 64

type topicQuery struct {
	id, query string
	p         *parsed
}

// NewMatcher checks every topic's query and returns a matcher for them.
// An error names the topic (and wraps a *QueryError for a bad query).
// opts are as for Open; WithSources makes stance:... work in topics.
// Close releases the matcher.
func NewMatcher(topics []model.Topic, opts ...Option) (*Matcher, error) {
	useMatchStore()
	ix, err := OpenMem(opts...)
	if err != nil {
		return nil, err
	}
	ix.configuredOnly = true
	m := &Matcher{ix: ix, keep: max(2, runtime.GOMAXPROCS(0))}
	seen := map[string]bool{}
	for _, t := range topics {
		switch {
		case t.ID == "":
			m.Close()
			return nil, fmt.Errorf("index: topic %q has no id", t.Name)
		case seen[t.ID]:
			m.Close()
			return nil, fmt.Errorf("index: topic %q: defined twice", t.ID)
		case t.Query == "":
			m.Close()
			return nil, fmt.Errorf("index: topic %q: empty query", t.ID)
		}
		seen[t.ID] = true
		p, err := ix.parseQuery(t.Query, qparse.OpOr) // as Search does: every language and spelling
		if err != nil {
			m.Close()
			return nil, &TopicError{ID: t.ID, Err: err}
		}
		m.topics = append(m.topics, topicQuery{t.ID, t.Query, p})
	}
	// Some mistakes (a bad regular expression) only show when a query
	// runs: run each once now rather than fail on every article later.
	if _, err := m.Match(&model.Article{Title: "presswatch", Text: "presswatch"}); err != nil {
		m.Close()
		return nil, err
	}
	return m, nil
}

// TopicError is a topic whose query cannot be used.
type TopicError struct {
	ID  string
	Err error
}

func (e *TopicError) Error() string { return fmt.Sprintf("index: topic %q: %v", e.ID, e.Err) }
func (e *TopicError) Unwrap() error { return e.Err }

// Match returns the ids of the topics whose query matches a, in the order
// the topics were given; none is an empty slice. a.ID need not be set.
func (m *Matcher) Match(a *model.Article) (_ []string, err error) {
	if a == nil {
		return nil, errors.New("index: match: nil article")
	}
	mi, err := m.take()
	if err != nil {
		return nil, err
	}
	ctx := context.Background()
	if err := m.ix.putInto(ctx, mi.idx, []*model.Article{a}); err != nil {
		m.drop(mi)
		return nil, err
	}
	defer func() {
		if derr := deleteFrom(mi.idx, []int64{a.ID}); derr != nil && err == nil {
			err = fmt.Errorf("index: match: delete article %d from the in-memory index: %w", a.ID, derr)
		}
		if mi.n++; err != nil || mi.n >= matcherRenew {
			m.drop(mi) // a failed index is not used again either
			return
		}
		m.give(mi)
	}()
	only := query.NewDocIDQuery([]string{docID(a.ID)})
	ids := []string{}
	var words []string // the article's, for the topics' patterns
	for _, t := range m.topics {
		q := t.p.q
		if t.p.patterns {
			// A pattern compiles to the words it matches: here those of
			// this article as the words field holds them.
			if words == nil {
				words = m.articleWords(a)
			}
			p, err := m.ix.compileWith(t.query, t.p.node, words)
			if err != nil {
				return nil, &TopicError{ID: t.id, Err: err}
			}
			q = p.q
		}
		// Not AddFilter: Bleve (v2.6.3) never closes a filter's searcher
		// (blevesearch/bleve#2384), and on the in-memory store an open
		// one pins the index as it was, with a goroutine, for good.
		bq := query.NewBooleanQuery([]query.Query{q, only}, nil, nil)
		sr := bleve.NewSearchRequestOptions(bq, 0, 0, false)
		sr.Score = bleve.ScoreNone
		res, err := mi.idx.SearchInContext(ctx, sr)
		if err != nil {
			return nil, &TopicError{ID: t.id, Err: err}
		}
		if res.Total > 0 {
			ids = append(ids, t.id)
		}
	}
	return ids, nil
}

// errMatcherClosed is Match's error after Close.
var errMatcherClosed = errors.New("index: match: the topic matcher is closed")

// take returns a free in-memory index, or a new empty one when none is
// free. Only the free list is locked, for as long as it takes to pop one.
func (m *Matcher) take() (*matchIndex, error) {
	m.mu.Lock()
	if m.closed {
		m.mu.Unlock()
		return nil, errMatcherClosed
	}
	if n := len(m.free); n > 0 {
		mi := m.free[n-1]
		m.free = m.free[:n-1]
		m.mu.Unlock()
		return mi, nil
	}
	m.mu.Unlock()
	idx, err := bleve.NewUsing("", m.ix.mapping(), upsidedown.Name, matchStoreName, nil)
	if err != nil {
		return nil, fmt.Errorf("index: match: make an in-memory index: %w", err)
	}
	return &matchIndex{idx: idx}, nil
}

// give puts mi, which holds no article, back on the free list, or closes
// it when the list is full or the matcher closed.
func (m *Matcher) give(mi *matchIndex) {
	m.mu.Lock()
	if !m.closed && len(m.free) < m.keep {
		m.free = append(m.free, mi)
		m.mu.Unlock()
		return
	}
	m.mu.Unlock()
	m.drop(mi)
}

// drop closes mi, freeing what it kept of the articles it was given.
func (m *Matcher) drop(mi *matchIndex) { _ = mi.idx.Close() }

// Close releases the matcher's in-memory indexes; one a Match call is
// using is closed when that call returns. It is safe to call twice.
func (m *Matcher) Close() error {
	m.mu.Lock()
	free := m.free
	m.free, m.closed = nil, true
	m.mu.Unlock()
	var errs []error
	for _, mi := range free {
		if err := mi.idx.Close(); err != nil {
			errs = append(errs, fmt.Errorf("index: match: close an in-memory index: %w", err))
		}
	}
	return errors.Join(append(errs, m.ix.Close())...)
}

// articleWords returns the distinct words of a's title, text and byline
// as the words field holds them.
func (m *Matcher) articleWords(a *model.Article) []string {
	an := m.ix.mapping().AnalyzerNamed(wordsAnalyzer)
	seen := map[string]bool{}
	words := []string{}
	for _, s := range []string{a.Title, a.Text, a.Author} {
		for _, t := range an.Analyze([]byte(s)) {
			if w := string(t.Term); !seen[w] {
				seen[w] = true
				words = append(words, w)
			}
		}
	}
	return words
}
