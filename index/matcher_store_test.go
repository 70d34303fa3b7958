package index

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2/index/upsidedown/store/gtreap"
	store "github.com/blevesearch/upsidedown_store_api"
)

// appendMerge is a merge operator for the store tests: operands are
// appended to the value.
type appendMerge struct{}

func (appendMerge) FullMerge(_, was []byte, ops [][]byte) ([]byte, bool) {
	v := slices.Clone(was)
	for _, op := range ops {
		v = append(v, op...)
	}
	return v, true
}
func (appendMerge) PartialMerge(_, l, r []byte) ([]byte, bool) {
	return append(slices.Clone(l), r...), true
}
func (appendMerge) Name() string { return "append" }

// TestMatchStoreAsGtreap applies the same random batches of sets,
// deletes and merges to matchStore and to Bleve's gtreap store, and
// checks after each that every Get, prefix and range iteration, with
// Seeks, reads the same rows from both; and that a reader keeps the rows
// as they were when it was made.
func TestMatchStoreAsGtreap(t *testing.T) {
	ours, err := newMatchStore(appendMerge{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	theirs, err := gtreap.New(appendMerge{}, map[string]any{"path": ""})
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(5, 6))
	key := func() []byte { // few keys, sharing prefixes, some 0xff
		b := []byte{"abc\xff"[r.IntN(4)]}
		for range r.IntN(3) {
			b = append(b, "ab\xff"[r.IntN(3)])
		}
		return b
	}
	stores := []store.KVStore{ours, theirs}
	var first store.KVReader
	var firstRows [][2]string
	for round := range 200 {
		ops := make([]func(store.KVBatch), 0, 8)
		for range 1 + r.IntN(8) {
			k, v := key(), []byte(fmt.Sprint(r.IntN(100)))
			switch r.IntN(3) {
			case 0:
				ops = append(ops, func(b store.KVBatch) { b.Set(k, v) })
			case 1:
				ops = append(ops, func(b store.KVBatch) { b.Delete(k) })
			default:
				ops = append(ops, func(b store.KVBatch) { b.Merge(k, v) })
			}
		}
		for _, s := range stores {
			w, err := s.Writer()
			if err != nil {
				t.Fatal(err)
			}
			b := w.NewBatch()
			for _, op := range ops {
				op(b)
			}
			if err := w.ExecuteBatch(b); err != nil {
				t.Fatal(err)
			}
			w.Close()
		}
		ro, _ := ours.Reader()
		rt, _ := theirs.Reader()
		if round == 0 {
			first, firstRows = ro, scan(ro.RangeIterator(nil, nil), nil)
		}
		for range 20 {
			k := key()
			vo, _ := ro.Get(k)
			vt, _ := rt.Get(k)
			if !bytes.Equal(vo, vt) || (vo == nil) != (vt == nil) {
				t.Fatalf("round %d: Get(%q) = %q, gtreap %q", round, k, vo, vt)
			}
			p, seek := key()[:1], key()
			if o, g := scan(ro.PrefixIterator(p), seek), scan(rt.PrefixIterator(p), seek); !slices.Equal(o, g) {
				t.Fatalf("round %d: prefix %q, seek %q: %q, gtreap %q", round, p, seek, o, g)
			}
			lo, hi := key(), key()
			if r.IntN(4) == 0 {
				hi = nil
			}
			if o, g := scan(ro.RangeIterator(lo, hi), seek), scan(rt.RangeIterator(lo, hi), seek); !slices.Equal(o, g) {
				t.Fatalf("round %d: range %q-%q, seek %q: %q, gtreap %q", round, lo, hi, seek, o, g)
			}
		}
		ro.Close()
		rt.Close()
	}
	if again := scan(first.RangeIterator(nil, nil), nil); !slices.Equal(again, firstRows) {
		t.Errorf("the first reader's rows changed under later batches: %q, then %q", firstRows, again)
	}
}

// scan reads every row of it, from the start, and, when seek is set,
// every row again from Seek(seek).
func scan(it store.KVIterator, seek []byte) [][2]string {
	defer it.Close()
	var out [][2]string
	for ; it.Valid(); it.Next() {
		k, v, _ := it.Current()
		out = append(out, [2]string{string(k), string(v)})
	}
	if seek != nil {
		out = append(out, [2]string{"seek", string(seek)})
		for it.Seek(seek); it.Valid(); it.Next() {
			out = append(out, [2]string{string(it.Key()), string(it.Value())})
		}
	}
	return out
}
