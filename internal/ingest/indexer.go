package ingest

import (
	"context"
	"log/slog"
	"time"

	"presswatch/internal/model"
	"presswatch/internal/store"
)

// Index is what the Indexer feeds: index.Index satisfies it.
type Index interface {
	Put(ctx context.Context, arts []*model.Article) error
	Delete(ctx context.Context, ids []int64) error
}

// BatchSize is how many articles go into one index batch.
const BatchSize = 500

// Indexer brings the index up to date with the store, in batches.
type Indexer struct {
	store *store.Store
	index Index
	log   *slog.Logger
	wake  chan struct{}
	now   func() time.Time
}

// NewIndexer returns an Indexer feeding ix from st.
func NewIndexer(st *store.Store, ix Index, log *slog.Logger) *Indexer {
	return &Indexer{store: st, index: ix, log: log, wake: make(chan struct{}, 1), now: time.Now}
}

// Wake asks a running Indexer to look for work soon. It never blocks and is
// safe on a nil Indexer.
func (x *Indexer) Wake() {
	if x == nil {
		return
	}
	select {
	case x.wake <- struct{}{}:
	default:
	}
}

// Drain removes from the index the articles deleted from the store, then
// indexes every article whose current text the index lacks, and returns
// how many it indexed: every article stored before it started, and those
// stored while it runs up to the batch in which it catches up; the others
// wait for the next drain.
func (x *Indexer) Drain(ctx context.Context) (int, error) {
	for {
		ids, err := x.store.PendingDeletes(ctx, BatchSize)
		if err != nil || len(ids) == 0 {
			if err != nil {
				return 0, err
			}
			break
		}
		if err := x.index.Delete(ctx, ids); err != nil {
			return 0, err
		}
		if err := x.store.DeletesDone(ctx, ids); err != nil {
			return 0, err
		}
	}
	n := 0
	var after int64
	for {
		batch, err := x.store.Unindexed(ctx, after, BatchSize)
		if err != nil || len(batch) == 0 {
			return n, err
		}
		arts := make([]*model.Article, len(batch))
		for i, p := range batch {
			arts[i] = p.Article
		}
		if err := x.index.Put(ctx, arts); err != nil {
			return n, err
		}
		if err := x.store.MarkIndexed(ctx, batch, x.now()); err != nil {
			return n, err
		}
		n += len(batch)
		after = batch[len(batch)-1].ID
		if len(batch) < BatchSize {
			// Caught up: what is stored from now on waits for the next
			// drain rather than following in batches of a few.
			return n, nil
		}
	}
}

// Run drains whenever woken, and at least every interval, until ctx ends.
// Batching comes from the store: whatever arrived since the last batch
// goes into the next one, and a batch follows the one before by at least
// interval. Woken by every article stored (serve's crawl stores them one
// by one), it would otherwise index them one by one: each batch makes at
// least one segment the index merges later (one per 1 MiB of text under
// presswatch's memory limit, see index.Put), and merging many small ones
// took a third of serve's CPU. So an article is searchable within
// interval (and the time of its batch) of being stored.
func (x *Indexer) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	var last time.Time
	for {
		select {
		case <-ctx.Done():
			return
		case <-x.wake:
		case <-t.C:
		}
		if wait := interval - time.Since(last); wait > 0 {
			select {
			case <-ctx.Done():
				return
			case <-time.After(wait):
			}
		}
		last = time.Now()
		if n, err := x.Drain(ctx); err != nil && ctx.Err() == nil {
			x.log.Error("indexing failed; will retry", "error", err)
		} else if n > 0 {
			x.log.Debug("indexed", "articles", n)
		}
	}
}
