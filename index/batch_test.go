package index

import (
	"context"
	"math"
	"runtime/debug"
	"slices"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"

	"presswatch/internal/model"
)

func sized(id int64, n int) *model.Article {
	return &model.Article{ID: id, SourceID: "bbc", Lang: "en", URL: "https://example.com/" + docID(id),
		Title: "t", Text: strings.Repeat("w", n-1)}
}

// TestTextBatches: the cut is exact, keeps the order, and gives an
// article over the limit a batch of its own.
func TestTextBatches(t *testing.T) {
	ids := func(bs [][]*model.Article) [][]int64 {
		var out [][]int64
		for _, b := range bs {
			var ids []int64
			for _, a := range b {
				ids = append(ids, a.ID)
			}
			out = append(out, ids)
		}
		return out
	}
	byline := sized(6, 1) // 50 bytes in all, 49 of them the byline's
	byline.Author = strings.Repeat("a", 49)
	arts := []*model.Article{sized(1, 40), sized(2, 60), sized(3, 1), sized(4, 250), sized(5, 60), byline}
	for _, tc := range []struct {
		limit int
		want  [][]int64
	}{
		{100, [][]int64{{1, 2}, {3}, {4}, {5}, {6}}},
		{101, [][]int64{{1, 2, 3}, {4}, {5}, {6}}},
		{1000, [][]int64{{1, 2, 3, 4, 5, 6}}},
		{1, [][]int64{{1}, {2}, {3}, {4}, {5}, {6}}},
		{0, [][]int64{{1, 2, 3, 4, 5, 6}}},
	} {
		if got := ids(textBatches(arts, tc.limit)); !slices.EqualFunc(got, tc.want, slices.Equal) {
			t.Errorf("limit %d: batches %v, want %v", tc.limit, got, tc.want)
		}
	}
	for _, limit := range []int{100, 0} {
		if got := textBatches(nil, limit); got != nil {
			t.Errorf("no articles, limit %d: %v batches", limit, got)
		}
	}
}

// bleveIndex names bleve.Index for embedding: embedded as bleve.Index, its
// field would be named Index and hide the method of that name.
type bleveIndex = bleve.Index

// countingIndex counts the Bleve batches put into it.
type countingIndex struct {
	bleveIndex
	batches, docs int
	after         func() // if set, called after each batch
}

func (c *countingIndex) Batch(b *bleve.Batch) error {
	c.batches++
	c.docs += b.Size()
	err := c.bleveIndex.Batch(b)
	if c.after != nil {
		c.after()
	}
	return err
}

// withMemoryLimit runs the test under the soft memory limit limit.
func withMemoryLimit(t *testing.T, limit int64) {
	t.Helper()
	old := debug.SetMemoryLimit(limit)
	t.Cleanup(func() { debug.SetMemoryLimit(old) })
}

// TestBatchTextBound: a 320th of the soft memory limit, at least 64 KiB,
// and no bound without a limit.
func TestBatchTextBound(t *testing.T) {
	for _, tc := range []struct {
		limit int64
		want  int
	}{
		{320 << 20, 1 << 20},
		{4 << 30, 4 << 30 / 320},
		{1 << 20, 64 << 10},
		{math.MaxInt64, 0},
	} {
		withMemoryLimit(t, tc.limit)
		if got := batchTextBound(); got != tc.want {
			t.Errorf("limit %d: bound %d, want %d", tc.limit, got, tc.want)
		}
	}
}

// longArticles returns an empty index in memory, closed when the test
// ends, and six articles of 0.4 MiB of text each: two fit in a batch
// under presswatch's 320 MiB limit.
func longArticles(t *testing.T) (*Index, []*model.Article) {
	t.Helper()
	ix, err := OpenMem(WithSources(testSources))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ix.Close() })
	var arts []*model.Article
	for i := range 6 {
		arts = append(arts, sized(int64(100+i), 4<<20/10))
	}
	return ix, arts
}

// TestPutBoundsBatchText: under presswatch's soft memory limit, Put cuts
// what it is given into Bleve batches of at most 1 MiB of text, and
// indexes all of it (six texts of 0.4 MiB go two to a batch); with no
// limit, it puts them in one.
func TestPutBoundsBatchText(t *testing.T) {
	for _, tc := range []struct {
		limit   int64
		batches int
	}{{320 << 20, 3}, {math.MaxInt64, 1}} {
		withMemoryLimit(t, tc.limit)
		ix, arts := longArticles(t)
		c := &countingIndex{bleveIndex: ix.idx}
		if err := ix.putInto(context.Background(), c, arts); err != nil {
			t.Fatal(err)
		}
		if c.batches != tc.batches || c.docs != 6 {
			t.Errorf("limit %d: %d articles in %d batches, want 6 in %d", tc.limit, c.docs, c.batches, tc.batches)
		}
		if n, err := ix.idx.DocCount(); err != nil || n != 6 {
			t.Errorf("limit %d: index holds %d documents (%v), want 6", tc.limit, n, err)
		}
	}
}

// TestPutCutShortThenAgain: a Put cancelled after its first batch says
// how far it got and leaves that batch indexed; the same Put again
// indexes every article once.
func TestPutCutShortThenAgain(t *testing.T) {
	withMemoryLimit(t, 320<<20)
	ix, arts := longArticles(t)
	ctx, cancel := context.WithCancel(context.Background())
	c := &countingIndex{bleveIndex: ix.idx, after: cancel}
	err := ix.putInto(ctx, c, arts)
	if err == nil || !strings.Contains(err.Error(), "put 6 articles (2 indexed before)") {
		t.Fatalf("cancelled after the first batch: %v, want the count done", err)
	}
	if n, _ := ix.idx.DocCount(); n != 2 {
		t.Errorf("after the cancel: %d documents, want the first batch's 2", n)
	}
	if err := ix.Put(context.Background(), arts); err != nil {
		t.Fatal(err)
	}
	if n, _ := ix.idx.DocCount(); n != 6 {
		t.Errorf("put again: %d documents, want 6", n)
	}
}
