package index

import (
	"context"
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
	sizes := func(bs [][]*model.Article) [][]int64 {
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
	arts := []*model.Article{sized(1, 40), sized(2, 60), sized(3, 1), sized(4, 250), sized(5, 50), sized(6, 50)}
	for _, tc := range []struct {
		limit int
		want  [][]int64
	}{
		{100, [][]int64{{1, 2}, {3}, {4}, {5, 6}}},
		{101, [][]int64{{1, 2, 3}, {4}, {5, 6}}},
		{1000, [][]int64{{1, 2, 3, 4, 5, 6}}},
		{1, [][]int64{{1}, {2}, {3}, {4}, {5}, {6}}},
	} {
		if got := sizes(textBatches(arts, tc.limit)); !slices.EqualFunc(got, tc.want, slices.Equal) {
			t.Errorf("limit %d: batches %v, want %v", tc.limit, got, tc.want)
		}
	}
	if got := textBatches(nil, 100); got != nil {
		t.Errorf("no articles: %v batches", got)
	}
}

// bleveIndex names bleve.Index for embedding: embedded as bleve.Index, its
// field would be named Index and hide the method of that name.
type bleveIndex = bleve.Index

// countingIndex counts the Bleve batches put into it.
type countingIndex struct {
	bleveIndex
	batches, docs int
}

func (c *countingIndex) Batch(b *bleve.Batch) error {
	c.batches++
	c.docs += b.Size()
	return c.bleveIndex.Batch(b)
}

// TestPutBoundsBatchText: Put cuts what it is given into Bleve batches of
// at most maxBatchText bytes of text, and indexes all of it: six texts of
// 0.4 maxBatchText go two to a batch.
func TestPutBoundsBatchText(t *testing.T) {
	ix, err := OpenMem(WithSources(testSources))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	var arts []*model.Article
	for i := range 6 {
		arts = append(arts, sized(int64(100+i), maxBatchText*4/10))
	}
	c := &countingIndex{bleveIndex: ix.idx}
	if err := ix.putInto(context.Background(), c, arts); err != nil {
		t.Fatal(err)
	}
	if c.batches != 3 || c.docs != 6 {
		t.Errorf("%d articles in %d batches, want 6 in 3", c.docs, c.batches)
	}
	if n, err := ix.idx.DocCount(); err != nil || n != 6 {
		t.Errorf("index holds %d documents (%v), want 6", n, err)
	}
}
