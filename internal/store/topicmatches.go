package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"
)

// This file holds what topics changed while presswatch runs need: the
// matches a new or changed query finds among the stored articles, the
// index marks that keep the index's topic field in step with them, and
// what a topic's pages show.

// TopicMatches is what running a topic's query over the stored articles
// found, for SetTopicMatches.
type TopicMatches struct {
	Topic string
	IDs   []int64 // the articles the query matches
	// Through is the highest article id the run looked at: later
	// articles were matched by ingest with the new query already, and
	// their matches are left as they are.
	Through int64
	// Complete says IDs holds every match up to Through, so a match of
	// the topic not in it is one the query no longer has and goes.
	// Without it (a run cut short) matches are only added.
	Complete bool
}

// SetTopicMatches records m: the topic's matches that IDs adds and, when
// Complete, those it no longer has through Through. Every article whose
// matches change is marked for indexing with a new revision, as
// UpdateArticle does, so the index's topic field follows (an indexing
// that read the article before this change does not clear the mark). An
// id of an article deleted meanwhile is ignored. It returns how many
// matches were added and removed.
func (s *Store) SetTopicMatches(ctx context.Context, m TopicMatches) (added, removed int, err error) {
	if m.Topic == "" {
		return 0, 0, fmt.Errorf("store: set topic matches: no topic")
	}
	want := slices.Clone(m.IDs)
	slices.Sort(want)
	want = slices.Compact(want)
	err = s.tx(ctx, func(tx *sql.Tx) error {
		have, err := topicMatchIDs(ctx, tx, m.Topic)
		if err != nil {
			return err
		}
		var add, drop []int64
		for _, id := range want {
			if _, ok := slices.BinarySearch(have, id); !ok {
				add = append(add, id)
			}
		}
		if m.Complete {
			for _, id := range have {
				if _, ok := slices.BinarySearch(want, id); !ok && id <= m.Through {
					drop = append(drop, id)
				}
			}
		}
		at := s.now().UnixMilli()
		for _, id := range add {
			res, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO matches (article_id, topic_id, at)
SELECT id, ?, ? FROM articles WHERE id = ?`, m.Topic, at, id)
			if err != nil {
				return fmt.Errorf("store: match %d to %s: %w", id, m.Topic, err)
			}
			n, _ := res.RowsAffected()
			added += int(n)
		}
		for _, id := range drop {
			if _, err := tx.ExecContext(ctx, "DELETE FROM matches WHERE topic_id = ? AND article_id = ?", m.Topic, id); err != nil {
				return fmt.Errorf("store: unmatch %d from %s: %w", id, m.Topic, err)
			}
		}
		removed = len(drop)
		_, err = markForIndexing(ctx, tx, append(add, drop...))
		return err
	})
	if err != nil {
		return 0, 0, err
	}
	return added, removed, nil
}

// topicMatchIDs returns the ids of a topic's articles in order.
func topicMatchIDs(ctx context.Context, tx *sql.Tx, topic string) ([]int64, error) {
	rows, err := tx.QueryContext(ctx, "SELECT article_id FROM matches WHERE topic_id = ? ORDER BY article_id", topic)
	if err != nil {
		return nil, fmt.Errorf("store: matches of %s: %w", topic, err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// MarkForIndexing marks these articles for indexing again with a new
// revision: for an index whose topic field lags the matches (a deleted
// topic's articles). Ids of deleted articles are ignored. It returns how
// many articles were marked.
func (s *Store) MarkForIndexing(ctx context.Context, ids []int64) (int, error) {
	var n int
	err := s.tx(ctx, func(tx *sql.Tx) (err error) {
		n, err = markForIndexing(ctx, tx, ids)
		return err
	})
	return n, err
}

func markForIndexing(ctx context.Context, tx *sql.Tx, ids []int64) (int, error) {
	n := 0
	for _, id := range ids {
		res, err := tx.ExecContext(ctx, "UPDATE articles SET rev = rev + 1, indexed_at = NULL WHERE id = ?", id)
		if err != nil {
			return 0, fmt.Errorf("store: mark %d for indexing: %w", id, err)
		}
		k, _ := res.RowsAffected()
		n += int(k)
	}
	return n, nil
}

// LastArticleID returns the highest article id, 0 when there is none.
func (s *Store) LastArticleID(ctx context.Context) (int64, error) {
	var id sql.NullInt64
	if err := s.db.QueryRowContext(ctx, "SELECT max(id) FROM articles").Scan(&id); err != nil {
		return 0, fmt.Errorf("store: last article: %w", err)
	}
	return id.Int64, nil
}

// TopicTotals returns how many articles each topic has; a topic without
// any is missing from the map.
func (s *Store) TopicTotals(ctx context.Context) (map[string]int, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT topic_id, count(*) FROM matches GROUP BY topic_id")
	if err != nil {
		return nil, fmt.Errorf("store: topic totals: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var (
			id string
			n  int
		)
		if err := rows.Scan(&id, &n); err != nil {
			return nil, fmt.Errorf("store: topic totals: %w", err)
		}
		out[id] = n
	}
	return out, rows.Err()
}

// RecentArticle is an article of a topic as its list of new articles
// shows it.
type RecentArticle struct {
	Summary
	ClusterID int64 // its story: the article's own id when it has no copies
}

// TopicSince returns up to limit articles of the topic first seen at or
// after since, the most recently first seen first. Ask for one more than
// shown to know whether there are more.
func (s *Store) TopicSince(ctx context.Context, topicID string, since time.Time, limit int) ([]RecentArticle, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT "+summaryCols+`, a.cluster_id
FROM matches m JOIN articles a ON a.id = m.article_id LEFT JOIN sources s ON s.id = a.source_id
WHERE m.topic_id = ? AND a.first_seen >= ?
ORDER BY a.first_seen DESC, a.id DESC LIMIT ?`, topicID, since.UnixMilli(), limit)
	if err != nil {
		return nil, fmt.Errorf("store: new articles of topic %s: %w", topicID, err)
	}
	defer rows.Close()
	var out []RecentArticle
	for rows.Next() {
		var (
			a       RecentArticle
			cluster sql.NullInt64
			err     error
		)
		if a.Summary, err = scanSummary(rows, &cluster); err != nil {
			return nil, fmt.Errorf("store: new articles of topic %s: %w", topicID, err)
		}
		a.ClusterID = cmp.Or(cluster.Int64, a.ID)
		out = append(out, a)
	}
	return out, rows.Err()
}
