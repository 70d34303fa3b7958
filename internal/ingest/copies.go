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
func (in *Ingester) copiesOf(ctx context.Context, a *model.Article) (*store.CopyKeys, []int64, error) {
	var stories []int64
	if first, err := in.store.ArticleByHash(ctx, a.ContentHash); err == nil {
		stories = append(stories, first.ClusterID)
	} else if !errors.Is(err, store.ErrNotFound) {
		return nil, nil, err
	}
	sk := copies.NewSketch(a.Text)
	if sk.Empty() {
		return nil, stories, nil
	}
	blob, err := sk.MarshalBinary()
	if err != nil {
		return nil, nil, fmt.Errorf("ingest: sketch of %s: %w", a.URL, err)
	}
	day := store.Day(dateOf(a))
	keys := &store.CopyKeys{Sketch: blob, Bands: sk.BandKeys(), Day: day}
	cands, err := in.store.CopyCandidates(ctx, keys.Bands, day-copyWindow, day+copyWindow, maxCandidates)
	if err != nil {
		return nil, nil, err
	}
	for _, c := range cands {
		if slices.Contains(stories, c.ClusterID) {
			continue
		}
		other, err := copies.UnmarshalSketch(c.Sketch)
		if err != nil {
			in.log().Warn("a stored sketch cannot be read; that article is left out of copy detection", "article", c.ArticleID, "error", err)
			continue
		}
		if _, copy := copies.Verify(sk, other); copy {
			stories = append(stories, c.ClusterID)
		}
	}
	return keys, stories, nil
}

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
