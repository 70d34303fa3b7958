package index

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/blevesearch/bleve/v2"

	"presswatch/internal/model"
)

// How an index on disk is laid out: dir (data/index.bleve) is a symbolic
// link to a generation folder beside it (index.bleve.gen-<time>), holding
// a file named completeMarker once it was fully built. A rebuild builds
// the next generation while the current one keeps answering, then points
// the link at it in one rename. An index made before generations is a
// plain folder at dir; the first rebuild replaces it by a link.

// rebuildBatch is how many articles a rebuild puts at a time.
const rebuildBatch = 500

// completeMarker marks a generation that a rebuild finished.
const completeMarker = "presswatch-complete"

// LoadFunc yields every article of the store, once each, and stops at the
// first error yield returns.
type LoadFunc func(ctx context.Context, yield func(*model.Article) error) error

// CatchUpFunc is called once a rebuild has loaded everything, before the
// swap: articles that changed or were deleted in the store while load was
// reading may have reached the new generation in an older state, and
// catchUp writes their current state with put and del. Writes that arrive
// through Put and Delete during a rebuild go to both generations already.
type CatchUpFunc func(ctx context.Context, put func([]*model.Article) error, del func([]int64) error) error

// Rebuild rebuilds the index in dir from load and returns it opened; see
// (*Index).Rebuild. It fails at once, and changes nothing, when another
// process has dir open.
func Rebuild(ctx context.Context, dir string, load LoadFunc, opts ...Option) (*Index, error) {
	ix, err := Open(dir, opts...)
	if err != nil {
		return nil, fmt.Errorf("index: rebuild: %w", err)
	}
	if err := ix.Rebuild(ctx, load, nil); err != nil {
		ix.Close()
		return nil, err
	}
	return ix, nil
}

// Rebuild builds a new generation of the index from load while this one
// keeps answering searches (and takes Put and Delete into both), then
// swaps it in: searches running at that instant finish on the old
// generation, later ones see the new. On error the index is as it was and
// the new generation is removed. Only one Rebuild may run at a time.
func (ix *Index) Rebuild(ctx context.Context, load LoadFunc, catchUp CatchUpFunc) error {
	if ix.dir == "" {
		return errors.New("index: rebuild: an index in memory has nothing to rebuild from")
	}
	gen := fmt.Sprintf("%s.gen-%d", ix.dir, time.Now().UnixNano())
	next, err := create(gen)
	if err != nil {
		return fmt.Errorf("index: rebuild %s: %w", ix.dir, err)
	}
	ix.rw.Lock()
	ix.shadow = next
	ix.rw.Unlock()
	err = ix.fill(ctx, next, load, catchUp)
	if err == nil {
		err = os.WriteFile(filepath.Join(gen, completeMarker), nil, 0o644)
	}
	if err != nil {
		ix.rw.Lock()
		ix.shadow = nil
		ix.rw.Unlock()
		next.Close()
		os.RemoveAll(gen)
		return fmt.Errorf("index: rebuild %s: %w", ix.dir, err)
	}
	// Swap with writes and searches held: the link first, so that a
	// failure leaves the old generation current and loses nothing, then
	// the generation in memory.
	ix.rw.Lock()
	oldDir, err := point(ix.dir, gen)
	if err != nil {
		ix.shadow = nil
		ix.rw.Unlock()
		next.Close()
		os.RemoveAll(gen)
		return fmt.Errorf("index: rebuild %s: %w", ix.dir, err)
	}
	old := ix.idx
	ix.idx, ix.shadow, ix.stale = next, nil, false
	ix.changes.Add(1)
	ix.rw.Unlock()
	// The new generation is current and complete; the old one is only
	// discarded, so errors closing or removing it change nothing (a stale
	// copy left behind is removed by the next Open).
	_ = old.Close()
	os.RemoveAll(oldDir)
	return nil
}

// fill loads every article into next, then lets catchUp correct it.
func (ix *Index) fill(ctx context.Context, next bleve.Index, load LoadFunc, catchUp CatchUpFunc) error {
	put := func(arts []*model.Article) error { return ix.putInto(ctx, next, arts) }
	batch := make([]*model.Article, 0, rebuildBatch)
	err := load(ctx, func(a *model.Article) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		batch = append(batch, a)
		if len(batch) < rebuildBatch {
			return nil
		}
		err := put(batch)
		batch = batch[:0]
		return err
	})
	if err != nil {
		return fmt.Errorf("load articles: %w", err)
	}
	if err := put(batch); err != nil {
		return err
	}
	if catchUp == nil {
		return nil
	}
	return catchUp(ctx, put, func(ids []int64) error { return deleteFrom(next, ids) })
}

// point makes dir a link to gen, atomically, and returns the folder the
// old dir was: a generation it linked to, or a plain folder of the old
// layout, first renamed aside (also atomic) to a name tidy removes.
func point(dir, gen string) (old string, err error) {
	if target, err := os.Readlink(dir); err == nil {
		old = filepath.Join(filepath.Dir(dir), target)
	} else if fi, err := os.Lstat(dir); err == nil && fi.IsDir() {
		old = fmt.Sprintf("%s.gen-0-old-%d", dir, time.Now().UnixNano())
		if err := os.Rename(dir, old); err != nil {
			return "", err
		}
	}
	tmp := dir + ".link"
	os.Remove(tmp)
	if err := os.Symlink(filepath.Base(gen), tmp); err != nil {
		return "", err
	}
	if err := os.Rename(tmp, dir); err != nil {
		return "", err
	}
	return old, nil
}

// relink repairs a missing dir after a crash inside point (the old folder
// renamed aside, the link not yet made) by linking the newest complete
// generation. It never removes anything, so it is safe before the lock.
func relink(dir string) error {
	if _, err := os.Lstat(dir); !errors.Is(err, os.ErrNotExist) {
		return nil
	}
	gens, err := filepath.Glob(dir + ".gen-*")
	if err != nil {
		return err
	}
	sort.Strings(gens)
	for i := len(gens) - 1; i >= 0; i-- {
		if complete(gens[i]) {
			_, err := point(dir, gens[i])
			return err
		}
	}
	return nil
}

// tidy removes what interrupted rebuilds left beside dir: generations that
// are not the one dir links to. Call it only while holding the index in
// dir, so no rebuild of another process is running.
func tidy(dir string) error {
	gens, err := filepath.Glob(dir + ".gen-*")
	if err != nil {
		return err
	}
	current := ""
	if target, err := os.Readlink(dir); err == nil {
		current = filepath.Join(filepath.Dir(dir), target)
	}
	for _, g := range gens {
		if g != current {
			if err := os.RemoveAll(g); err != nil {
				return err
			}
		}
	}
	os.Remove(dir + ".link")
	return nil
}

func complete(gen string) bool {
	_, err := os.Stat(filepath.Join(gen, completeMarker))
	return err == nil
}
