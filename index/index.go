package index

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime/debug"
	"sync"
	"sync/atomic"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"
	bolterrors "go.etcd.io/bbolt/errors"

	"presswatch/internal/model"
)

// Index is the search index. It is safe for concurrent use.
type Index struct {
	// rw guards idx and shadow: searches and writes hold it for reading,
	// the swap at the end of a rebuild for writing.
	rw      sync.RWMutex
	idx     bleve.Index
	shadow  bleve.Index // the generation a rebuild is filling; nil if none
	dir     string      // "" when in memory
	stances map[string]model.Stance
	// live guards aliases and topics, which SetTopics replaces while
	// searches read them (topics_live.go).
	live    sync.RWMutex
	aliases *aliasTable // nil: no alias groups
	topics  []string    // the configured topics' ids (WithTopics)
	// configuredOnly checks keyword values against the configured
	// sources and topics only: a Matcher's index holds one article.
	configuredOnly bool
	stale          bool // built with another mapping
	// opened is the mapping version Open found recorded in the index
	// ("" if none): while it is stale, searches ask of it only what
	// that version has (features).
	opened   string
	created  bool  // Open made it: it holds nothing yet
	readOnly error // why Open opened it for searching only; nil if writable
	// maxPatternWords and maxExpansion bound the expansion of one word
	// of a query (expansion.go); newIndex sets the defaults.
	maxPatternWords, maxExpansion int
	// changes counts the writes to the index (every Put and Delete, a
	// rebuild's swap): near's misspellings hold while it stays the same.
	changes atomic.Uint64
	near    nearCache

	mu     sync.Mutex
	closed bool
}

// Option configures Open, OpenMem, Rebuild and NewMatcher.
type Option func(*Index)

// WithSources tells the index each source's stance. Articles carry only a
// source id, and the stance field is filled from this table when they are
// indexed; a source missing from it (or no WithSources at all) gives
// "unknown". A changed stance reaches old articles only by Rebuild.
func WithSources(sources []model.Source) Option {
	return func(ix *Index) {
		for _, s := range sources {
			ix.stances[s.ID] = s.Stance
		}
	}
}

// WithAliases gives the alias groups of the topics: a query for any
// member of a group also finds the others ("Zhanaozen" finds "Новый
// Узень").
func WithAliases(groups [][]string) Option {
	return func(ix *Index) { ix.aliases = newAliasTable(groups) }
}

// WithTopics gives the ids of the configured topics, so a query's
// topic:value is checked against them (and the topics the index holds)
// even before any article matched.
func WithTopics(ids []string) Option {
	return func(ix *Index) { ix.topics = append(ix.topics, ids...) }
}

func newIndex(idx bleve.Index, dir string, opts []Option) *Index {
	ix := &Index{idx: idx, dir: dir, stances: map[string]model.Stance{},
		maxPatternWords: maxPatternWords, maxExpansion: maxExpansion}
	for _, o := range opts {
		o(ix)
	}
	return ix
}

// Open opens the index in dir, creating it (scorch, on disk) when dir does
// not exist or is empty. Once it holds the index (another process holding
// it gets an "in use" error and changes nothing), it tidies what an
// interrupted rebuild left beside dir (see Rebuild). Close must be called,
// also after errors in other methods; it is safe to call twice.
//
// When the folder holding dir cannot be written (a read-only file system
// or permissions), Open opens the index there for searching only and
// changes nothing on disk; ReadOnly says why, and writes fail.
func Open(dir string, opts ...Option) (*Index, error) {
	if err := writableDir(filepath.Dir(dir)); err != nil {
		return openReadOnly(dir, err, opts)
	}
	if err := relink(dir); err != nil {
		return nil, fmt.Errorf("index: open %s: %w", dir, err)
	}
	empty, err := isEmptyDir(dir)
	if err != nil {
		return nil, fmt.Errorf("index: open %s: %w", dir, err)
	}
	open := openExisting
	if empty {
		open = create
	}
	idx, err := open(dir)
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, fmt.Errorf("index: open %s: %w", dir, ErrInUse)
	}
	if err != nil {
		return nil, fmt.Errorf("index: open %s: %w", dir, err)
	}
	ix := newIndex(idx, dir, opts)
	ix.created = empty
	ix.recordVersion()
	if err := tidy(dir); err != nil {
		ix.Close()
		return nil, fmt.Errorf("index: open %s: %w", dir, err)
	}
	return ix, nil
}

