package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"presswatch/internal/model"
)

// Pending is an article the index does not have in its current revision.
type Pending struct {
	*model.Article
	Rev int64
}

// Unindexed returns up to limit articles whose current revision is not in
// the index, oldest first, starting after the id afterID.
func (s *Store) Unindexed(ctx context.Context, afterID int64, limit int) ([]Pending, error) {
	return s.pending(ctx, "SELECT "+articleCols+
		" FROM articles WHERE indexed_at IS NULL AND id > ? ORDER BY id LIMIT ?", afterID, limit)
}

// loadTopics fills the Topics of each article from the matches table.
func (s *Store) loadTopics(ctx context.Context, arts []Pending) error {
	if len(arts) == 0 {
		return nil
	}
	byID := make(map[int64]*model.Article, len(arts))
	args := make([]any, len(arts))
	for i, p := range arts {
		byID[p.ID] = p.Article
		args[i] = p.ID
	}
	rows, err := s.db.QueryContext(ctx, "SELECT article_id, topic_id FROM matches WHERE article_id IN ("+
		placeholders(len(args))+") ORDER BY topic_id", args...)
	if err != nil {
		return fmt.Errorf("store: topics of articles: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			id    int64
			topic string
		)
		if err := rows.Scan(&id, &topic); err != nil {
			return err
		}
		byID[id].Topics = append(byID[id].Topics, topic)
	}
	return rows.Err()
}

// MarkIndexed records that the index holds these revisions. An article
// changed since it was read keeps its mark cleared, so its new text is
// indexed too.
func (s *Store) MarkIndexed(ctx context.Context, done []Pending, at time.Time) error {
	if len(done) == 0 {
		return nil
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		st, err := tx.PrepareContext(ctx, "UPDATE articles SET indexed_at = ? WHERE id = ? AND rev = ?")
		if err != nil {
			return err
		}
		defer st.Close()
		for _, p := range done {
			if _, err := st.ExecContext(ctx, at.UnixMilli(), p.ID, p.Rev); err != nil {
				return fmt.Errorf("store: mark indexed %d: %w", p.ID, err)
			}
		}
		return nil
	})
}

// ForgetIndexed clears every article's indexed mark, for an index that
// was lost or removed: the next catch-up indexes them all again. It
// returns how many articles were marked.
func (s *Store) ForgetIndexed(ctx context.Context) (int64, error) {
	res, err := s.db.ExecContext(ctx, "UPDATE articles SET indexed_at = NULL WHERE indexed_at IS NOT NULL")
	if err != nil {
		return 0, fmt.Errorf("store: forget indexed: %w", err)
	}
	return res.RowsAffected()
}

// EachArticle calls fn for every article in id order, reading in pages so
// no read transaction is held for long. It stops at the first error.
func (s *Store) EachArticle(ctx context.Context, fn func(Pending) error) error {
	var after int64
	for {
		page, err := s.pending(ctx, "SELECT "+articleCols+" FROM articles WHERE id > ? ORDER BY id LIMIT ?", after, chunkSize)
		if err != nil || len(page) == 0 {
			return err
		}
		for _, p := range page {
			if err := fn(p); err != nil {
				return err
			}
		}
		after = page[len(page)-1].ID
	}
}

// Counts are totals over the store.
type Counts struct {
	Articles  int
	Unindexed int
	Fetches   int
	Sources   int
}

// Counts returns totals over the store.
func (s *Store) Counts(ctx context.Context) (Counts, error) {
	var c Counts
	err := s.db.QueryRowContext(ctx, `SELECT
 (SELECT count(*) FROM articles), (SELECT count(*) FROM articles WHERE indexed_at IS NULL),
 (SELECT count(*) FROM fetches), (SELECT count(*) FROM sources WHERE active = 1)`).
		Scan(&c.Articles, &c.Unindexed, &c.Fetches, &c.Sources)
	if err != nil {
		return c, fmt.Errorf("store: counts: %w", err)
	}
	return c, nil
}

// DeleteArticle removes an article with its versions and matches, and
// queues its removal from the index, in one transaction.
func (s *Store) DeleteArticle(ctx context.Context, id int64) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM articles WHERE id = ?", id)
		if err != nil {
			return fmt.Errorf("store: delete article %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		_, err = tx.ExecContext(ctx, "INSERT OR IGNORE INTO index_deletes (article_id) VALUES (?)", id)
		return err
	})
}

// PendingDeletes returns up to limit deleted article ids the index may
// still hold.
func (s *Store) PendingDeletes(ctx context.Context, limit int) ([]int64, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT article_id FROM index_deletes ORDER BY article_id LIMIT ?", limit)
	if err != nil {
		return nil, fmt.Errorf("store: pending deletes: %w", err)
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

// DeletesDone records that the index no longer holds these articles.
func (s *Store) DeletesDone(ctx context.Context, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	_, err := s.db.ExecContext(ctx, "DELETE FROM index_deletes WHERE article_id IN ("+placeholders(len(ids))+")", args...)
	return err
}

// Revs returns the current revision of each of these articles; an id
// missing from the result was deleted.
func (s *Store) Revs(ctx context.Context, ids []int64) (map[int64]int64, error) {
	out := make(map[int64]int64, len(ids))
	err := inChunks(ids, func(args []any, marks string) error {
		rows, err := s.db.QueryContext(ctx, "SELECT id, rev FROM articles WHERE id IN ("+marks+")", args...)
		if err != nil {
			return fmt.Errorf("store: revisions: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var id, rev int64
			if err := rows.Scan(&id, &rev); err != nil {
				return err
			}
			out[id] = rev
		}
		return rows.Err()
	})
	return out, err
}

// ArticlesByID returns these articles as they are now, with their topics
// and revisions; deleted ones are left out.
func (s *Store) ArticlesByID(ctx context.Context, ids []int64) ([]Pending, error) {
	var out []Pending
	err := inChunks(ids, func(args []any, marks string) error {
		page, err := s.pending(ctx, "SELECT "+articleCols+" FROM articles WHERE id IN ("+marks+")", args...)
		out = append(out, page...)
		return err
	})
	return out, err
}

// pending runs a query for articles and loads their topics.
func (s *Store) pending(ctx context.Context, q string, args ...any) ([]Pending, error) {
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: articles: %w", err)
	}
	defer rows.Close()
	var page []Pending
	for rows.Next() {
		a, rev, err := scanArticle(rows)
		if err != nil {
			return nil, fmt.Errorf("store: articles: %w", err)
		}
		page = append(page, Pending{a, rev})
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return page, s.loadTopics(ctx, page)
}
