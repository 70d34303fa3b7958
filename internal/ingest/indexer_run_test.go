package ingest

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"presswatch/internal/model"
)

// countingIndex counts the batches it is given.
type countingIndex struct {
	mu      sync.Mutex
	batches int
	docs    int
}

func (c *countingIndex) Put(_ context.Context, arts []*model.Article) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.batches++
	c.docs += len(arts)
	return nil
}

func (c *countingIndex) Delete(context.Context, []int64) error { return nil }

func (c *countingIndex) counts() (batches, docs int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.batches, c.docs
}

// Articles stored one by one, each waking the indexer, are indexed in
// batches at most one an interval, not one by one: each batch is a
// segment the index has to merge later.
func TestIndexerBatchesArticlesStoredOneByOne(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, _, _, st := setup(t)
	ix := &countingIndex{}
	x := NewIndexer(st, ix, slog.New(slog.NewTextHandler(io.Discard, nil)))
	in := New(st, wordMatcher{}, x)
	const interval, articles = 200 * time.Millisecond, 60
	go x.Run(ctx, interval)
	start := time.Now()
	for i := range articles {
		if _, _, err := in.Put(ctx, all, doc(fmt.Sprintf("http://127.0.0.1/a%d", i), fmt.Sprintf("Strike in Zhanaozen, day %d", i))); err != nil {
			t.Fatal(err)
		}
	}
	stored := time.Since(start)
	deadline := time.Now().Add(20 * time.Second)
	for {
		if _, docs := ix.counts(); docs == articles {
			break
		}
		if time.Now().After(deadline) {
			_, docs := ix.counts()
			t.Fatalf("%d of %d articles indexed 20 s after they were stored", docs, articles)
		}
		time.Sleep(10 * time.Millisecond)
	}
	// A batch when the first is stored, then at most one an interval
	// while they are stored, and one for the rest.
	batches, _ := ix.counts()
	if limit := int(stored/interval) + 2; batches > limit {
		t.Errorf("%d articles stored in %s were indexed in %d batches; want at most %d (one each %s)", articles, stored.Round(time.Millisecond), batches, limit, interval)
	}
}