// openReadOnly opens the index in dir for searching only, as Open does
// when why says its folder cannot be written.
func openReadOnly(dir string, why error, opts []Option) (*Index, error) {
	if empty, err := isEmptyDir(dir); err != nil || empty {
		return nil, fmt.Errorf("index: open %s: there is no index, and none can be made: %w", dir, why)
	}
	idx, err := bleve.OpenUsing(dir, map[string]any{"read_only": true, "bolt_timeout": lockWait})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, fmt.Errorf("index: open %s: %w", dir, ErrInUse)
	}
	if err != nil {
		return nil, fmt.Errorf("index: open %s read-only: %w", dir, err)
	}
	ix := newIndex(idx, dir, opts)
	ix.readOnly = why
	ix.recordVersion()
	return ix, nil
}

// recordVersion reads the mapping version the opened index records, and
// marks the index stale when it is not this presswatch's.
func (ix *Index) recordVersion() {
	v, err := ix.idx.GetInternal([]byte("mapping_version"))
	if err != nil {
		v = nil // an unreadable version is an unknown one
	}
	ix.opened = string(v)
	ix.stale = ix.opened != mappingVersion
}

// features are what an index of one mapping version holds that searches
// rely on.
type features struct {
	states    bool // the state field: state= and state: (mapping 8)
	stories   bool // the cluster field: collapse=story (mapping 8)
	facetKeys bool // the facet keys (facetkey.go), which replaced day and seen_day (mapping 9-queries-facet-key)
}

// versionFeatures are the features of each mapping version since the
// state field came. An index of another version (older, unknown or
// unrecorded) has none of them: its facets and timeline are counted field
// by field from day and seen_day, and states and stories are refused
// until it is rebuilt. When mappingVersion changes, the version it
// replaces goes here with what it has, so that an index of it, being
// rebuilt, keeps answering with all of that.
var versionFeatures = map[string]features{
	"8-state-cluster":     {states: true, stories: true},
	"9-queries":           {states: true, stories: true},
	"9-queries-facet-key": {states: true, stories: true, facetKeys: true},
	mappingVersion:        {states: true, stories: true, facetKeys: true}, // this presswatch's
}

// has returns the features of the index searches run on now: those of
// the version Open found while the index is stale, this mapping's once it
// was made or rebuilt by this presswatch.
func (ix *Index) has() features {
	ix.rw.RLock()
	defer ix.rw.RUnlock()
	if !ix.stale {
		return versionFeatures[mappingVersion]
	}
	return versionFeatures[ix.opened]
}

// ReadOnly is nil when the index can be written, or else why not: Open
// found its folder read-only and opened it for searching only.
func (ix *Index) ReadOnly() error { return ix.readOnly }

// writableDir is nil when a file can be made (and removed) in dir.
func writableDir(dir string) error {
	f, err := os.CreateTemp(dir, ".presswatch-write-check-*")
	if errors.Is(err, os.ErrNotExist) {
		return nil // made by Open
	}
	if err != nil {
		return err
	}
	f.Close()
	return os.Remove(f.Name())
}

// mapping is the index's mapping (its analyzers).
func (ix *Index) mapping() mapping.IndexMapping {
	ix.rw.RLock()
	defer ix.rw.RUnlock()
	return ix.idx.Mapping()
}

// Created reports whether Open made a new, empty index because dir held
// none: whatever the store thought was indexed must be indexed again.
func (ix *Index) Created() bool { return ix.created }

// Stale reports whether the index was built with another mapping than
// this presswatch's: searches still run, but only Rebuild makes them find
// what this version would.
func (ix *Index) Stale() bool {
	ix.rw.RLock()
	defer ix.rw.RUnlock()
	return ix.stale
}

