package main

import (
	"context"
	"maps"
	"slices"
	"time"

	"presswatch/internal/model"
	"presswatch/internal/store"
)

// rebuild rebuilds the index from the store while it keeps answering
// searches; articles stored meanwhile are indexed into both generations by
// the indexer, and those that changed or went while the rebuild read them
// are put right before the swap. It returns how many articles it read.
func (a *app) rebuild(ctx context.Context) (int, error) {
	// serve rebuilds an index made by an older presswatch by itself, and
	// presswatch reindex asks it to through the local API: one at a time.
	if !a.rebuilding.TryLock() {
		return 0, errRebuildRunning
	}
	defer a.rebuilding.Unlock()
	loaded := map[int64]int64{} // id -> revision read
	load := func(ctx context.Context, yield func(*model.Article) error) error {
		return a.store.EachArticle(ctx, func(p store.Pending) error {
			loaded[p.ID] = p.Rev
			return yield(p.Article)
		})
	}
	catchUp := func(ctx context.Context, put func([]*model.Article) error, del func([]int64) error) error {
		ids := slices.Collect(maps.Keys(loaded))
		now, err := a.store.Revs(ctx, ids)
		if err != nil {
			return err
		}
		var changed, gone []int64
		for _, id := range ids {
			switch rev, ok := now[id]; {
			case !ok:
				gone = append(gone, id)
			case rev != loaded[id]:
				changed = append(changed, id)
			}
		}
		current, err := a.store.ArticlesByID(ctx, changed)
		if err != nil {
			return err
		}
		arts := make([]*model.Article, len(current))
		for i, p := range current {
			arts[i] = p.Article
			loaded[p.ID] = p.Rev
		}
		if err := put(arts); err != nil {
			return err
		}
		return del(gone)
	}
	if err := a.index.Rebuild(ctx, load, catchUp); err != nil {
		return 0, err
	}
	read := make([]store.Pending, 0, len(loaded))
	for id, rev := range loaded {
		read = append(read, store.Pending{Article: &model.Article{ID: id}, Rev: rev})
	}
	return len(loaded), a.store.MarkIndexed(ctx, read, time.Now())
}
