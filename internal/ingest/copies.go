package ingest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"presswatch/internal/copies"
	"presswatch/internal/model"
	"presswatch/internal/store"
	"presswatch/internal/wdiff"
)

// Copies are looked for among the articles dated within copyWindow days
// of a new one (published, else first seen): syndication and reprints
// follow an original within days, and the bound keeps the look-up to the
// articles of about two months whatever the store holds. A reprint years
// later (an anniversary) is not joined to its original.
const copyWindow = 30

// maxCandidates bounds the stored articles one new article is verified
// against: those sharing the most band keys first.
const maxCandidates = 50

// copiesOf finds the stories a new article is a copy of: stored articles
// with the same text (the content hash), and those whose MinHash band
// keys it shares within copyWindow days and whose shingles verify
// (copies.Verify). It returns the article's keys to store and the
// distinct cluster ids of the stories found.
//
// same is the id of a stored article of the same source with the same
// text (its hash, or a containment of at least sameText): the article
// itself at a new URL, which the source now announces.
func (in *Ingester) copiesOf(ctx context.Context, a *model.Article) (keys *store.CopyKeys, stories []int64, same int64, err error) {
	if first, err := in.store.ArticleByHash(ctx, a.ContentHash); err == nil {
		stories = append(stories, first.ClusterID)
		if first.SourceID == a.SourceID {
			same = first.ID
		}
	} else if !errors.Is(err, store.ErrNotFound) {
		return nil, nil, 0, err
	}
	sk := copies.NewSketch(a.Text)
	blob, err := sk.MarshalBinary()
	if err != nil {
		return nil, nil, 0, fmt.Errorf("ingest: sketch of %s: %w", a.URL, err)
	}
	day := store.Day(dateOf(a))
	keys = &store.CopyKeys{Sketch: blob, Bands: sk.BandKeys(), Day: day}
	if sk.Empty() {
		return keys, stories, same, nil // too short to cluster, but known to be so
	}
	cands, err := in.store.CopyCandidates(ctx, keys.Bands, day-copyWindow, day+copyWindow, maxCandidates)
	if err != nil {
		return nil, nil, 0, err
	}
	for _, c := range cands {
		if slices.Contains(stories, c.ClusterID) && (same != 0 || c.SourceID != a.SourceID) {
			continue
		}
		other, err := copies.UnmarshalSketch(c.Sketch)
		if err != nil {
			in.log().Warn("a stored sketch cannot be read; that article is left out of copy detection", "article", c.ArticleID, "error", err)
			continue
		}
		score, copy := copies.Verify(sk, other)
		if !copy {
			continue
		}
		if !slices.Contains(stories, c.ClusterID) {
			stories = append(stories, c.ClusterID)
		}
		if same == 0 && c.SourceID == a.SourceID && score >= sameText {
			if ok, err := in.sameArticle(ctx, c.ArticleID, a); err != nil {
				return nil, nil, 0, err
			} else if ok {
				same = c.ArticleID
			}
		}
	}
	return keys, stories, same, nil
}

// sameArticle reports whether the stored article id, a near copy of a from
// the same source, is a itself: the same title and about the same length
// (a shortened version on the same site, a teaser page, stays a copy).
func (in *Ingester) sameArticle(ctx context.Context, id int64, a *model.Article) (bool, error) {
	old, err := in.store.Article(ctx, id)
	if err != nil {
		return false, err
	}
	lo, hi := min(len(old.Text), len(a.Text)), max(len(old.Text), len(a.Text))
	return wdiff.Same(old.Title, a.Title) && 10*lo >= 8*hi, nil
}

// sameText is the containment above which a new item of a source is the
// source's own stored article at a new URL rather than a second article.
const sameText = 0.9

// sketchKeys are the copy keys of an article's changed text, for an edit.
func sketchKeys(a *model.Article) *store.CopyKeys {
	sk := copies.NewSketch(a.Text)
	blob, err := sk.MarshalBinary()
	if err != nil {
		return nil
	}
	return &store.CopyKeys{Sketch: blob, Bands: sk.BandKeys(), Day: store.Day(dateOf(a))}
}

func (in *Ingester) log() *slog.Logger { return slog.Default() }

// dateOf is the date copies are bounded by: published, else first seen.
func dateOf(a *model.Article) time.Time {
	if !a.Published.IsZero() {
		return a.Published
	}
	return a.FirstSeen
}

// moved records that a source announces its stored article id at a new
// URL (a moved page, a changed permalink): the item leads to the article,
// the article is revisited at the new URL, and a "moved" event says so.
// No second article is made, so the old URL answering 404 later is no
// removal.
func (in *Ingester) moved(ctx context.Context, src model.Source, doc *model.Document, id int64, now time.Time) (model.Outcome, *model.Article, error) {
	old, err := in.store.Article(ctx, id)
	if err != nil {
		return 0, nil, err
	}
	if err := in.store.LinkItem(ctx, itemURL(doc, old.URL), src.ID, id); err != nil {
		return 0, nil, err
	}
	rv, err := in.store.Revisit(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return model.OutcomeUnchanged, old, nil
	} else if err != nil {
		return 0, nil, err
	}
	to := doc.URL
	if doc.Fetch != nil && doc.Fetch.URL != "" && !doc.Partial {
		to = doc.Fetch.URL
	}
	if to == "" || to == rv.URL {
		return model.OutcomeUnchanged, old, nil
	}
	rv.URL = to
	ev := &model.Event{ArticleID: id, At: now, Kind: model.EventMoved, Detail: to}
	if doc.Fetch != nil {
		ev.FetchID = doc.Fetch.ID
	}
	if err := in.store.ApplyChange(ctx, store.Change{Events: []*model.Event{ev}, Revisit: rv}); err != nil {
		return 0, nil, err
	}
	return model.OutcomeUnchanged, old, nil
}

// SketchMissing gives the articles stored before copies were detected
// their sketches, and joins each to the stories it is a copy of, batch by
// batch until none is left or ctx ends. It returns how many it sketched.
// serve runs it in the background at start; it is idempotent.
func (in *Ingester) SketchMissing(ctx context.Context) (int, error) {
	n, after := 0, int64(0)
	for ctx.Err() == nil {
		arts, err := in.store.Unsketched(ctx, after, 200)
		if err != nil || len(arts) == 0 {
			return n, err
		}
		for _, a := range arts {
			after = a.ID
			if err := in.sketchOne(ctx, a); err != nil {
				return n, err
			}
			n++
		}
	}
	return n, ctx.Err()
}

func (in *Ingester) sketchOne(ctx context.Context, a *model.Article) error {
	in.mu.Lock()
	defer in.mu.Unlock()
	keys, stories, _, err := in.copiesOf(ctx, a)
	if err != nil {
		return err
	}
	if err := in.store.SetCopyKeys(ctx, a.ID, keys); err != nil {
		return err
	}
	stories = append(stories, a.ClusterID)
	if into := slices.Min(stories); len(slices.Compact(slices.Sorted(slices.Values(stories)))) > 1 {
		if _, err := in.store.MergeClusters(ctx, into, stories); err != nil {
			return err
		}
		in.indexer.Wake()
	}
	return nil
}