// ErrInUse is Open's error when another process holds the index: a crawl,
// an import or a reindex run alone, or a serve, which answers the commands
// that need the index itself (see presswatch's local API).
var ErrInUse = errors.New("in use by another presswatch process")

// lockWait is how long Open waits for another process to release the index.
const lockWait = "3s"

// openExisting opens an index on disk, giving up after lockWait when
// another process holds it, rather than waiting for ever.
func openExisting(dir string) (bleve.Index, error) {
	return bleve.OpenUsing(dir, map[string]any{"bolt_timeout": lockWait})
}

// create makes a new index in dir and records which mapping it has.
func create(dir string) (bleve.Index, error) {
	m, err := newMapping()
	if err != nil {
		return nil, err
	}
	idx, err := bleve.New(dir, m)
	if err != nil {
		return nil, err
	}
	if err := idx.SetInternal([]byte("mapping_version"), []byte(mappingVersion)); err != nil {
		_ = idx.Close()
		return nil, err
	}
	return idx, nil
}

// OpenMem returns an empty index held in memory, for tests and the topic
// matcher. Close releases it. It uses Bleve's in-memory store (upsidedown),
// which reclaims deleted documents, unlike in-memory scorch; its regexp
// queries run on Go's regexp, which accepts a few (\b, lazy x*?) that the
// on-disk index refuses with a *QueryError.
func OpenMem(opts ...Option) (*Index, error) {
	m, err := newMapping()
	if err != nil {
		return nil, fmt.Errorf("index: mapping: %w", err)
	}
	idx, err := bleve.NewMemOnly(m)
	if err != nil {
		return nil, fmt.Errorf("index: open in memory: %w", err)
	}
	return newIndex(idx, "", opts), nil
}

// Close closes the index. It is safe to call more than once; later calls
// return nil.
func (ix *Index) Close() error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.closed {
		return nil
	}
	ix.closed = true
	ix.rw.Lock()
	defer ix.rw.Unlock()
	if err := ix.idx.Close(); err != nil {
		return fmt.Errorf("index: close %s: %w", ix.name(), err)
	}
	return nil
}

func (ix *Index) name() string {
	if ix.dir == "" {
		return "(memory)"
	}
	return ix.dir
}

// Put indexes arts, replacing any article already indexed under the same
// id, in Bleve batches of at most batchTextBound bytes of text each (see
// textBatches). Callers send a few hundred at a time. Articles the store
// has removed should be Deleted instead. During a rebuild the articles go
// into the generation being built as well. An error can leave the batches
// before it indexed: putting the same articles again is harmless.
func (ix *Index) Put(ctx context.Context, arts []*model.Article) error {
	ix.rw.RLock()
	defer ix.rw.RUnlock()
	defer ix.changes.Add(1) // after the write, even a failed one
	if err := ix.putInto(ctx, ix.idx, arts); err != nil {
		return err
	}
	if ix.shadow != nil {
		return ix.putInto(ctx, ix.shadow, arts)
	}
	return nil
}

// batchTextShare sets how much text one Bleve batch may hold: a
// batchTextShare-th of the Go runtime's soft memory limit, 1 MiB under
// presswatch's own 320 MiB.
//
// Bleve analyses a whole batch, and builds its segment, in memory. With
// presswatch's three analyses of each text (language and fold with
// positions, the words as written) that was about 90 times the text: a
// batch of 500 real news pages (5.4 KB of text on average) held 250 MB
// live at the end of a crawl (heap profiles of the crawl, each second),
// which took the heap to the soft limit and kept the collector running.
// Cut at 1 MiB, the real-page ingest section's crawl spent 18.9 ms
// (18.2-19.7) of CPU an article against 24.6 (21.8-25.0), and peaked at
// 386 MiB resident against 454 (3 runs each, the same hour, extraction
// unchanged; 512 KiB gave 19.5 ms, 1.5 MiB 20.1). The section at bd9d4f1
// gave 18.8 ms (18.4-19.8) and 385 MiB.
//
// The cut costs merges: Bleve merges the smaller segments again. Under
// presswatch's settings (320 MiB, GOGC=400) BenchmarkIndexing ran 306-311
// articles a second cut at 1 MiB against 227-247 uncut; with no limit,
// 304-320 cut against 375-387 uncut, a loss with no memory to save. So
// with no soft limit (a test or a program of its own, or GOMEMLIMIT=off)
// batches are not cut, and a larger limit cuts them larger.
const batchTextShare = 320

