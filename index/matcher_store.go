package index

import (
	"bytes"
	"fmt"
	"slices"
	"sort"
	"sync"

	"github.com/blevesearch/bleve/v2/registry"
	store "github.com/blevesearch/upsidedown_store_api"
)

// matchStoreName is the Bleve key-value store of a matchIndex: a sorted
// slice in memory, whose iterators are plain loops.
//
// Bleve's in-memory store (gtreap) runs every iterator as a goroutine
// that hands each row over a channel, and restarts it on every Seek: one
// Match of BenchmarkMatchers made 19 goroutines (3 now), and every row a
// term reader read parked the Match and woke it. Under load those
// wake-ups crowded the run queues that a request's goroutine, woken by
// the network, waits in (in a trace of serve under the load section's
// clients, goroutines waiting in gtreap's Iterator.Close alone were 13 %
// of the time goroutines spent ready to run; BENCHMARKS.md, the load
// section).
//
// The store is the only thing that differs from OpenMem's: the index
// above it (upsidedown) and the rows it writes are the same, so a topic
// query finds what it found (TestMatcherSameAsLocked).
const matchStoreName = "presswatch-match"

var registerMatchStore sync.Once

// useMatchStore registers the store with Bleve, once, before the first
// matcher's index asks for it by name (not in init: no package global
// changes at start-up). Bleve's registry is a plain map: presswatch reads
// it from other goroutines only through NewMatcher, which calls this first.
func useMatchStore() {
	registerMatchStore.Do(func() {
		if err := registry.RegisterKVStore(matchStoreName, newMatchStore); err != nil {
			panic(err) // the name is presswatch's own: registered twice is a bug
		}
	})
}

// matchStore is a key-value store in memory: the rows sorted by key in a
// slice that a batch replaces whole, so a reader holds the rows as they
// were when it was made. Writes are serialised; a matchIndex has one
// writer at a time anyway.
type matchStore struct {
	mo store.MergeOperator

	mu   sync.Mutex
	rows []matchRow // sorted by key; never changed once published
}

type matchRow struct{ k, v []byte }

func newMatchStore(mo store.MergeOperator, _ map[string]any) (store.KVStore, error) {
	return &matchStore{mo: mo}, nil
}

func (s *matchStore) Close() error { return nil }

func (s *matchStore) Reader() (store.KVReader, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return matchReader{rows: s.rows}, nil
}

func (s *matchStore) Writer() (store.KVWriter, error) { return matchWriter{s}, nil }

// find is the index of the first row of rows whose key is at least k.
func find(rows []matchRow, k []byte) int {
	return sort.Search(len(rows), func(i int) bool { return bytes.Compare(rows[i].k, k) >= 0 })
}

type matchReader struct{ rows []matchRow }

func (r matchReader) Get(k []byte) ([]byte, error) {
	if i := find(r.rows, k); i < len(r.rows) && bytes.Equal(r.rows[i].k, k) {
		return bytes.Clone(r.rows[i].v), nil
	}
	return nil, nil
}

func (r matchReader) MultiGet(keys [][]byte) ([][]byte, error) {
	out := make([][]byte, len(keys))
	for i, k := range keys {
		out[i], _ = r.Get(k)
	}
	return out, nil
}

func (r matchReader) PrefixIterator(prefix []byte) store.KVIterator {
	it := &matchIterator{rows: r.rows, prefix: prefix}
	it.at = find(r.rows, prefix)
	return it
}

func (r matchReader) RangeIterator(start, end []byte) store.KVIterator {
	it := &matchIterator{rows: r.rows, start: start, end: end}
	it.at = find(r.rows, start)
	return it
}

func (r matchReader) Close() error { return nil }

// matchIterator walks rows from at, within prefix or [start, end) as
// gtreap's iterator does, Seek included.
type matchIterator struct {
	rows               []matchRow
	at                 int
	prefix, start, end []byte
}

