package index

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"presswatch/index/qparse"
	"presswatch/internal/model"
)

// lockedMatcher is the topic matcher as it was (at 11ca536) before Match
// ran concurrently: one in-memory index under one lock, every Match in
// turn. It stays to check Matcher against (TestMatcherSameAsLocked) and
// to benchmark beside it (BenchmarkMatchers); only the names changed.
type lockedMatcher struct {
	mu     sync.Mutex
	ix     *Index
	topics []topicQuery
	n      int // articles the in-memory index took since it was made
}

// newLockedMatcher checks every topic's query and returns a matcher for them.
// An error names the topic (and wraps a *QueryError for a bad query).
// opts are as for Open; WithSources makes stance:... work in topics.
// Close releases the matcher.
func newLockedMatcher(topics []model.Topic, opts ...Option) (*lockedMatcher, error) {
	ix, err := OpenMem(opts...)
	if err != nil {
		return nil, err
	}
	ix.configuredOnly = true
	m := &lockedMatcher{ix: ix}
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

// Match returns the ids of the topics whose query matches a, in the order
// the topics were given; none is an empty slice. a.ID need not be set.
func (m *lockedMatcher) Match(a *model.Article) (_ []string, err error) {
	if a == nil {
		return nil, errors.New("index: match: nil article")
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	ctx := context.Background()
	if err := m.ix.Put(ctx, []*model.Article{a}); err != nil {
		return nil, err
	}
	defer func() {
		if derr := m.ix.Delete(ctx, []int64{a.ID}); err == nil {
			err = derr
		}
		if m.n++; m.n >= matcherRenew && err == nil {
			err = m.renew()
		}
	}()
	only := query.NewDocIDQuery([]string{docID(a.ID)})
	ids := []string{}
	var words []string // the article's, for the topics' patterns
	for _, t := range m.topics {
		q := t.p.q
		if t.p.patterns {
			// A pattern compiles to the words it matches: here those of
			// this article as the words field holds them (the in-memory
			// index's dictionary keeps the words of every article
			// matched before).
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
		m.ix.rw.RLock()
		res, err := m.ix.idx.SearchInContext(ctx, sr)
		m.ix.rw.RUnlock()
		if err != nil {
			return nil, &TopicError{ID: t.id, Err: err}
		}
		if res.Total > 0 {
			ids = append(ids, t.id)
		}
	}
	return ids, nil
}

// Close releases the matcher's in-memory index. It is safe to call twice.
func (m *lockedMatcher) Close() error { return m.ix.Close() }

// renew replaces the matcher's in-memory index, which holds no article
// between Match calls, with an empty one of the same mapping, freeing
// what the old one kept of the articles it was given. m.mu must be held.
func (m *lockedMatcher) renew() error {
	fresh, err := bleve.NewMemOnly(m.ix.mapping())
	if err != nil {
		return fmt.Errorf("index: match: renew the in-memory index: %w", err)
	}
	m.ix.mu.Lock()
	defer m.ix.mu.Unlock()
	if m.ix.closed { // Close ran while the article was matched
		return fresh.Close()
	}
	m.ix.rw.Lock()
	old := m.ix.idx
	m.ix.idx = fresh
	m.ix.rw.Unlock()
	m.n = 0
	if err := old.Close(); err != nil {
		return fmt.Errorf("index: match: close the old in-memory index: %w", err)
	}
	return nil
}

// articleWords returns the distinct words of a's title, text and byline
// as the words field holds them.
func (m *lockedMatcher) articleWords(a *model.Article) []string {
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