// minBatchText is the least text batchTextBound allows a batch under a
// limit, however small.
const minBatchText = 64 << 10

// batchTextBound is the most text (title, text and byline, in bytes) a
// Bleve batch holds under the soft memory limit in force; 0, no bound,
// when there is none.
func batchTextBound() int {
	limit := debug.SetMemoryLimit(-1) // reads it
	if limit == math.MaxInt64 {
		return 0
	}
	return int(max(limit/batchTextShare, minBatchText))
}

// textBatches cuts arts, in order, into runs of at most limit bytes of
// text each; an article longer than limit is a batch of its own. A limit
// of 0 or less is none: one batch.
func textBatches(arts []*model.Article, limit int) [][]*model.Article {
	if limit <= 0 {
		limit = math.MaxInt
	}
	var out [][]*model.Article
	start, size := 0, 0
	for i, a := range arts {
		n := len(a.Title) + len(a.Text) + len(a.Author)
		if i > start && size+n > limit {
			out = append(out, arts[start:i:i])
			start, size = i, 0
		}
		size += n
	}
	if start < len(arts) {
		out = append(out, arts[start:])
	}
	return out
}

func (ix *Index) putInto(ctx context.Context, idx bleve.Index, arts []*model.Article) error {
	for i, a := range arts {
		if a == nil {
			return fmt.Errorf("index: put: article %d of %d is nil", i, len(arts))
		}
	}
	done := 0
	for _, batch := range textBatches(arts, batchTextBound()) {
		if err := ix.putBatch(ctx, idx, batch); err != nil {
			return fmt.Errorf("index: put %d articles (%d indexed before): %w", len(arts), done, err)
		}
		done += len(batch)
	}
	return nil
}

// putBatch indexes arts in one Bleve batch.
func (ix *Index) putBatch(ctx context.Context, idx bleve.Index, arts []*model.Article) error {
	b := idx.NewBatch()
	for _, a := range arts {
		stance, ok := ix.stances[a.SourceID]
		if !ok {
			stance = model.StanceUnknown
		}
		if err := b.Index(docID(a.ID), document(a, stance)); err != nil {
			return fmt.Errorf("article %d: %w", a.ID, err)
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := idx.Batch(b); err != nil {
		return fmt.Errorf("%d of them into %s: %w", len(arts), ix.name(), err)
	}
	return nil
}

// Delete removes the articles with these ids; ids not in the index are
// ignored.
func (ix *Index) Delete(ctx context.Context, ids []int64) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("index: delete %d articles: %w", len(ids), err)
	}
	ix.rw.RLock()
	defer ix.rw.RUnlock()
	defer ix.changes.Add(1)
	if err := deleteFrom(ix.idx, ids); err != nil {
		return fmt.Errorf("index: delete %d articles from %s: %w", len(ids), ix.name(), err)
	}
	if ix.shadow != nil {
		return deleteFrom(ix.shadow, ids)
	}
	return nil
}

func deleteFrom(idx bleve.Index, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	b := idx.NewBatch()
	for _, id := range ids {
		b.Delete(docID(id))
	}
	return idx.Batch(b)
}

// Count returns how many articles the index holds.
func (ix *Index) Count() (uint64, error) {
	ix.rw.RLock()
	defer ix.rw.RUnlock()
	n, err := ix.idx.DocCount()
	if err != nil {
		return 0, fmt.Errorf("index: count %s: %w", ix.name(), err)
	}
	return n, nil
}

// isEmptyDir reports whether dir is missing or an empty directory.
func isEmptyDir(dir string) (bool, error) {
	ents, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return true, nil
	}
	return err == nil && len(ents) == 0, err
}