func (it *matchIterator) Seek(k []byte) {
	if it.start != nil && bytes.Compare(k, it.start) < 0 {
		k = it.start
	}
	if it.prefix != nil && !bytes.HasPrefix(k, it.prefix) {
		if bytes.Compare(k, it.prefix) < 0 {
			k = it.prefix
		} else {
			k = prefixEnd(it.prefix)
			if k == nil { // the prefix is all 0xff: nothing follows it
				it.at = len(it.rows)
				return
			}
		}
	}
	it.at = find(it.rows, k)
}

// prefixEnd is the first key after every key starting with prefix, nil
// when there is none.
func prefixEnd(prefix []byte) []byte {
	for i := len(prefix) - 1; i >= 0; i-- {
		if prefix[i] < 0xff {
			end := slices.Clone(prefix[:i+1])
			end[i]++
			return end
		}
	}
	return nil
}

func (it *matchIterator) Next() {
	if it.at < len(it.rows) {
		it.at++
	}
}

func (it *matchIterator) Current() ([]byte, []byte, bool) {
	if it.at >= len(it.rows) {
		return nil, nil, false
	}
	row := it.rows[it.at]
	if it.prefix != nil && !bytes.HasPrefix(row.k, it.prefix) || it.end != nil && bytes.Compare(row.k, it.end) >= 0 {
		return nil, nil, false
	}
	return row.k, row.v, true
}

func (it *matchIterator) Key() []byte   { k, _, _ := it.Current(); return k }
func (it *matchIterator) Value() []byte { _, v, _ := it.Current(); return v }
func (it *matchIterator) Valid() bool   { _, _, ok := it.Current(); return ok }
func (it *matchIterator) Close() error  { it.rows = nil; return nil }

type matchWriter struct{ s *matchStore }

func (w matchWriter) NewBatch() store.KVBatch { return store.NewEmulatedBatch(w.s.mo) }

func (w matchWriter) NewBatchEx(o store.KVBatchOptions) ([]byte, store.KVBatch, error) {
	return make([]byte, o.TotalBytes), w.NewBatch(), nil
}

func (w matchWriter) Close() error { return nil }

// ExecuteBatch applies the batch as gtreap does: first every key's
// merges onto the value before the batch, then the sets and deletes in
// their order; and publishes the new rows at once.
func (w matchWriter) ExecuteBatch(b store.KVBatch) error {
	eb, ok := b.(*store.EmulatedBatch)
	if !ok {
		return fmt.Errorf("index: match store: a batch of type %T", b)
	}
	s := w.s
	s.mu.Lock()
	defer s.mu.Unlock()
	old := matchReader{rows: s.rows}
	changed := make(map[string][]byte, len(eb.Merger.Merges)+len(eb.Ops)) // nil: deleted
	for k, ops := range eb.Merger.Merges {
		var was []byte
		if i := find(old.rows, []byte(k)); i < len(old.rows) && string(old.rows[i].k) == k {
			was = old.rows[i].v
		}
		v, ok := s.mo.FullMerge([]byte(k), was, ops)
		if !ok {
			return fmt.Errorf("index: match store: the merge of %q failed", k)
		}
		if v == nil {
			v = []byte{} // a merged row exists, empty or not
		}
		changed[k] = v
	}
	for _, op := range eb.Ops {
		changed[string(op.K)] = op.V
	}
	keys := make([]string, 0, len(changed))
	for k := range changed {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	rows := make([]matchRow, 0, len(old.rows)+len(keys))
	i := 0
	for _, k := range keys {
		for i < len(old.rows) && string(old.rows[i].k) < k {
			rows = append(rows, old.rows[i])
			i++
		}
		if i < len(old.rows) && string(old.rows[i].k) == k {
			i++ // replaced or deleted
		}
		if v := changed[k]; v != nil {
			rows = append(rows, matchRow{[]byte(k), v})
		}
	}
	s.rows = append(rows, old.rows[i:]...)
	return nil
}
