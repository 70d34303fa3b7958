package index

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"presswatch/internal/model"
)

// rebuildBatch is how many articles Rebuild sends to Put at a time.
const rebuildBatch = 500

// Rebuild builds a fresh index of the articles load yields, replaces the
// index in dir with it and returns it opened. load must call yield once per
// article and stop at the first error yield returns.
//
// The caller must Close its own *Index for dir before calling Rebuild.
// Rebuild holds the lock of the index in dir while it builds, so it fails
// at once ("in use by another presswatch process") when a running serve or
// crawl has it open, instead of swapping the folder from under it. The new index is built in
// dir+".new-<timestamp>"; only when it is complete is dir renamed to
// dir+".old-<timestamp>", the new one renamed to dir, and the old one
// removed. On error (from load, ctx or Bleve) dir is untouched and the
// temporary directory removed. A crash leaves dir in place or, if it
// struck between the two renames, leaves the old index as .old-*; the next
// Open removes a leftover .new-* and puts a lone .old-* back as dir.
func Rebuild(ctx context.Context, dir string, load func(ctx context.Context, yield func(*model.Article) error) error, opts ...Option) (*Index, error) {
	ts := time.Now().UnixNano()
	tmp := fmt.Sprintf("%s.new-%d", dir, ts)
	held, err := lock(dir, opts)
	if err != nil {
		return nil, fmt.Errorf("index: rebuild: %w", err)
	}
	err = build(ctx, tmp, load, opts)
	if held != nil {
		if cerr := held.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		_ = os.RemoveAll(tmp)
		return nil, fmt.Errorf("index: rebuild %s: %w", dir, err)
	}
	if err := swap(dir, tmp, fmt.Sprintf("%s.old-%d", dir, ts)); err != nil {
		_ = os.RemoveAll(tmp)
		return nil, fmt.Errorf("index: rebuild %s: %w", dir, err)
	}
	return Open(dir, opts...)
}

// lock opens the index in dir, taking its lock, so no other process uses
// it during a rebuild; nil when there is no index yet.
func lock(dir string, opts []Option) (*Index, error) {
	if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	return Open(dir, opts...)
}

// build fills a new on-disk index in tmp and closes it.
func build(ctx context.Context, tmp string, load func(context.Context, func(*model.Article) error) error, opts []Option) (err error) {
	if _, err := os.Stat(tmp); err == nil {
		return fmt.Errorf("%s already exists", tmp)
	}
	ix, err := Open(tmp, opts...)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := ix.Close(); err == nil {
			err = cerr
		}
	}()
	batch := make([]*model.Article, 0, rebuildBatch)
	yield := func(a *model.Article) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		batch = append(batch, a)
		if len(batch) < rebuildBatch {
			return nil
		}
		err := ix.Put(ctx, batch)
		batch = batch[:0]
		return err
	}
	if err := load(ctx, yield); err != nil {
		return fmt.Errorf("load articles: %w", err)
	}
	return ix.Put(ctx, batch)
}

// swap moves the complete index in tmp to dir, keeping the old one as old
// until the new one is in place.
func swap(dir, tmp, old string) error {
	hadOld := true
	if err := os.Rename(dir, old); errors.Is(err, os.ErrNotExist) {
		hadOld = false
	} else if err != nil {
		return err
	}
	if err := os.Rename(tmp, dir); err != nil {
		if hadOld {
			if rerr := os.Rename(old, dir); rerr != nil {
				return errors.Join(err, rerr)
			}
		}
		return err
	}
	if hadOld {
		// A failure here only leaves a stale copy, which the next Open removes.
		_ = os.RemoveAll(old)
	}
	return nil
}

// recoverRebuild tidies what an interrupted Rebuild left beside dir: it
// removes every .new-* (never known to be complete), restores the newest
// .old-* if dir itself is missing, and removes the other .old-*.
func recoverRebuild(dir string) error {
	news, err := leftovers(dir, ".new-")
	if err != nil {
		return err
	}
	for _, n := range news {
		if err := os.RemoveAll(n); err != nil {
			return err
		}
	}
	olds, err := leftovers(dir, ".old-")
	if err != nil || len(olds) == 0 {
		return err
	}
	if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
		last := olds[len(olds)-1]
		if err := os.Rename(last, dir); err != nil {
			return err
		}
		olds = olds[:len(olds)-1]
	}
	for _, o := range olds {
		if err := os.RemoveAll(o); err != nil {
			return err
		}
	}
	return nil
}
